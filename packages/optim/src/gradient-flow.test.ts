import { type Tensor, matmul, mul, sum, tensor } from "@regularize/core-autodiff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { valleyLoss } from "../test/fixtures/valley.js";
import { expectAllclose, flat } from "../test/helpers.js";
import { dist, fromEigen, matVec, orthonormalize } from "../test/linalg.js";
import { OptionError } from "./errors.js";
import { gradientFlow } from "./gradient-flow.js";
import { modifiedLossGD } from "./modified-loss.js";

const num = fc.double({ min: -1, max: 1, noNaN: true });
const spdArb = fc.record({
  m: fc.array(num, { minLength: 9, maxLength: 9 }),
  lambdas: fc.array(fc.double({ min: 0.5, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
  phi0: fc.array(num, { minLength: 3, maxLength: 3 }),
}).filter(({ m, phi0 }) => Math.hypot(...phi0) > 0.3 && Math.abs(det3(m)) > 0.05);

function det3(m: readonly number[]): number {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
}

/** L = ½φᵀAφ for A = Qᵀ·diag(λ)·Q. */
function quadratic(A: number[][]): (p: Tensor) => Tensor {
  const At = tensor(A);
  return (p) => mul(sum(mul(p, matmul(At, p))), 0.5);
}

describe("gradientFlow", () => {
  it("matches the matrix exponential exp(−tA)φ0 on quadratics (rk4 and dopri5)", () => {
    const q = orthonormalize([[1, 0.2, 0.1], [0.3, 1, -0.2], [0.1, 0.4, 1]]);
    const lambdas = [0.5, 1.5, 3];
    const L = quadratic(fromEigen(q, lambdas));
    const phi0 = [1, -0.5, 0.25];
    const exact = matVec(fromEigen(q, lambdas, (l) => Math.exp(-2 * l)), phi0);
    const rk4 = gradientFlow(L, tensor(phi0), { time: 2, steps: 400 });
    expectAllclose(rk4.path.at(-1)!, exact, { atol: 1e-11 });
    expect(rk4.times.at(-1)).toBe(2);
    expect(rk4.path.length).toBe(401);
    const dp = gradientFlow(L, tensor(phi0), { time: 2, method: "dopri5", rtol: 1e-11, atol: 1e-13 });
    expectAllclose(dp.path.at(-1)!, exact, { atol: 1e-10 });
    expect(dp.evaluations).toBeLessThan(rk4.evaluations);
  });

  it("validates its options", () => {
    expect(() => gradientFlow(valleyLoss, tensor([0, 0]), { time: -1 })).toThrow(OptionError);
    expect(() => gradientFlow(valleyLoss, tensor([0, 0]), { time: 1, steps: 0 })).toThrow(/steps/);
    expect(() => gradientFlow(valleyLoss, tensor([0, 0]), { time: 1, method: "euler" as never })).toThrow(/method/);
  });
});

describe("backward-error analysis (CHAPTER9 extra identities)", () => {
  it("one GD step differs from the modified flow by O(α³) and from the plain flow by O(α²) on random quadratics", () => {
    fc.assert(
      fc.property(spdArb, ({ m, lambdas, phi0 }) => {
        const q = orthonormalize([m.slice(0, 3), m.slice(3, 6), m.slice(6, 9)]);
        const A = fromEigen(q, lambdas);
        const err = (alpha: number) => {
          const gd = phi0.map((x, i) => x - alpha * matVec(A, phi0)[i]!);
          const modified = matVec(fromEigen(q, lambdas, (l) => Math.exp(-alpha * (l + (alpha / 2) * l * l))), phi0);
          const plain = matVec(fromEigen(q, lambdas, (l) => Math.exp(-alpha * l)), phi0);
          return { modified: dist(gd, modified), plain: dist(gd, plain) };
        };
        const a = 0.02;
        const e1 = err(a), e2 = err(a / 2);
        // leading terms: α³A³φ0/3 (modified) and α²A²φ0/2 (plain); ratios 8 and 4 up to O(α)
        expect(e1.modified / e2.modified).toBeGreaterThan(7.5);
        expect(e1.modified / e2.modified).toBeLessThan(8.5);
        expect(e1.plain / e2.plain).toBeGreaterThan(3.8);
        expect(e1.plain / e2.plain).toBeLessThan(4.2);
      }),
      { numRuns: 40 },
    );
  });

  it("gradientFlow on modifiedLossGD reproduces exp(−α(A + (α/2)A²))φ0, so the O(α³) gap is that of our tools", () => {
    const q = orthonormalize([[1, 0.5, 0], [0, 1, 0.5], [0.5, 0, 1]]);
    const lambdas = [0.6, 1.1, 1.9];
    const A = fromEigen(q, lambdas);
    const L = quadratic(A);
    const phi0 = [0.7, -0.4, 0.9];
    const ratio: number[] = [];
    for (const alpha of [0.04, 0.02]) {
      const flow = flat(gradientFlow(modifiedLossGD(L, alpha), tensor(phi0), { time: alpha, steps: 32 }).path.at(-1)!);
      const exact = matVec(fromEigen(q, lambdas, (l) => Math.exp(-alpha * (l + (alpha / 2) * l * l))), phi0);
      expectAllclose(flow, exact, { atol: 1e-12 });
      ratio.push(dist(phi0.map((x, i) => x - alpha * matVec(A, phi0)[i]!), flow));
    }
    expect(ratio[0]! / ratio[1]!).toBeGreaterThan(7.5);
    expect(ratio[0]! / ratio[1]!).toBeLessThan(8.5);
  });
});
