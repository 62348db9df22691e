import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { type Tensor, add, cholesky, eye, inv, logdetSpd, matmul, mul, solve, transpose } from "../index.js";
import { runs, tensorArb } from "../../test/arbitraries.js";
import { FD64, checkOpGrads } from "../../test/fd.js";
import "../../test/matchers.js";

// Well-conditioned matrices: a random M with entries in [−1, 1] shifted by n·I (diagonally dominant).
const wellConditioned = (m: Tensor) => add(m, mul(eye(m.shape[0]!), m.shape[0]! + 1));
// Symmetric positive definite from any M, so FD perturbations stay symmetric whatever convention
// cholesky's rule uses for the unused triangle.
const spd = (m: Tensor) => add(mul(add(m, transpose(m)), 0.5), mul(eye(m.shape[0]!), m.shape[0]! + 1));

const sq = fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(tensorArb([n, n], -1, 1), fc.integer({ min: 0, max: 3 }).chain((k) => tensorArb(k === 0 ? [n] : [n, k]))));

describe("linear solvers (first and second order against FD)", () => {
  test.prop([sq], { numRuns: runs(25) })("solve(A, B) satisfies A·X = B; grads in A and B match FD", ([m, b]) => {
    const a = wellConditioned(m);
    expect(matmul(a, solve(a, b))).toBeAllclose(b, { rtol: 1e-10, atol: 1e-12 });
    checkOpGrads((mm, bb) => solve(wellConditioned(mm), bb), [m, b], FD64);
  });

  test.prop([sq], { numRuns: runs(20) })("inv(A)·A = I; grads match FD", ([m]) => {
    const a = wellConditioned(m);
    expect(matmul(inv(a), a)).toBeAllclose(eye(m.shape[0]!), { rtol: 1e-10, atol: 1e-12 });
    checkOpGrads((mm) => inv(wellConditioned(mm)), [m], FD64);
  });

  test.prop([sq], { numRuns: runs(20) })("cholesky(A)·cholesky(A)ᵀ = A and logdetSpd = log det; grads match FD", ([m]) => {
    const a = spd(m);
    const L = cholesky(a);
    expect(matmul(L, transpose(L))).toBeAllclose(a, { rtol: 1e-10, atol: 1e-12 });
    const diag = Array.from({ length: m.shape[0]! }, (_, i) => L.data[i * m.shape[0]! + i]!);
    expect(logdetSpd(a)).toBeAllclose(2 * diag.reduce((s, v) => s + Math.log(v), 0), { rtol: 1e-12, atol: 1e-12 });
    checkOpGrads((mm) => cholesky(spd(mm)), [m], FD64);
    checkOpGrads((mm) => logdetSpd(spd(mm)), [m], FD64);
  });
});
