import { allocResult, enterArena, exitArena, recycleSlabs } from "./dtype.js";
import { activeRecorder } from "./kernel-trace.js";
import { isRecording } from "./tape.js";
import { Tensor } from "./tensor.js";

/**
 * Run `fn` in a memory scope (like TensorFlow.js's `tf.tidy`): op outputs allocated inside come
 * from the scope's own slabs, and when `fn` returns every tensor it created is released for reuse
 * **except those in its return value**, which are copied out (numbers and other values pass
 * through; tensors are found in nested arrays and plain objects). Wrapping each training step
 * (forward, backward, update) this way makes the steady state reuse the same memory instead of
 * allocating new buffers: fewer allocations, hot caches.
 *
 * Contract: a tensor created inside `fn` and reached afterwards any other way than through the
 * return value (stored in a closure or an outer variable, inside a class instance, a vjp
 * function) is invalid: its values will be overwritten. Tensors created before the scope, the
 * inputs, are never touched. Inside a transform's trace (`grad(f)` calling `tidy`) or a `jit`
 * recording there is no scope: `fn` simply runs, since the graph or plan must outlive it.
 * @example params = tidy(() => { const [, g] = lossAndGrad(params, x, y); return sgd(params, g); });
 */
export function tidy<T>(fn: () => T): T {
  if (isRecording() || activeRecorder() !== null) return fn();
  enterArena();
  let out: T;
  let slabs: readonly { buf: ArrayBuffer; used: number }[] = [];
  try {
    out = fn();
  } finally {
    slabs = exitArena();
  }
  const inScope = new Set<ArrayBufferLike>(slabs.map((s) => s.buf));
  const kept = copyOut(out, inScope) as T;
  recycleSlabs(slabs);
  return kept;
}

function copyOut(v: unknown, inScope: ReadonlySet<ArrayBufferLike>): unknown {
  if (v instanceof Tensor) {
    if (!inScope.has(v.data.buffer)) return v;
    const d = allocResult(v.dtype, v.size);
    d.set(v.data);
    return new Tensor(d, v.shape, v.dtype);
  }
  if (Array.isArray(v)) return v.map((e) => copyOut(e, inScope));
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) o[k] = copyOut(e, inScope);
    return o;
  }
  return v;
}
