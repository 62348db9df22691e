import { allocResult, enterArena, exitArena, recycleSlabs } from "./dtype.js";
import { activeRecorder } from "./kernel-trace.js";
import { isRecording } from "./tape.js";
import { TransformError } from "./errors.js";
import { Tensor } from "./tensor.js";
import { fnArg } from "./validate.js";

const ASYNC = "fn returned a Promise (an async function?): a scope recycles its memory when fn returns, so fn must be synchronous (call tidy inside the async code, around each synchronous step)";

function isThenable(v: unknown): boolean {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}

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
  fnArg("tidy", "fn", fn);
  // an async fn would keep running after the scope recycled its memory (its later awaits see
  // overwritten tensors): refused before it runs
  if (Object.prototype.toString.call(fn) === "[object AsyncFunction]") throw new TransformError("tidy", ASYNC);
  if (isRecording() || activeRecorder() !== null) return fn();
  enterArena();
  let out: T;
  let slabs: readonly { buf: ArrayBuffer; used: number }[] = [];
  try {
    out = fn();
  } finally {
    slabs = exitArena();
  }
  if (isThenable(out)) {
    // a promise-returning (non-async) fn: its slabs are left to the GC, not recycled, so the
    // pending work cannot corrupt later scopes; the rejection is ours to report
    (out as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new TransformError("tidy", ASYNC);
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
  const proto: unknown = v !== null && typeof v === "object" ? Object.getPrototypeOf(v) : undefined;
  if (proto === Object.prototype || proto === null) {
    // plain objects, null-prototype ones too (kept null-prototype)
    const o: Record<string, unknown> = proto === null ? Object.create(null) as Record<string, unknown> : {};
    for (const [k, e] of Object.entries(v as object)) o[k] = copyOut(e, inScope);
    return o;
  }
  return v;
}
