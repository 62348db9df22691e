import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, type Tree, add, astype, grad, mul, normal, prngKey, square, sub, tensor, treeLeaves, treeMap, treeNorm, treeScale } from "@regularize/core-autodiff";
import { maxNorm, projectMaxNorm, spectralNormalization } from "./constraints.js";
import { groupNorms } from "./group-lasso.js";
import { PenaltyOptionError } from "./errors.js";
import {
  PowerIterationVectors, SpectralNormConvergenceError, lipschitzBound, powerIteration, sigmaOf, spectralNorm, spectralNormEstimate, spectralPenalty,
} from "./spectral-norm.js";
import { deserializeState, fit, mlp, serializeState } from "@regularize/core-train";
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
  it("is λ·Σσ_max² with power-iteration vectors that persist between direct calls", () => {
    const params = { layers: [{ w: tensor([[3, 0], [0, 1]]), b: tensor([5, 5]) }] };
    const p = spectralPenalty({ lambda: 0.1 });
    const first = p.penalty!(params, null as never).item();
    let v = 0;
    for (let i = 0; i < 40; i++) v = p.penalty!(params, null as never).item();
    expectAllclose(v, 0.1 * 9, { rtol: 1e-10 });
    // a fresh plugin starts again from the seeded vectors
    expect(spectralPenalty({ lambda: 0.1 }).penalty!(params, null as never).item()).toBe(first);
    const g = grad((pp: typeof params) => p.penalty!(pp, null as never))(params).layers[0]!.w;
    // d(λσ²)/dW = 2λσ·u vᵀ = 2·0.1·3·e₁e₁ᵀ
    expectAllclose(g.data, [0.6, 0, 0, 0], { atol: 1e-8 });
  });

  it("computes what powerIteration + sigmaOf compute, step after step, for dense and conv [Cout, Cin, K] weights (float64 and float32)", () => {
    for (const dtype of ["float64", "float32"] as const) {
      const params = { dense: astype(normal(prngKey(1), [5, 4]), dtype), conv: astype(normal(prngKey(2), [4, 3, 5]), dtype) };
      const p = spectralPenalty({ lambda: 0.3, iterations: 2, seed: 7, mask: () => true });
      const ref = new PowerIterationVectors(7);
      for (let step = 0; step < 4; step++) {
        const got = p.penalty!(params, null as never);
        const terms = (["dense", "conv"] as const).map((k) => {
          const { u, v } = ref.step(k, params[k], 2);
          return square(sigmaOf(params[k], u, v));
        });
        const want = mul(add(terms[0]!, terms[1]!), 0.3);
        expect(got.dtype).toBe(dtype);
        expect(Array.from(got.data), `${dtype} step ${step}`).toEqual(Array.from(want.data));
      }
    }
  });

  it("records inside fit(): compiled (no notice), bit for bit the eager run, resumable through serializeState (float64 and float32)", async () => {
    const net = mlp({ widths: [3, 6, 2] });
    const x = normal(prngKey(4), [16, 3]);
    const y = tensor(Array.from({ length: 16 }, (_, i) => i % 2), { dtype: "int32" });
    const sgd = { init: () => null, update: (g: Tree, s: null) => [treeScale(g, -0.1), s] as [Tree, null] };
    for (const dtype of ["float64", "float32"] as const) {
      const params = treeMap((t: Tensor) => astype(t, dtype), net.init(prngKey(5)));
      const notices: string[] = [];
      const run = (compile: boolean, more: Record<string, unknown> = {}) => fit({
        model: net, ...(more.initialState === undefined ? { params } : {}), data: { x: astype(x, dtype), y }, loss: "crossEntropy", optimizer: sgd, batchSize: 4, steps: 12, seed: 3,
        plugins: [spectralPenalty({ lambda: 0.5, iterations: 2 })], compile, onNotice: (m) => notices.push(m), ...more,
      });
      const compiled = await run(true);
      const eager = await run(false);
      expect(compiled.compiled, dtype).toBe(true);
      expect(notices).toEqual([]);
      for (const [a, b] of treeLeaves(compiled.params).map((l, j) => [l, treeLeaves(eager.params)[j]!] as const)) expect(Array.from(a.data)).toEqual(Array.from(b.data));
      expect(compiled.history.steps.map((r) => r.loss)).toEqual(eager.history.steps.map((r) => r.loss));
      // the penalty is in the loss, and the vectors are in the state
      expect(compiled.history.steps[0]!.loss).toBeGreaterThan(compiled.history.steps[0]!.dataLoss);
      expect(Object.keys(compiled.state.stepStates!.spectralPenalty as object)).toEqual(["layers[0].w", "layers[1].w"]);
      // interrupted after 5 steps, resumed from JSON: the uninterrupted run's bits
      const cut = await run(true, { steps: 5 });
      const state = deserializeState(JSON.stringify(serializeState(cut.state)));
      const rest = await run(true, { initialState: state });
      for (const [a, b] of treeLeaves(rest.params).map((l, j) => [l, treeLeaves(compiled.params)[j]!] as const)) expect(Array.from(a.data)).toEqual(Array.from(b.data));
    }
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
