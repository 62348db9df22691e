import { ShapeError, fmtShape } from "./errors.js";

/** A tensor shape: non-negative integer extents, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  if (!Array.isArray(shape)) throw new ShapeError("sizeOf", `shape must be an array of extents, got ${shape === null ? "null" : typeof shape}`);
  let n = 1;
  for (const d of shape) {
    // a nested array would coerce ([3] * 1 = 3) or give NaN: an extent is a number
    if (typeof d !== "number") throw new ShapeError("sizeOf", `shape must be an array of extents (numbers), got ${Array.isArray(d) ? "a nested array" : typeof d} in [${shape.map(String).join(", ")}]`);
    n *= d;
  }
  return n;
}

/** Row-major strides of a contiguous shape. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** NumPy broadcasting of two shapes; throws a ShapeError naming `op`. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  if (typeof op !== "string") throw new ShapeError("broadcastShapes", "the first argument must be the op name (a string)");
  checkShape(op, a, "a");
  checkShape(op, b, "b");
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(op, `shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Whether two shapes are identical. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Normalise one axis (negative counts from the end) for a tensor of rank `ndim`. */
export function normAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    // a Symbol or a null-prototype object in a template literal throws a TypeError instead of this error
    let shown: string;
    try {
      shown = String(axis);
    } catch {
      shown = `of type ${typeof axis}`;
    }
    throw new ShapeError(op, `axis ${shown} is out of range for a tensor of rank ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalise an axis list (undefined = all axes) into sorted unique axes. */
export function normAxes(op: string, axes: number | readonly number[] | undefined, ndim: number): number[] {
  if (axes === undefined) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axes !== "number" && !Array.isArray(axes)) throw new ShapeError(op, `axis must be an integer or an array of integers, got ${axes === null ? "null" : typeof axes}`);
  const list = typeof axes === "number" ? [axes] : axes;
  const out = list.map((a) => normAxis(op, a, ndim));
  const uniq = [...new Set(out)].sort((x, y) => x - y);
  if (uniq.length !== out.length) throw new ShapeError(op, `repeated axis in ${JSON.stringify(list)}`);
  return uniq;
}

/**
 * The largest number of elements a tensor may hold (2²⁸: 2 GiB of float64). Bigger requests are
 * refused before anything is allocated — a typo like `zeros([2 ** 31])` should not try to reserve
 * 16 GiB.
 */
export const MAX_SIZE = 2 ** 28;

/** Validate a user-supplied shape: an array of non-negative integer extents, at most MAX_SIZE elements. */
export function checkShape(op: string, shape: readonly number[], name = "shape"): number[] {
  if (!Array.isArray(shape)) throw new ShapeError(op, `${name} must be an array of non-negative integers, got ${shape === null ? "null" : typeof shape}`);
  for (const d of shape as readonly unknown[]) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < 0) throw new ShapeError(op, `invalid ${name} ${fmtShape(shape.map(String))}: extents must be non-negative integers`);
  }
  const n = sizeOf(shape);
  if (n > MAX_SIZE) throw new ShapeError(op, `${name} ${fmtShape(shape)} holds ${n} elements, more than the ${MAX_SIZE} a tensor may hold`);
  return [...shape];
}
