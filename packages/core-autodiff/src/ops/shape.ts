import type { DataArray } from "../dtype.js";
import { DTypeError, ShapeError, ValueError, fmtShape } from "../errors.js";
import { broadcastShapes, checkShape, normAxis, shapesEqual, sizeOf, type Shape } from "../shape.js";
import { hostKernel } from "../kernel-trace.js";
import { apply } from "../prim/kernels.js";
import { batchHooks } from "../prim/batch-hook.js";
import { Tensor } from "../tensor.js";
import { requireInt } from "./util.js";
import { intArg, tensorArg, tensorListArg } from "../validate.js";

/** The same values with no gradient path (shares the buffer). */
export function stopGradient(x: Tensor): Tensor {
  tensorArg("stopGradient", "x", x);
  return batchHooks?.alias(x, true) ?? new Tensor(x.data, x.shape, x.dtype);
}

/** View with a new shape of the same size; one extent may be −1 (inferred). Shares the buffer. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  tensorArg("reshape", "x", x);
  if (!Array.isArray(shape)) throw new ShapeError("reshape", `shape must be an array of integers, got ${shape === null ? "null" : typeof shape}`);
  const s = [...shape];
  const neg = s.indexOf(-1);
  if (neg >= 0 && s.indexOf(-1, neg + 1) >= 0) throw new ShapeError("reshape", `only one extent may be -1, got ${fmtShape(shape)}`);
  if (neg >= 0) {
    const rest = s.reduce((p, d, i) => (i === neg ? p : p * d), 1);
    if (rest === 0 || x.size % rest !== 0) throw new ShapeError("reshape", `cannot reshape ${fmtShape(x.shape)} into ${fmtShape(shape)}`);
    s[neg] = x.size / rest;
  }
  checkShape("reshape", s);
  if (sizeOf(s) !== x.size) throw new ShapeError("reshape", `cannot reshape ${fmtShape(x.shape)} (${x.size} elements) into ${fmtShape(shape)}`);
  if (shapesEqual(s, x.shape)) return x;
  return apply("reshape", [x], { shape: s });
}

/** Insert a unit axis at `axis`. */
export function expandDims(x: Tensor, axis: number): Tensor {
  tensorArg("expandDims", "x", x);
  const ax = normAxis("expandDims", axis, x.ndim + 1);
  const s = [...x.shape];
  s.splice(ax, 0, 1);
  return reshape(x, s);
}

/** Remove unit axes (all, or the given ones). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  tensorArg("squeeze", "x", x);
  if (axis !== undefined && typeof axis !== "number" && !Array.isArray(axis)) throw new ShapeError("squeeze", "axis must be an integer or an array of integers");
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : (typeof axis === "number" ? [axis] : axis).map((a) => normAxis("squeeze", a, x.ndim));
  for (const a of axes) if (x.shape[a] !== 1) throw new ShapeError("squeeze", `axis ${a} of ${fmtShape(x.shape)} has extent ${x.shape[a]}, not 1`);
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Broadcast to a larger shape (NumPy rules). */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  tensorArg("broadcastTo", "x", x);
  checkShape("broadcastTo", shape);
  if (shapesEqual(x.shape, shape)) return x;
  const target = broadcastShapes("broadcastTo", x.shape, shape);
  if (!shapesEqual(target, shape)) throw new ShapeError("broadcastTo", `cannot broadcast ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
  return apply("broadcastTo", [x], { shape: [...shape] });
}

/** Permute axes (default: reverse them, i.e. the matrix transpose for 2-D). */
export function transpose(x: Tensor, axes?: readonly number[]): Tensor {
  tensorArg("transpose", "x", x);
  if (axes !== undefined && !Array.isArray(axes)) throw new ShapeError("transpose", "axes must be an array of integers");
  const perm = axes ? axes.map((a) => normAxis("transpose", a, x.ndim)) : x.shape.map((_, i) => x.ndim - 1 - i);
  if (perm.length !== x.ndim || new Set(perm).size !== x.ndim) {
    throw new ShapeError("transpose", `axes ${JSON.stringify(axes)} are not a permutation of ${x.ndim} axes`);
  }
  return apply("transpose", [x], { perm });
}

/** Alias of `transpose` with explicit axes. */
export const permute = (x: Tensor, axes: readonly number[]): Tensor => transpose(x, axes);

/** Per-axis [begin, end) ranges (undefined/omitted = whole axis); negative indices count from the end. */
export type SliceSpec = readonly (readonly [number, number] | number | null | undefined)[];

function resolveSlice(x: Tensor, spec: SliceSpec): { begin: number[]; size: number[] } {
  tensorArg("slice", "x", x);
  if (!Array.isArray(spec)) throw new ShapeError("slice", "spec must be an array of per-axis ranges");
  if (spec.length > x.ndim) throw new ShapeError("slice", `${spec.length} ranges for a tensor of rank ${x.ndim}`);
  const begin: number[] = [], size: number[] = [];
  x.shape.forEach((d, i) => {
    const r = spec[i];
    let b = 0, e = d;
    if (typeof r === "number") { b = r < 0 ? r + d : r; e = b + 1; }
    else if (Array.isArray(r) && r.length === 2) { b = r[0] < 0 ? r[0] + d : r[0]; e = r[1] < 0 ? r[1] + d : r[1]; }
    else if (r !== null && r !== undefined) b = NaN;
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e > d || b > e) {
      throw new ShapeError("slice", `range ${JSON.stringify(r)} is out of bounds for axis ${i} of ${fmtShape(x.shape)}`);
    }
    begin.push(b);
    size.push(e - b);
  });
  return { begin, size };
}

/** Sub-tensor by per-axis [begin, end) ranges; keeps the rank (a number n means [n, n+1)). */
export function slice(x: Tensor, spec: SliceSpec): Tensor {
  return apply("slice", [x], resolveSlice(x, spec));
}

/** Zero-pad each axis by [before, after]. */
export function pad(x: Tensor, widths: readonly (readonly [number, number])[]): Tensor {
  tensorArg("pad", "x", x);
  if (!Array.isArray(widths) || widths.some((w) => !Array.isArray(w) || w.length !== 2)) throw new ValueError("pad", "widths must be an array of [before, after] pairs");
  if (widths.length !== x.ndim) throw new ShapeError("pad", `${widths.length} pad widths for a tensor of rank ${x.ndim} ${fmtShape(x.shape)}`);
  for (const [b, a] of widths) if (!Number.isInteger(b) || !Number.isInteger(a) || b < 0 || a < 0) throw new ValueError("pad", `pad widths must be non-negative integers, got ${JSON.stringify(widths)}`);
  return apply("pad", [x], { widths });
}

/** Join tensors along an existing axis. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  tensorListArg("concat", "xs", xs);
  if (xs.length === 0) throw new ValueError("concat", "needs at least one tensor");
  const first = xs[0]!;
  if (first.ndim === 0) throw new ShapeError("concat", "cannot concatenate scalars (use stack)");
  const ax = normAxis("concat", axis, first.ndim);
  for (const t of xs) {
    if (t.dtype !== first.dtype) throw new DTypeError("concat", `dtypes differ: ${first.dtype} ${fmtShape(first.shape)} and ${t.dtype} ${fmtShape(t.shape)}`);
    if (t.ndim !== first.ndim || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new ShapeError("concat", `shapes ${xs.map((s) => fmtShape(s.shape)).join(", ")} differ outside axis ${ax}`);
    }
  }
  return apply("concat", xs, { axis: ax });
}

/** Join tensors of equal shape along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  tensorListArg("stack", "xs", xs);
  if (xs.length === 0) throw new ValueError("stack", "needs at least one tensor");
  const ax = normAxis("stack", axis, xs[0]!.ndim + 1);
  for (const t of xs) if (!shapesEqual(t.shape, xs[0]!.shape)) throw new ShapeError("stack", `shapes differ: ${xs.map((s) => fmtShape(s.shape)).join(", ")}`);
  return concat(xs.map((t) => expandDims(t, ax)), ax);
}

/** Reverse the order along axes (default all). */
export function flip(x: Tensor, axis?: number | readonly number[]): Tensor {
  tensorArg("flip", "x", x);
  if (axis !== undefined && typeof axis !== "number" && !Array.isArray(axis)) throw new ShapeError("flip", "axis must be an integer or an array of integers");
  const axes = axis === undefined ? x.shape.map((_, i) => i) : (typeof axis === "number" ? [axis] : axis).map((a) => normAxis("flip", a, x.ndim));
  return apply("flip", [x], { axes });
}

/** Circular shift by `shift` along `axis` (NumPy's roll): element i moves to i + shift. */
export function roll(x: Tensor, shift: number, axis = 0): Tensor {
  tensorArg("roll", "x", x);
  intArg("roll", "shift", shift);
  const ax = normAxis("roll", axis, x.ndim);
  const n = x.shape[ax]!;
  if (n === 0) return x;
  const k = ((shift % n) + n) % n;
  if (k === 0) return x;
  const spec = (r: readonly [number, number]) => x.shape.map((_, i) => (i === ax ? r : null));
  return concat([slice(x, spec([n - k, n])), slice(x, spec([0, n - k]))], ax);
}

function checkIndices(op: string, idx: Tensor, shape: Shape, ax: number): void {
  requireInt(op, "indices", idx);
  const n = shape[ax]!;
  const ishape = idx.shape;
  hostKernel(op, (d: DataArray) => {
    for (let i = 0; i < d.length; i++) {
      if (d[i]! < 0 || d[i]! >= n) {
        throw new ShapeError(op, `index ${d[i]} (flat position ${i} of indices ${fmtShape(ishape)}) is out of range for axis ${ax} of ${fmtShape(shape)}`);
      }
    }
  }, [(batchHooks?.physical(idx) ?? idx).data], []);
}

/** NumPy `take`: select entries along `axis` by an int32 index tensor (output axis replaced by the index shape). */
export function take(x: Tensor, indices: Tensor, axis = 0): Tensor {
  tensorArg("take", "x", x);
  const ax = normAxis("take", axis, x.ndim);
  checkIndices("take", indices, x.shape, ax);
  return reshape(apply("take", [x], { indices, axis: ax }), [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)]);
}

/** NumPy `take_along_axis`: indices has x's rank; output has the indices' shape. */
export function takeAlongAxis(x: Tensor, indices: Tensor, axis: number): Tensor {
  tensorArg("takeAlongAxis", "x", x);
  requireInt("takeAlongAxis", "indices", indices);
  const ax = normAxis("takeAlongAxis", axis, x.ndim);
  if (indices.ndim !== x.ndim || indices.shape.some((d, i) => i !== ax && d !== x.shape[i])) {
    throw new ShapeError("takeAlongAxis", `indices ${fmtShape(indices.shape)} must match ${fmtShape(x.shape)} outside axis ${ax}`);
  }
  checkIndices("takeAlongAxis", indices, x.shape, ax);
  return apply("takeAlongAxis", [x], { indices, axis: ax });
}

/** Transpose of take/takeAlongAxis: zeros of `shape` with `src` added at `indices` along `axis`. */
export function scatterAdd(src: Tensor, indices: Tensor, shape: Shape, axis: number, shared: boolean): Tensor {
  tensorArg("scatterAdd", "src", src);
  requireInt("scatterAdd", "indices", indices);
  checkShape("scatterAdd", shape);
  if (typeof shared !== "boolean") throw new ValueError("scatterAdd", "shared must be a boolean");
  const ax = normAxis("scatterAdd", axis, shape.length);
  const outer = shape.slice(0, ax).reduce((p, d) => p * d, 1);
  const inner = shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  checkIndices("scatterAdd", indices, shape, ax);
  const m = shared ? indices.size : indices.shape[ax]!;
  if (src.size !== outer * m * inner) throw new ShapeError("scatterAdd", `source ${fmtShape(src.shape)} does not match indices ${fmtShape(indices.shape)} into ${fmtShape(shape)}`);
  return apply("scatterAdd", [src], { indices, shape: [...shape], axis: ax, shared });
}
