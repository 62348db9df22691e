import { ShapeError, fmtShape } from "../errors.js";
import type { Tensor } from "../tensor.js";

/** @internal Check a bias vector has `n` entries. */
export function linearCheck(op: string, bias: Tensor, n: number): void {
  if (bias.ndim !== 1 || bias.shape[0] !== n) throw new ShapeError(op, `bias must be [${n}], got ${fmtShape(bias.shape)}`);
}
