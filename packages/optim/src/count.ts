import { Tensor, add, tensor } from "@regularize/core-autodiff";
import { describeValue } from "@regularize/core-train";
import { UsageError } from "./errors.js";

/**
 * A transform's step count: a float64 scalar tensor (so `jit` replays a step at the runtime count
 * instead of recording every step anew). A plain number is accepted as input (older states).
 */
export type StepCount = Tensor | number;

/** The count as a float64 scalar tensor. */
export function countTensor(c: StepCount): Tensor {
  if (c instanceof Tensor) {
    if (c.size !== 1 || c.dtype !== "float64") throw new UsageError("count", `a step count must be a float64 scalar tensor, got ${c.dtype} [${c.shape.join(", ")}]`);
    return c;
  }
  if (!Number.isInteger(c) || c < 0) throw new UsageError("count", `a step count must be a non-negative integer, got ${describeValue(c)}`);
  return tensor(c, { dtype: "float64" });
}

/** count + 1, as a kernel (replayed by jit). */
export function nextCount(c: StepCount): Tensor {
  return add(countTensor(c), 1);
}

/** The count as a number (outside a jit recording: reads the tensor). */
export function countValue(c: StepCount): number {
  return countTensor(c) === c ? (c as Tensor).item() : (c as number);
}
