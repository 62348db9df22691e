import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, grad, normal, prngKey, sub, tensor, treeNorm } from "@regularize/core-autodiff";
import { maxNorm, projectMaxNorm, spectralNormalization } from "./constraints.js";
import { groupNorms } from "./group-lasso.js";
import { PenaltyOptionError } from "./errors.js";
import {
  SpectralNormConvergenceError, lipschitzBound, powerIteration, sigmaOf, spectralNorm, spectralNormEstimate, spectralPenalty,
} from "./spectral-norm.js";
import { mlp } from "@regularize/core-train";
import { expectAllclose, finiteDiff, fitContext } from "../test/helpers.js";

/** σ_max of a 2×2 matrix in closed form: √((‖A‖²_F + √(‖A‖⁴_F − 4 det²))/2). */
function sigma2x2(a: number, b: number, c: number, d: number): number {
  const f = a * a + b * b + c * c + d * d, det = a * d - b * c;
  return Math.sqrt((f + Math.sqrt(Math.max(0, f * f - 4 * det * det))) / 2);
}

describe("spectralNorm", () => {
  it("matches the closed-form largest singular value of 2×2 matrices", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 4, maxLength: 4 }), (v) => {
        const [a, b, c, d] = v.map((k) => k / 10) as [number, number, number, number];
        const s = sigma2x2(a, b, c, d);
        // power iteration converges at rate (σ₂/σ₁)²; skip near-degenerate spectra
        const det = Math.abs(a * d - b * c);
        fc.pre(s > 0.1 && det / (s * s) < 0.9);
        expectAllclose(spectralNorm(tensor([[a, b], [c, d]]), { iterations: 2000 }), s, { rtol: 1e-8 });
      }),
      { numRuns: 50 },
    );
  });

  it("gives a differentiable σ = uᵀWv whose gradient u·vᵀ matches finite differences of σ_max", () => {
    const w = tensor([[1.2, -0.4, 0.3], [0.5, 0.9, -1.1]]);
    const { u, v } = powerIteration(w, Float64Array.from([1, 0.5, -0.2]), 200);
    const g = grad((m: Tensor) => sigmaOf(m, u, v))(w);
    const fd = finiteDiff((x) => spectralNorm(tensor([Array.from(x.slice(0, 3)), Array.from(x.slice(3))]), { iterations: 400 }), Float64Array.from(w.data), 1e-5);
    expectAllclose(g.data, fd, { rtol: 1e-5, atol: 1e-7 });
  });
});

describe("lipschitzBound", () => {
  it("bounds ‖f(x) − f(x')‖ / ‖x − x'‖ of a ReLU MLP", () => {
    const net = mlp({ widths: [4, 16, 16, 2] });
    const params = net.init(prngKey(5));
    const L = lipschitzBound(params);
    for (let i = 0; i < 20; i++) {
      const x1 = normal(prngKey(100 + i), [1, 4]), x2 = normal(prngKey(200 + i), [1, 4]);
      const ratio = treeNorm(sub(net.apply(params, x1), net.apply(params, x2))) / treeNorm(sub(x1, x2));
      expect(ratio).toBeLessThanOrEqual(L * (1 + 1e-9));
    }
  });
});

describe("spectralPenalty", () => {
  it("is λ·Σσ_max² with power-iteration vectors that persist and round-trip through saveState", () => {
    const params = { layers: [{ w: tensor([[3, 0], [0, 1]]), b: tensor([5, 5]) }] };
    const p = spectralPenalty({ lambda: 0.1 });
    let v = 0;
    for (let i = 0; i < 40; i++) v = p.penalty!(params, null as never).item();
    expectAllclose(v, 0.1 * 9, { rtol: 1e-10 });
    const saved = JSON.parse(JSON.stringify(p.saveState!()));
    const q = spectralPenalty({ lambda: 0.1 });
    q.loadState!(saved);
    expectAllclose(q.penalty!(params, null as never).item(), 0.9, { rtol: 1e-12 });
    const g = grad((pp: typeof params) => p.penalty!(pp, null as never))(params).layers[0]!.w;
    // d(λσ²)/dW = 2λσ·u vᵀ = 2·0.1·3·e₁e₁ᵀ
    expectAllclose(g.data, [0.6, 0, 0, 0], { atol: 1e-8 });
  });
});

describe("spectralNormalization and maxNorm", () => {
  it("project every weight matrix to σ_max ≤ c after a step, leaving biases alone", () => {
    const w = tensor([[2, 1], [0.5, 3]]);
    const plugin = spectralNormalization({ maxNorm: 1, iterations: 50 });
    const ctx = fitContext({ w, b: tensor([7, 7]) });
    plugin.afterStep!(ctx);
    const out = ctx.current as { w: Tensor; b: Tensor };
    expectAllclose(spectralNorm(out.w), 1, { rtol: 1e-8 });
    expect(Array.from(out.b.data)).toEqual([7, 7]);
    const small = fitContext({ w: tensor([[0.1, 0], [0, 0.2]]) });
    plugin.afterStep!(small);
    expect(Array.from((small.current as { w: Tensor }).w.data)).toEqual([0.1, 0, 0, 0.2]);
  });

  it("clip each unit's incoming-weight norm ‖W[:, j]‖ to c and keep units already inside", () => {
    const w = tensor([[3, 0.1], [4, 0.2]]);
    expectAllclose(groupNorms(projectMaxNorm(w, 2, 0), 0).data, [2, Math.sqrt(0.05)]);
    expectAllclose(projectMaxNorm(w, 2, 0).data, [1.2, 0.1, 1.6, 0.2]);
    const ctx = fitContext({ w });
    maxNorm({ c: 2 }).afterStep!(ctx);
    expectAllclose((ctx.current as { w: Tensor }).w.data, [1.2, 0.1, 1.6, 0.2]);
    expect(() => maxNorm({ c: 0 })).toThrowError(/"c"/);

  });
});

describe("spectralNorm conventions", () => {
  it("sees a conv kernel [Cout, Cin, K] as the [Cout, Cin·K] matrix its GEMM uses (σ of a single filter = its L2 norm)", () => {
    const w = tensor([[[1, 2, 0], [0, -2, 1]]]); // Cout 1, Cin 2, K 3
    expectAllclose(spectralNorm(w), Math.sqrt(1 + 4 + 4 + 1), { rtol: 1e-10 });
  });
  it("throws SpectralNormConvergenceError when the budget runs out, and returns the estimate on request", () => {
    const w = tensor([[3, 1, 0], [1, 2.9, 0.5], [0, 0.5, 2.8]]);
    expect(() => spectralNorm(w, { iterations: 2 })).toThrow(SpectralNormConvergenceError);
    expect(() => spectralNorm(w, { iterations: 2 })).toThrow(/did not converge in 2 iterations/);
    const r = spectralNormEstimate(w, { iterations: 2 });
    expect(r.converged).toBe(false);
    expect(spectralNorm(w, { iterations: 2, allowNonConvergence: true })).toBe(r.sigma);
    expect(spectralNormEstimate(w).converged).toBe(true);
  });
  it("rejects unknown option keys, naming the nearest", () => {
    const w = tensor([[3, 1], [1, 2]]);
    expect(() => spectralNormEstimate(w, { x: 1 } as never)).toThrow(PenaltyOptionError);
    expect(() => spectralNorm(w, { iteration: 3 } as never)).toThrow(/iterations/);
  });
});
