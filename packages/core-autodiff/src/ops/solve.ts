import { alloc, type DataArray } from "../dtype.js";
import { ShapeError, ValueError, fmtShape } from "../errors.js";
import { record } from "../tape.js";
import { Access, READ_WRITE, hostKernel } from "../kernel-trace.js";
import { Tensor } from "../tensor.js";
import { eye } from "./create.js";
import { add, div, log, mul, neg } from "./elementwise.js";
import { matmul } from "./linalg.js";
import { sum } from "./reduce.js";
import { reshape, transpose } from "./shape.js";
import { commonDType, requireFloat } from "./util.js";

function square2d(op: string, a: Tensor): number {
  if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) throw new ShapeError(op, `needs a square matrix, got ${fmtShape(a.shape)}`);
  return a.shape[0]!;
}

/**
 * X = A⁻¹B for a square A [n, n] and B [n] or [n, k] (LU with partial pivoting).
 * Differentiable in A and B (rules in terms of solve and matmul, so it differentiates again).
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  requireFloat("solve", a, b);
  const dtype = commonDType("solve", a, b);
  const n = square2d("solve", a);
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== n) throw new ShapeError("solve", `right-hand side ${fmtShape(b.shape)} does not match A ${fmtShape(a.shape)}`);
  const k = b.ndim === 1 ? 1 : b.shape[1]!;
  const out = alloc(dtype, b.size);
  const ashape = a.shape;
  hostKernel("solve", (ad: DataArray, bd: DataArray, out: DataArray) => {
    const lu = Float64Array.from(ad);
    const x = Float64Array.from(bd);
    const scale = lu.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (let c = 0; c < n; c++) {
      let p = c;
      for (let r = c + 1; r < n; r++) if (Math.abs(lu[r * n + c]!) > Math.abs(lu[p * n + c]!)) p = r;
      const piv = lu[p * n + c]!;
      if (!(Math.abs(piv) > scale * n * 1e-15) || !Number.isFinite(piv)) throw new ValueError("solve", `matrix ${fmtShape(ashape)} is singular to working precision (pivot ${piv} in column ${c})`);
      if (p !== c) {
        for (let j = 0; j < n; j++) { const t = lu[c * n + j]!; lu[c * n + j] = lu[p * n + j]!; lu[p * n + j] = t; }
        for (let j = 0; j < k; j++) { const t = x[c * k + j]!; x[c * k + j] = x[p * k + j]!; x[p * k + j] = t; }
      }
      for (let r = c + 1; r < n; r++) {
        const f = lu[r * n + c]! / piv;
        if (f === 0) continue;
        for (let j = c + 1; j < n; j++) lu[r * n + j] = lu[r * n + j]! - f * lu[c * n + j]!;
        for (let j = 0; j < k; j++) x[r * k + j] = x[r * k + j]! - f * x[c * k + j]!;
      }
    }
    for (let c = n - 1; c >= 0; c--) {
      const d = lu[c * n + c]!;
      for (let j = 0; j < k; j++) {
        let s = x[c * k + j]!;
        for (let q = c + 1; q < n; q++) s -= lu[c * n + q]! * x[q * k + j]!;
        x[c * k + j] = s / d;
      }
    }
    out.set(x);
  }, [a.data, b.data, out], [Access.Read, Access.Read, Access.Write]);
  const res = new Tensor(out, b.shape, dtype);
  return record(res, "solve", [a, b], (g, needs) => {
    const gb = solve(transpose(a), g);
    const ga = needs[0] ? neg(b.ndim === 1 ? matmul(reshape(gb, [n, 1]), reshape(res, [1, n])) : matmul(gb, res, { transB: true })) : null;
    return [ga, needs[1] ? gb : null];
  });
}

/** Lower-triangular L with A = L·Lᵀ for a symmetric positive-definite A (differentiable). */
export function cholesky(a: Tensor): Tensor {
  requireFloat("cholesky", a);
  const n = square2d("cholesky", a);
  const out = alloc(a.dtype, n * n);
  const ashape = a.shape;
  hostKernel("cholesky", (A: DataArray, out: DataArray) => {
    const L = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = A[i * n + j]!;
        for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
        if (i === j) {
          if (!(s > 0)) throw new ValueError("cholesky", `matrix ${fmtShape(ashape)} is not positive definite (pivot ${s} at ${i})`);
          L[i * n + i] = Math.sqrt(s);
        } else {
          L[i * n + j] = s / L[j * n + j]!;
        }
      }
    }
    out.set(L);
  }, [a.data, out], READ_WRITE);
  const res = new Tensor(out, [n, n], a.dtype);
  // Murray (2016): Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹), Φ = lower triangle with the diagonal halved
  return record(res, "cholesky", [a], (g) => {
    const phiMask = lowerMask(n, a.dtype);
    const P = mul(matmul(res, g, { transA: true }), phiMask);
    const Linv = solve(res, eye(n, n, { dtype: a.dtype }));
    const S = matmul(matmul(Linv, P, { transA: true }), Linv);
    return [div(add(S, transpose(S)), 2)];
  });
}

function lowerMask(n: number, dtype: Tensor["dtype"]): Tensor {
  const m = new Tensor(alloc(dtype, n * n), [n, n], dtype);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m.data[i * n + j] = i === j ? 0.5 : 1;
  return m;
}

/** log|det A| of a symmetric positive-definite A via Cholesky: 2·Σ log Lᵢᵢ (differentiable). */
export function logdetSpd(a: Tensor): Tensor {
  const L = cholesky(a);
  const n = a.shape[0]!;
  return mul(sum(log(sum(mul(L, eye(n, n, { dtype: a.dtype })), { axis: 1 }))), 2);
}

/** A⁻¹ of a square matrix (prefer `solve` when you only need A⁻¹B). */
export function inv(a: Tensor): Tensor {
  const n = square2d("inv", a);
  return solve(a, eye(n, n, { dtype: a.dtype }));
}
