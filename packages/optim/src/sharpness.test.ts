import { type Tensor, exp, matmul, mul, prngKey, square, sub, sum, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { valleyLoss } from "../test/fixtures/valley.js";
import { expectAllclose } from "../test/helpers.js";
import { fromEigen, orthonormalize } from "../test/linalg.js";
import { OptionError } from "./errors.js";
import { hessianTopEigenpair, hessianTopEigenvalue, hessianTrace, hessianTraceEstimate } from "./sharpness.js";

const q = orthonormalize([[1, 0.3, -0.2, 0.1], [0.2, 1, 0.4, 0], [-0.1, 0.3, 1, 0.5], [0.4, 0, 0.2, 1]]);
const lambdas = [0.3, 1.2, 2.5, 4];
const A = fromEigen(q, lambdas);
const quad = (p: Tensor) => mul(sum(mul(p, matmul(tensor(A), p))), 0.5);
const at = tensor([0.1, -0.2, 0.3, 0.4]);

describe("hessianTopEigenvalue", () => {
  it("finds the top eigenvalue and eigenvector of a known quadratic by power iteration", () => {
    const r = hessianTopEigenpair(quad, at, { key: prngKey(1), iters: 500, tol: 1e-14 });
    expectAllclose(r.value, 4, { rtol: 1e-9 });
    expect(r.converged).toBe(true);
    const v = Array.from(r.vector.data), top = q[3]!;
    const cos = Math.abs(v.reduce((s, x, i) => s + x * top[i]!, 0));
    expectAllclose(cos, 1, { atol: 1e-4 });
    expectAllclose(hessianTopEigenvalue(quad, at, { key: prngKey(2), iters: 500, tol: 1e-14 }), 4, { rtol: 1e-9 });
  });

  it("works on trees and on a non-quadratic loss (fig 9.3's valley is sharp across φ1)", () => {
    // at (φ0, 0) the Hessian is diag(0, e^{4φ0²}): top eigenvalue e^{4·0.25} = e
    const r = hessianTopEigenvalue(valleyLoss, tensor([-0.5, 0]), { key: prngKey(3), iters: 50 });
    expectAllclose(r, Math.E, { rtol: 1e-10 });
    // the same loss with φ split into a tree of two scalars
    const tree = (p: { a: Tensor; b: Tensor }) => sub(1, exp(mul(mul(square(p.b), exp(mul(square(p.a), 4))), -0.5)));
    expectAllclose(hessianTopEigenvalue(tree, { a: tensor(-0.5), b: tensor(0) }, { key: prngKey(3), iters: 50 }), Math.E, { rtol: 1e-10 });
  });

  it("validates its options", () => {
    expect(() => hessianTopEigenvalue(quad, at, { key: prngKey(1), iters: 0 })).toThrow(OptionError);
    expect(() => hessianTopEigenvalue(quad, at, {} as never)).toThrow(/key/);
  });
});

describe("hessianTrace", () => {
  it("estimates tr(H) within 4 standard errors (Hutchinson, Rademacher probes)", () => {
    const est = hessianTraceEstimate(quad, at, { key: prngKey(5), samples: 200 });
    const trace = lambdas.reduce((s, l) => s + l, 0);
    expect(Math.abs(est.trace - trace)).toBeLessThan(4 * est.standardError);
    // Rademacher variance is 2·Σ_{i≠j} A_ij²: the estimated standard error must match it
    const offDiag = A.reduce((s, row, i) => s + row.reduce((t, x, j) => t + (i === j ? 0 : x * x), 0), 0);
    expectAllclose(est.standardError, Math.sqrt((2 * offDiag) / 200), { rtol: 0.25 });
  });

  it("is exact for a diagonal Hessian (zᵀHz = tr H for every Rademacher z) and reproducible per key", () => {
    const diag = (p: Tensor) => mul(sum(mul(tensor([1, 2, 3]), mul(p, p))), 0.5);
    expectAllclose(hessianTrace(diag, tensor([0.5, 1, -1]), { key: prngKey(9), samples: 3 }), 6, { rtol: 1e-14 });
    expect(hessianTrace(quad, at, { key: prngKey(4), samples: 8 })).toBe(hessianTrace(quad, at, { key: prngKey(4), samples: 8 }));
  });
});
