// The slot through which `vmap`'s batching interpreter (batching.ts) sees the few entry points
// that compute a tensor from another: `apply` (every primitive), the raw constant kernels, and
// the two buffer-sharing views (stopGradient, a transform's variable). Null outside vmap, so
// those paths pay one comparison; a module of its own so ops and the tape need not import the
// interpreter (which imports them).
import type { BinaryOp, UnaryOp } from "../kernels/elementwise.js";
import type { DType } from "../dtype.js";
import type { Tensor } from "../tensor.js";
import type { OpInputs, OpName, OpParams } from "./signatures.js";

/** @internal What vmap intercepts; each returns null when no argument is a mapped value. */
export interface BatchHooks {
  apply<K extends OpName>(op: K, inputs: OpInputs<K>, params: OpParams<K>): Tensor | null;
  unary(op: UnaryOp, x: Tensor, param: number): Tensor | null;
  binary(op: BinaryOp, a: Tensor, b: Tensor, dtype: DType): Tensor | null;
  /** A new tensor for the same values (`stop`: also cut the gradient path of the mapped buffer). */
  alias(x: Tensor, stop: boolean): Tensor | null;
  /** A constant `fn(x)` whose leading axes are x's (a cast, a one-hot encoding): for a mapped x, fn of the whole batch. */
  leading(x: Tensor, fn: (x: Tensor) => Tensor): Tensor | null;
  /** For elementwise host checks (index ranges, finiteness): the whole batch's values of a mapped x. */
  physical(x: Tensor): Tensor | null;
}

/** @internal The active hooks (null outside vmap). */
export let batchHooks: BatchHooks | null = null;

/** @internal Install hooks (null to remove); returns the previous ones. */
export function setBatchHooks(h: BatchHooks | null): BatchHooks | null {
  const prev = batchHooks;
  batchHooks = h;
  return prev;
}
