// vmap's batching interpreter (JAX's BatchTracer, in this engine's terms). A mapped value inside
// f is a `BatchTracer`: a Tensor whose shape is the per-example shape and which carries the
// physical value [B, ...shape] (batch axis always 0). While vmap runs, `apply` and the raw
// constant kernels hand any call with a tracer among its inputs or tensor parameters to the
// primitive's batch rule (prim/batch-rules.ts), which computes the whole batch at once; the
// result is a tracer again, recorded on the tape like any op output, so grad/vjp/jvp inside f
// differentiate per example and their rules are batched the same way. Nesting gives each vmap a
// level; a rule unwraps only the innermost level, and the ops it runs are batched by the outer ones.
//
// A tracer has no per-example buffer: reading its values (`item()`, `toArray()`, `.data`, a host
// kernel) throws `BatchReadError`, which the vmap that made it catches to rerun the call as a loop.
import { type DType, type DataArray } from "./dtype.js";
import { TransformError, fmtShape } from "./errors.js";
import { broadcastTo, reshape, stopGradient } from "./ops/shape.js";
import { type BatchHooks, setBatchHooks } from "./prim/batch-hook.js";
import { BATCH_RULES, type BatchArgs } from "./prim/batch-rules.js";
import { binaryRaw, unaryRaw } from "./prim/kernels.js";
import type { OpInputs, OpName, OpParams } from "./prim/signatures.js";
import { sizeOf } from "./shape.js";
import { record } from "./tape.js";
import { Tensor } from "./tensor.js";
import { type Tree, treeMap } from "./tree.js";

/** f read the values of a mapped tensor: the vmap at `level` reruns the call as a loop. */
export class BatchReadError extends TransformError {
  readonly level: number;
  constructor(level: number) {
    super("vmap", "f reads the values of a mapped tensor (item(), toArray(), .data or a host kernel); inside vmap only whole-batch ops are possible, so vmap runs such a call as a loop (this error escapes only if a mapped tensor is used after its vmap returned)");
    this.name = "BatchReadError";
    this.level = level;
  }
}

function readMapped(this: BatchTracer): never {
  throw new BatchReadError(this.level);
}

// Tensor's constructor wants a buffer of the logical size; tracers share one zero buffer per
// dtype (never read: `data` is replaced by a throwing getter).
const placeholders = new Map<DType, DataArray>();
function placeholder(dtype: DType, n: number): DataArray {
  let b = placeholders.get(dtype);
  if (b === undefined || b.length < n) {
    const len = Math.max(n, 2 * (b?.length ?? 0), 1024);
    b = dtype === "float64" ? new Float64Array(len) : dtype === "float32" ? new Float32Array(len) : new Int32Array(len);
    placeholders.set(dtype, b);
  }
  return b.subarray(0, n);
}

/** @internal A mapped value inside vmap: per-example shape outside, the whole batch inside. */
export class BatchTracer extends Tensor {
  /** The physical value [B, ...shape]. */
  readonly value: Tensor;
  /** Nesting depth of the vmap that made it (1 = outermost). */
  readonly level: number;
  /** The vmap call that made it (tracers outliving their call are refused). */
  readonly owner: number;
  constructor(value: Tensor, level: number) {
    const shape = value.shape.slice(1);
    super(placeholder(value.dtype, sizeOf(shape)), shape, value.dtype);
    this.value = value;
    this.level = level;
    this.owner = owners[level] ?? 0;
    Object.defineProperty(this, "data", { get: readMapped, enumerable: true, configurable: true });
  }

  override get size(): number {
    return sizeOf(this.shape);
  }

  override toString(): string {
    return `Tensor(${this.dtype}, ${fmtShape(this.shape)}, mapped by vmap over ${this.value.shape[0]} examples)`;
  }
}

/** @internal Calls of runBatched that ran batched / fell back to the loop (tests check which path ran). */
export const batchStats = { batched: 0, fallbacks: 0 };

/** Current vmap nesting depth, and per level the batch size and the running call. */
let depth = 0;
let calls = 0;
const sizes: number[] = [];
const owners: number[] = [];

/** The physical value of x if it is mapped at `level` (else x itself, unmapped at this level). */
const physical = (x: Tensor, level: number): Tensor => (x instanceof BatchTracer && x.level === level ? x.value : x);
const mappedAt = (x: unknown, level: number): boolean => x instanceof BatchTracer && x.level === level;
function levelOf(x: unknown): number {
  if (!(x instanceof BatchTracer)) return 0;
  if (owners[x.level] !== x.owner) {
    throw new TransformError("vmap", `a mapped tensor ${fmtShape(x.shape)} from a vmap call that has returned is used in an op (keep only vmap's outputs)`);
  }
  return x.level;
}

/** A mapped x (at `level`) with unit axes after the batch axis up to logical rank r; others unchanged. */
function lift(x: Tensor, level: number, r: number): Tensor {
  if (!mappedAt(x, level)) return x;
  const v = (x as BatchTracer).value;
  return x.ndim >= r ? v : reshape(v, [v.shape[0]!, ...new Array<number>(r - x.ndim).fill(1), ...x.shape]);
}

const HOOKS: BatchHooks = {
  apply<K extends OpName>(op: K, inputs: OpInputs<K>, params: OpParams<K>): Tensor | null {
    let level = 0;
    for (const x of inputs as readonly Tensor[]) level = Math.max(level, levelOf(x));
    const entries = Object.entries(params);
    for (const [, v] of entries) level = Math.max(level, levelOf(v));
    if (level === 0) return null;
    const phys = (inputs as readonly Tensor[]).map((x) => physical(x, level));
    const batched = (inputs as readonly Tensor[]).map((x) => mappedAt(x, level));
    let physParams = params;
    const mappedKeys = new Set<string>();
    for (const [k, v] of entries) {
      if (!mappedAt(v, level)) continue;
      mappedKeys.add(k);
      physParams = { ...physParams, [k]: (v as BatchTracer).value };
    }
    const args: BatchArgs<K> = {
      inputs: phys as unknown as OpInputs<K>, batched, params: physParams, paramBatched: (k) => mappedKeys.has(k), size: sizes[level]!,
    };
    const out = (BATCH_RULES[op] as (a: BatchArgs<K>) => Tensor)(args);
    return record(new BatchTracer(out, level), op, inputs, params);
  },
  unary(op, x, param) {
    return x instanceof BatchTracer ? new BatchTracer(unaryRaw(op, x.value, param), x.level) : null;
  },
  binary(op, a, b, dtype) {
    const level = Math.max(levelOf(a), levelOf(b));
    if (level === 0) return null;
    const r = Math.max(a.ndim, b.ndim);
    return new BatchTracer(binaryRaw(op, lift(a, level, r), lift(b, level, r), dtype), level);
  },
  leading(x, fn) {
    if (!(x instanceof BatchTracer)) return null;
    return new BatchTracer(HOOKS.leading(x.value, fn) ?? fn(x.value), x.level);
  },
  physical(x) {
    let v = x;
    while (v instanceof BatchTracer) v = v.value;
    return v === x ? null : v;
  },
  alias(x, stop) {
    return x instanceof BatchTracer ? new BatchTracer(stop ? stopGradient(x.value) : x.value, x.level) : null;
  },
};

/**
 * @internal f over the batch in one pass: mapped leaves (axes[i] === 0) become tracers of a new
 * level, outputs are unwrapped (unmapped ones broadcast over the batch). Returns null when f read a
 * mapped value (the caller then loops).
 */
export function runBatched<A extends unknown[], O extends Tree>(f: (...args: A) => O, args: A, axes: readonly (0 | null)[], n: number): O | null {
  const level = ++depth;
  sizes[level] = n;
  owners[level] = ++calls;
  const prev = setBatchHooks(HOOKS);
  try {
    const wrapped = args.map((a, i) => (axes[i] === null ? a : treeMap((l: Tensor) => new BatchTracer(l, level), a as Tree))) as A;
    const out = f(...wrapped);
    batchStats.batched++;
    return treeMap((l: Tensor) => (mappedAt(l, level) ? (l as BatchTracer).value : broadcastTo(reshape(l, [1, ...l.shape]), [n, ...l.shape])), out) as O;
  } catch (e) {
    if (e instanceof BatchReadError && e.level === level) {
      batchStats.fallbacks++;
      return null;
    }
    throw e;
  } finally {
    owners[level] = 0;
    depth--;
    setBatchHooks(prev);
  }
}

/** @internal For elementwise host checks: the values of the whole batch behind a mapped x (x itself otherwise). */
export function wholeBatch(x: Tensor): Tensor {
  return HOOKS.physical(x) ?? x;
}

/** @internal Whether vmap's batching interpreter is running (for tests). */
export function batchingDepth(): number {
  return depth;
}
