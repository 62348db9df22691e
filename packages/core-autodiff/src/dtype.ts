/** Element type: float64 (default, for exact identities), float32 (speed), int32 (labels and indices, not differentiable). */
export type DType = "float64" | "float32" | "int32";

/** Floating-point dtypes: the only ones arithmetic and gradients accept. */
export type FloatDType = "float64" | "float32";

/** The typed array backing a tensor. */
export type DataArray = Float64Array | Float32Array | Int32Array;

// Every op allocates its output. A fresh ArrayBuffer costs V8 a malloc, a backing-store record and
// external-memory accounting: measured 1–20 µs for 1–80 KB buffers on Node 20 (~1 µs per KB in
// headless Chromium), i.e. more than many ops' loops, while a view into an existing buffer costs
// ~0.07 µs. So mid-sized outputs are carved from slabs; tiny arrays (≤ 64 bytes, on V8's heap
// anyway) and large ones get their own buffer, so a long-lived scalar never pins a slab.
// Outside `tidy` slabs are never reused (hence already zero) and the GC frees a slab once no view
// into it is alive; they are 120 KB (carving up to 32 KB), below glibc's 128 KB mmap threshold, so
// they come from the malloc heap, which reuses what the GC frees, rather than from fresh mmaps
// whose page faults cost ~0.2 ms per MB here and serialise worker threads on the process's memory
// map (1 MB slabs made a sweep's trainings 1.45× slower). Inside `tidy(fn)` allocations go to the
// scope's own 1 MB slabs (carving up to 128 KB), which return to a free list (zeroed on reuse)
// when fn returns: the steady state of a training loop reuses the same hot memory.
// Note: structured-cloning a carved array (postMessage) copies its whole slab; send
// `data.slice()` to a worker.
const ROOT_SLAB_BYTES = 120 * 1024;
const ROOT_CARVE_MAX = 32 * 1024;
const SLAB_BYTES = 1024 * 1024;
const CARVE_MIN = 64;
const CARVE_MAX = 128 * 1024;
/** Empty slabs kept for reuse by later scopes (the rest go back to the GC). */
const MAX_FREE_SLABS = 64;

/** Where allocations go: the root arena (slabs left to the GC) or a `tidy` scope's. */
interface Arena {
  slab: ArrayBuffer;
  used: number;
  /** Every slab this scope carved from, with the bytes used (null for the root arena: never recycled). */
  readonly slabs: { buf: ArrayBuffer; used: number }[] | null;
}

const freeSlabs: { buf: ArrayBuffer; used: number }[] = [];
const stats = { created: 0, reused: 0, root: 0 };

/** @internal Slabs created for scopes, reused by scopes, and created for the root arena so far. */
export function slabStats(): { readonly created: number; readonly reused: number; readonly root: number } {
  return { ...stats };
}
let arena: Arena = { slab: new ArrayBuffer(ROOT_SLAB_BYTES), used: 0, slabs: null };
const outer: Arena[] = [];

function nextSlab(a: Arena): void {
  if (a.slabs === null) {
    a.slab = new ArrayBuffer(ROOT_SLAB_BYTES);
    stats.root++;
  } else {
    const last = a.slabs[a.slabs.length - 1];
    if (last !== undefined) last.used = a.used;
    const f = freeSlabs.pop();
    if (f !== undefined) new Uint8Array(f.buf, 0, f.used).fill(0);
    a.slab = f !== undefined ? f.buf : new ArrayBuffer(SLAB_BYTES);
    stats[f !== undefined ? "reused" : "created"]++;
    a.slabs.push({ buf: a.slab, used: 0 });
  }
  a.used = 0;
}

/** @internal Start a scope whose slabs are recycled by `exitArena` (see `tidy`). */
export function enterArena(): void {
  outer.push(arena);
  arena = { slab: new ArrayBuffer(0), used: SLAB_BYTES, slabs: [] };
}

/**
 * @internal Start a scope whose allocations are never recycled (like the root arena): `jit`
 * records into it, since a recording's buffers live as long as its plan, even inside `tidy`.
 */
export function enterRootArena(): void {
  outer.push(arena);
  arena = { slab: new ArrayBuffer(0), used: ROOT_SLAB_BYTES, slabs: null };
}

/** @internal End a scope started by `enterRootArena`. */
export function exitRootArena(): void {
  arena = outer.pop()!;
}

/** @internal End the innermost scope; returns its slabs (allocations go to the enclosing arena again). */
export function exitArena(): readonly { buf: ArrayBuffer; used: number }[] {
  const a = arena;
  arena = outer.pop()!;
  const slabs = a.slabs!;
  const last = slabs[slabs.length - 1];
  if (last !== undefined) last.used = a.used;
  return slabs;
}

/** @internal Hand a finished scope's slabs back for reuse: nothing may read views into them afterwards. */
export function recycleSlabs(slabs: readonly { buf: ArrayBuffer; used: number }[]): void {
  for (const s of slabs) if (freeSlabs.length < MAX_FREE_SLABS) freeSlabs.push(s);
}

function carve(bytes: number): [ArrayBuffer, number] {
  const a = arena;
  if (a.used + bytes > (a.slabs === null ? ROOT_SLAB_BYTES : SLAB_BYTES)) nextSlab(a);
  const at = a.used;
  a.used += (bytes + 7) & ~7;
  return [a.slab, at];
}

// `tidy`'s results (typically the new parameters, replaced at the next step) are carved from their
// own 1 MB slabs, left to the GC like the root arena's: few, large, and never mixed with temporaries.
let resultSlab = new ArrayBuffer(SLAB_BYTES);
let resultUsed = 0;

/** @internal A zero-filled buffer for a tensor that outlives a `tidy` scope. */
export function allocResult(dtype: DType, n: number): DataArray {
  const bytes = dtype === "float64" ? 8 * n : 4 * n;
  if (bytes <= CARVE_MIN || bytes > CARVE_MAX) {
    return dtype === "float64" ? new Float64Array(n) : dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
  }
  if (resultUsed + bytes > SLAB_BYTES) {
    resultSlab = new ArrayBuffer(SLAB_BYTES);
    resultUsed = 0;
  }
  const at = resultUsed;
  resultUsed += (bytes + 7) & ~7;
  return dtype === "float64" ? new Float64Array(resultSlab, at, n) : dtype === "float32" ? new Float32Array(resultSlab, at, n) : new Int32Array(resultSlab, at, n);
}

/** Allocate a zero-filled buffer of `n` elements. */
export function alloc(dtype: DType, n: number): DataArray {
  const bytes = dtype === "float64" ? 8 * n : 4 * n;
  if (bytes <= CARVE_MIN || bytes > (arena.slabs === null ? ROOT_CARVE_MAX : CARVE_MAX)) {
    return dtype === "float64" ? new Float64Array(n) : dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
  }
  const [buf, at] = carve(bytes);
  return dtype === "float64" ? new Float64Array(buf, at, n) : dtype === "float32" ? new Float32Array(buf, at, n) : new Int32Array(buf, at, n);
}

/** The dtype of a typed array. */
export function dtypeOf(a: DataArray): DType {
  return a instanceof Float64Array ? "float64" : a instanceof Float32Array ? "float32" : "int32";
}

/** Whether a dtype is floating point. */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype !== "int32";
}
