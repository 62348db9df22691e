import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { add, cholesky, grad, hvp, inv, logdetSpd, matmul, mul, solve, sum, tensor, transpose, eye, ShapeError, ValueError, type Tensor } from "../index.js";

// Central differences of a scalar function of a tensor, one coordinate at a time (float64).
function fdGrad(f: (a: Tensor) => Tensor, a: Tensor, h = 1e-6): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.size; i++) {
    const p = tensor(a), m = tensor(a);
    p.data[i] = p.data[i]! + h;
    m.data[i] = m.data[i]! - h;
    out.push((f(p).item() - f(m).item()) / (2 * h));
  }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(atol + rtol * Math.abs(expected[i]!));
  }
}

// A random well-conditioned SPD matrix M·Mᵀ + n·I from n² values.
const spd = (n: number) =>
  fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((v) => {
    const m = tensor(v, { shape: [n, n] });
    return add(matmul(m, m, { transB: true }), eye(n, n));
  });

describe("solve", () => {
  it("returns x with A·x = b", () => {
    const A = tensor([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]]);
    const b = tensor([1, 2, 3]);
    expectClose(matmul(A, solve(A, b)).data, b.data, 1e-12, 1e-12);
    expectClose(matmul(A, inv(A)).data, eye(3).data, 1e-12, 1e-12);
  });

  it("has first- and second-order gradients matching finite differences", () => {
    fc.assert(
      fc.property(spd(3), fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }), (A, bv) => {
        const B = tensor(bv, { shape: [3, 2] });
        const W = tensor([0.3, -0.7, 1.1, 0.2, 0.5, -0.4], { shape: [3, 2] });
        const fA = (a: Tensor) => sum(mul(solve(a, B), W));
        expectClose(grad(fA)(A).data, fdGrad(fA, A), 1e-7, 1e-6);
        const fB = (b: Tensor) => sum(mul(solve(A, b), W));
        expectClose(grad(fB)(B).data, fdGrad(fB, B), 1e-7, 1e-6);
        // second order: H·v against finite differences of the gradient along v
        const v = tensor([0.1, -0.2, 0.3, 0.05, 0.4, -0.1, 0.2, 0.1, -0.3], { shape: [3, 3] });
        const f2 = (a: Tensor) => sum(mul(solve(a, B), mul(solve(a, B), W)));
        const h = 1e-5;
        const gp = grad(f2)(add(A, mul(v, h))), gm = grad(f2)(add(A, mul(v, -h)));
        const fd = Array.from(gp.data, (x, i) => (x - gm.data[i]!) / (2 * h));
        expectClose(hvp(f2, A, v).data, fd, 1e-6, 1e-5);
      }),
      { numRuns: 20 },
    );
  });

  it("rejects singular and mis-shaped systems with typed errors", () => {
    expect(() => solve(tensor([[1, 2], [2, 4]]), tensor([1, 1]))).toThrow(ValueError);
    expect(() => solve(tensor([[1, 2, 3], [4, 5, 6]]), tensor([1, 1]))).toThrow(/solve: needs a square matrix, got \[2, 3\]/);
    expect(() => solve(eye(2), tensor([1, 2, 3]))).toThrow(ShapeError);
  });
});

describe("cholesky", () => {
  it("factors A = L·Lᵀ with L lower triangular", () => {
    fc.assert(
      fc.property(spd(4), (A) => {
        const L = cholesky(A);
        expectClose(matmul(L, transpose(L)).data, A.data, 1e-10, 1e-10);
        for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(L.data[i * 4 + j]).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  it("has gradients matching finite differences (through logdet and a weighted sum)", () => {
    fc.assert(
      fc.property(spd(3), (A) => {
        const sym = (a: Tensor) => mul(add(a, transpose(a)), 0.5);
        const f = (a: Tensor) => add(logdetSpd(sym(a)), sum(mul(cholesky(sym(a)), tensor([1, 0, 0, 2, -1, 0, 0.5, 0.3, 1.5], { shape: [3, 3] }))));
        expectClose(grad(f)(A).data, fdGrad(f, A), 1e-6, 1e-6);
      }),
      { numRuns: 20 },
    );
  });

  it("rejects a matrix that is not positive definite", () => {
    expect(() => cholesky(tensor([[1, 2], [2, 1]]))).toThrow(/cholesky: matrix \[2, 2\] is not positive definite/);
  });
});
