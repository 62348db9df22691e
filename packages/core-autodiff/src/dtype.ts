/** Element type: float64 (default, for exact identities), float32 (speed), int32 (labels and indices, not differentiable). */
export type DType = "float64" | "float32" | "int32";

/** Floating-point dtypes: the only ones arithmetic and gradients accept. */
export type FloatDType = "float64" | "float32";

/** The typed array backing a tensor. */
export type DataArray = Float64Array | Float32Array | Int32Array;

// Every op allocates its output. A fresh ArrayBuffer costs V8 a malloc, a backing-store record and
// external-memory accounting: measured 1–20 µs for 1–80 KB buffers on Node 20, i.e. more than the
// op's own loop, while a view into an existing buffer costs ~0.07 µs. So mid-sized outputs are
// carved from 1 MB slabs (never reused, hence already zero); a slab is freed by the GC once no
// view into it is alive. Tiny arrays (≤ 64 bytes, allocated on V8's heap anyway) and large ones
// (> 128 KB, where the allocation is small next to the work on them) get their own buffer, so a
// long-lived scalar (a logged loss) never pins a slab. Note: structured-cloning a carved array
// (postMessage) copies its whole slab; send `data.slice()` to a worker.
const SLAB_BYTES = 1024 * 1024;
const CARVE_MIN = 64;
const CARVE_MAX = 128 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function carve(bytes: number): [ArrayBuffer, number] {
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += (bytes + 7) & ~7;
  return [slab, at];
}

/** Allocate a zero-filled buffer of `n` elements. */
export function alloc(dtype: DType, n: number): DataArray {
  const bytes = dtype === "float64" ? 8 * n : 4 * n;
  if (bytes <= CARVE_MIN || bytes > CARVE_MAX) {
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
