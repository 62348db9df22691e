import { NONE, type GradNode, type OpInputs, type OpName, type OpParams } from "./prim/signatures.js";
import { TransformError } from "./errors.js";
import { batchHooks } from "./prim/batch-hook.js";
import { Tensor } from "./tensor.js";

// Recording happens only while a transform (grad, vjp...) is tracing a function, or while a
// nested transform computes a backward pass that an outer transform will differentiate again.
// Outside transforms no op pays for graph bookkeeping.
let activeTraces = 0;
let pausedDepth = 0;

/** @internal Whether ops should record their gradient rules now. */
export function isRecording(): boolean {
  return activeTraces > 0 && pausedDepth === 0;
}

/**
 * @internal Run `fn` while tracing (ops on tracked tensors record nodes). A transform started
 * inside `noGrad` must still see its own function's graph, so the pause is lifted for the trace
 * and restored afterwards (the backward pass then runs paused, as the caller asked).
 */
export function withTrace<T>(fn: () => T): T {
  const paused = pausedDepth;
  activeTraces++;
  pausedDepth = 0;
  try {
    return fn();
  } finally {
    activeTraces--;
    pausedDepth = paused;
  }
}

/** @internal Number of transforms currently tracing. */
export function traceDepth(): number {
  return activeTraces;
}

/** Run `fn` with gradient recording switched off (like `torch.no_grad`). */
export function noGrad<T>(fn: () => T): T {
  if (typeof fn !== "function") throw new TransformError("noGrad", "fn must be a function");
  pausedDepth++;
  try {
    return fn();
  } finally {
    pausedDepth--;
  }
}

/**
 * @internal Record that primitive `op` made `out` from `inputs` (its rules in prim/rules.ts use
 * the node), when any input is tracked and recording is on.
 */
export function record<K extends OpName>(out: Tensor, op: K, inputs: OpInputs<K>, params: OpParams<K>): Tensor {
  if (activeTraces === 0 || pausedDepth > 0) return out;
  for (const t of inputs) {
    if (t.node !== null) {
      out.node = { op, inputs, params } as GradNode;
      return out;
    }
  }
  return out;
}

/** @internal A new tracked tensor standing for `x` (shares its buffer); identity back to `x` if `x` is tracked. */
export function makeVariable(x: Tensor): Tensor {
  const v = batchHooks?.alias(x, false) ?? new Tensor(x.data, x.shape, x.dtype);
  v.node = { op: "variable", inputs: x.node !== null ? [x] : [], params: NONE };
  return v;
}
