import type { DType } from "../dtype.js";
import { DTypeError, fmtShape } from "../errors.js";
import type { Tensor } from "../tensor.js";
import { floatArg, tensorArg } from "../validate.js";

/** @internal Reject non-tensors and non-float tensors for ops that compute with values (arguments named by position when several). */
export function requireFloat(op: string, ...xs: Tensor[]): void {
  xs.forEach((x, i) => floatArg(op, xs.length === 1 ? "x" : ["a", "b", "c", "d"][i] ?? `#${i + 1}`, x));
}

/** @internal The common dtype of two operands (they must agree). */
export function commonDType(op: string, a: Tensor, b: Tensor): DType {
  tensorArg(op, "a", a);
  tensorArg(op, "b", b);
  if (a.dtype !== b.dtype) {
    throw new DTypeError(op, `dtypes differ: ${a.dtype} ${fmtShape(a.shape)} and ${b.dtype} ${fmtShape(b.shape)} (cast one with astype)`);
  }
  return a.dtype;
}

/** @internal Require an int32 tensor (labels, indices). */
export function requireInt(op: string, what: string, x: Tensor): void {
  tensorArg(op, what, x);
  if (x.dtype !== "int32") throw new DTypeError(op, `${what} must be an int32 tensor, got ${x.dtype} of shape ${fmtShape(x.shape)}`);
}
