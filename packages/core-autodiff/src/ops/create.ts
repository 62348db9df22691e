import { type DType, type DataArray, alloc, isFloat } from "../dtype.js";
import { ArgumentError, ShapeError, ValueError, fmtShape } from "../errors.js";
import { MAX_SIZE, type Shape, checkShape, sizeOf } from "../shape.js";
import { Access, hostKernel } from "../kernel-trace.js";
import { Tensor } from "../tensor.js";
import { describe, dtypeArg, floatDTypeArg, intArg, numberArg, optionsArg, tensorArg } from "../validate.js";

/** Values accepted by `tensor()`: a number, nested arrays of numbers, or a flat array/typed array with `shape`. */
export type TensorInput = number | readonly TensorInput[] | ArrayLike<number>;

/** Options of tensor creation. */
export interface CreateOptions {
  /** Element type (default float64). */
  readonly dtype?: DType;
  /** Shape of a flat input; required for typed arrays that are not 1-D. */
  readonly shape?: readonly number[];
}

/** A number or a tensor: binary ops accept both. */
export type TensorLike = Tensor | number;

function inferShape(v: unknown, op: string): number[] {
  const shape: number[] = [];
  let cur: unknown = v;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  if (!Array.isArray(v) && typeof v !== "number" && !ArrayBuffer.isView(v)) {
    throw new ValueError(op, `expected a number, nested arrays or a typed array, got ${typeof v}`);
  }
  return shape;
}

function fill(v: unknown, shape: readonly number[], d: number, out: DataArray, pos: { i: number }, op: string): void {
  if (d === shape.length) {
    if (typeof v !== "number") throw new ValueError(op, `ragged or non-numeric nested array (found ${Array.isArray(v) ? "an array" : typeof v} at depth ${d})`);
    out[pos.i++] = v;
    return;
  }
  if (!Array.isArray(v) || v.length !== shape[d]) {
    throw new ShapeError(op, `ragged nested array: expected length ${shape[d]} at depth ${d}`);
  }
  for (const e of v) fill(e, shape, d + 1, out, pos, op);
}

/**
 * Create a tensor from a number, nested arrays, or a flat (typed) array with `shape`.
 * @example tensor([[1, 2], [3, 4]]); tensor(new Float32Array(6), { shape: [2, 3], dtype: "float32" })
 */
export function tensor(values: TensorInput | Tensor, options: CreateOptions = {}): Tensor {
  const op = "tensor";
  optionsArg(op, options, ["dtype", "shape"]);
  if (typeof values !== "number" && (values === null || typeof values !== "object")) {
    throw new ArgumentError(op, `values must be a number, nested arrays, a typed array or a Tensor, got ${describe(values)}`);
  }
  if (values instanceof Tensor) {
    const dtype = dtypeArg(op, "dtype", options.dtype, values.dtype);
    const shape = options.shape ? checkShape(op, options.shape) : [...values.shape];
    if (sizeOf(shape) !== values.size) throw new ShapeError(op, `cannot view ${values.size} elements as ${fmtShape(shape)}`);
    const data = alloc(dtype, values.size);
    hostKernel(op, (src: DataArray, dst: DataArray) => copyInto(dst, src, dtype, op), [values.data, data], [Access.Read, Access.Write]);
    return new Tensor(data, shape, dtype);
  }
  const dtype = dtypeArg(op, "dtype", options.dtype, "float64");
  if (typeof values === "number") {
    const shape = options.shape ? checkShape(op, options.shape) : [];
    if (sizeOf(shape) !== 1) throw new ShapeError(op, `a single number cannot fill shape ${fmtShape(shape)}`);
    const data = alloc(dtype, 1);
    copyInto(data, [values], dtype, op);
    return new Tensor(data, shape, dtype);
  }
  if (ArrayBuffer.isView(values) || (!Array.isArray(values) && typeof (values as ArrayLike<number>).length === "number")) {
    const flat = values as ArrayLike<number>;
    intArg(op, "the length of values", flat.length, 0, MAX_SIZE);
    const shape = options.shape ? checkShape(op, options.shape) : [flat.length];
    if (sizeOf(shape) !== flat.length) throw new ShapeError(op, `${flat.length} values do not fit shape ${fmtShape(shape)}`);
    const data = alloc(dtype, flat.length);
    copyInto(data, flat, dtype, op);
    return new Tensor(data, shape, dtype);
  }
  const inferred = inferShape(values, op);
  const data = alloc(dtype, sizeOf(inferred));
  const tmp = dtype === "int32" ? new Float64Array(data.length) : data;
  fill(values, inferred, 0, tmp, { i: 0 }, op);
  if (tmp !== data) copyInto(data, tmp, dtype, op);
  const shape = options.shape ? checkShape(op, options.shape) : inferred;
  if (sizeOf(shape) !== data.length) throw new ShapeError(op, `${data.length} values do not fit shape ${fmtShape(shape)}`);
  return new Tensor(data, shape, dtype);
}

function copyInto(dst: DataArray, src: ArrayLike<number>, dtype: DType, op: string): void {
  if (dtype === "int32") {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) throw new ValueError(op, `int32 tensor needs integer values, got ${v} at index ${i}`);
      dst[i] = v;
    }
    return;
  }
  // A float/int typed array holds only numbers: one bulk copy (same rounding as element stores).
  if (src instanceof Float64Array || src instanceof Float32Array || src instanceof Int32Array) {
    dst.set(src);
    return;
  }
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (typeof v !== "number") throw new ValueError(op, `non-numeric value at index ${i}`);
    dst[i] = v;
  }
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, options: { dtype?: DType } = {}): Tensor {
  return filled("full", shape, value, options);
}

/** `full` reporting its errors as `op` (zeros/ones name themselves, not full). */
function filled(op: string, shape: readonly number[], value: number, options: { dtype?: DType }): Tensor {
  const s = checkShape(op, shape);
  optionsArg(op, options, ["dtype"]);
  const dtype = dtypeArg(op, "dtype", options.dtype, "float64");
  // any number, NaN and ±Infinity included (a NaN loss, a −∞ mask are legitimate fills)
  if (typeof value !== "number") throw new ArgumentError(op, `value must be a number, got ${describe(value)}`);
  if (dtype === "int32") intArg(op, "an int32 fill value", value, -2147483648, 2147483647);
  const data = alloc(dtype, sizeOf(s));
  if (value !== 0) data.fill(value);
  return new Tensor(data, s, dtype);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], options: { dtype?: DType } = {}): Tensor {
  return filled("zeros", shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options: { dtype?: DType } = {}): Tensor {
  return filled("ones", shape, 1, options);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: Tensor): Tensor {
  tensorArg("zerosLike", "x", x);
  return full(x.shape, 0, { dtype: x.dtype });
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: Tensor): Tensor {
  tensorArg("onesLike", "x", x);
  return full(x.shape, 1, { dtype: x.dtype });
}

/** `value` with the shape and dtype of `x`. */
export function fullLike(x: Tensor, value: number): Tensor {
  tensorArg("fullLike", "x", x);
  return full(x.shape, value, { dtype: x.dtype });
}

/** Evenly spaced values in [start, stop) with `step` (NumPy's arange); `arange(n)` is 0…n−1. */
export function arange(start: number, stop?: number, step = 1, options: { dtype?: DType } = {}): Tensor {
  if (stop === undefined) { stop = start; start = 0; }
  numberArg("arange", "start", start);
  numberArg("arange", "stop", stop);
  numberArg("arange", "step", step);
  if (step === 0) throw new ValueError("arange", "step must be non-zero");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (n > MAX_SIZE) throw new ShapeError("arange", `${n} values, more than the ${MAX_SIZE} a tensor may hold`);
  optionsArg("arange", options, ["dtype"]);
  const dtype = dtypeArg("arange", "dtype", options.dtype, "float64");
  if (dtype === "int32" && n > 0) {
    intArg("arange", "start (int32)", start, -2147483648, 2147483647);
    intArg("arange", "step (int32)", step);
    intArg("arange", "the last value (int32)", start + (n - 1) * step, -2147483648, 2147483647);
  }
  const data = alloc(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], dtype);
}

/** `num` evenly spaced values from start to stop inclusive (NumPy's linspace). */
export function linspace(start: number, stop: number, num: number, options: { dtype?: DType } = {}): Tensor {
  numberArg("linspace", "start", start);
  numberArg("linspace", "stop", stop);
  intArg("linspace", "num", num, 0, MAX_SIZE);
  optionsArg("linspace", options, ["dtype"]);
  const dtype = floatDTypeArg("linspace", "dtype", options.dtype, "float64");
  const data = alloc(dtype, num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) data[i] = start + i * step;
  if (num > 1) data[num - 1] = stop;
  return new Tensor(data, [num], dtype);
}

/** The n×m identity (m defaults to n). */
export function eye(n: number, m = n, options: { dtype?: DType } = {}): Tensor {
  intArg("eye", "n", n, 0, MAX_SIZE);
  intArg("eye", "m", m, 0, MAX_SIZE);
  const t = zeros([n, m], options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}

/** A scalar of the given dtype. */
export function scalar(value: number, dtype: DType = "float64"): Tensor {
  return full([], value, { dtype: dtypeArg("scalar", "dtype", dtype, "float64") });
}

/** @internal Coerce a TensorLike to a tensor, numbers taking `dtype`. */
export function asTensor(x: TensorLike, dtype: DType): Tensor {
  return typeof x === "number" ? full([], x, { dtype: dtype === "int32" ? "float64" : dtype }) : x;
}

export type { Shape };
