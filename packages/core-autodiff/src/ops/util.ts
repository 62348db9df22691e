import { type DType, isFloat } from "../dtype.js";
import { DTypeError, fmtShape } from "../errors.js";
import type { Tensor } from "../tensor.js";

/** @internal Reject non-float tensors for ops that compute with values. */
export function requireFloat(op: string, ...xs: Tensor[]): void {
  for (const x of xs) {
    if (!isFloat(x.dtype)) throw new DTypeError(op, `needs float64 or float32 input, got ${x.dtype} tensor of shape ${fmtShape(x.shape)}`);
  }
}

/** @internal The common dtype of two operands (they must agree). */
export function commonDType(op: string, a: Tensor, b: Tensor): DType {
  if (a.dtype !== b.dtype) {
    throw new DTypeError(op, `dtypes differ: ${a.dtype} ${fmtShape(a.shape)} and ${b.dtype} ${fmtShape(b.shape)} (cast one with astype)`);
  }
  return a.dtype;
}

/** @internal Require an int32 tensor (labels, indices). */
export function requireInt(op: string, what: string, x: Tensor): void {
  if (x.dtype !== "int32") throw new DTypeError(op, `${what} must be an int32 tensor, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
}
