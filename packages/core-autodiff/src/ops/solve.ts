import { ShapeError, fmtShape } from "../errors.js";
import { apply } from "../prim/kernels.js";
import { NONE } from "../prim/signatures.js";
import type { Tensor } from "../tensor.js";
import { eye } from "./create.js";
import { log, mul } from "./elementwise.js";
import { sum } from "./reduce.js";
import { commonDType, requireFloat } from "./util.js";
import { floatArg } from "../validate.js";

function square2d(op: string, a: Tensor): number {
  floatArg(op, "a", a);
  if (a.ndim !== 2 || a.shape[0] !== a.shape[1]) throw new ShapeError(op, `needs a square matrix, got ${fmtShape(a.shape)}`);
  return a.shape[0]!;
}

/**
 * X = A⁻¹B for a square A [n, n] and B [n] or [n, k] (LU with partial pivoting).
 * Differentiable in A and B (rules in terms of solve and matmul, so it differentiates again).
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  requireFloat("solve", a, b);
  commonDType("solve", a, b);
  const n = square2d("solve", a);
  if ((b.ndim !== 1 && b.ndim !== 2) || b.shape[0] !== n) throw new ShapeError("solve", `right-hand side ${fmtShape(b.shape)} does not match A ${fmtShape(a.shape)}`);
  return apply("solve", [a, b], NONE);
}

/** Lower-triangular L with A = L·Lᵀ for a symmetric positive-definite A (differentiable). */
export function cholesky(a: Tensor): Tensor {
  requireFloat("cholesky", a);
  square2d("cholesky", a);
  return apply("cholesky", [a], NONE);
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
