import { type DType, type DataArray, alloc } from "./dtype.js";
import { TENSOR_BRAND } from "./brand.js";
import { DTypeError, ValueError, ShapeError, fmtShape } from "./errors.js";
import { guardRead, isTracedArray } from "./kernel-trace.js";
import type { GradNode } from "./prim/signatures.js";

const DTYPES: readonly unknown[] = ["float64", "float32", "int32"];
import { type Shape, sizeOf } from "./shape.js";


/** Nested number arrays as produced by `toArray()`. */
export type NestedArray = number | NestedArray[];

/**
 * An immutable N-d array of float64, float32 or int32 values (row-major, contiguous).
 * Create tensors with `tensor()`, `zeros()`, `arange()`...; operate on them with the op functions.
 */
export class Tensor {
  /** The element buffer, row-major. Treat as read-only: ops may share it between tensors. */
  readonly data: DataArray;
  /** Extents, outermost first; `[]` for a scalar. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** @internal autodiff record (the primitive that made this tensor, its inputs and parameters); null for constants. */
  node: GradNode | null = null;

  /** @internal use `tensor()` to create tensors. */
  constructor(data: DataArray, shape: Shape, dtype: DType) {
    const Ctor = dtype === "float64" ? Float64Array : dtype === "float32" ? Float32Array : dtype === "int32" ? Int32Array : null;
    if (Ctor === null || !(data instanceof Ctor)) throw new DTypeError("tensor", `a tensor of dtype ${DTYPES.includes(dtype) ? dtype : "(unknown)"} cannot hold ${ArrayBuffer.isView(data) ? data.constructor.name : "a non-typed-array"}`);
    if (!Array.isArray(shape)) throw new ShapeError("tensor", "shape must be an array of non-negative integers");
    let n = 1;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i];
      if (d === undefined || !Number.isInteger(d) || d < 0) throw new ShapeError("tensor", "shape must be an array of non-negative integers");
      n *= d;
    }
    if (data.length !== n) {
      throw new ShapeError("tensor", `buffer of ${data.length} elements does not fit shape ${fmtShape(shape)}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new ValueError("item", `tensor of shape ${fmtShape(this.shape)} has ${this.data.length} elements, not 1`);
    guardRead("item()", this.data);
    return this.data[0]!;
  }

  /** Values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const { data, shape } = this;
    guardRead("toArray()", data);
    if (shape.length === 0) return data[0]!;
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const n = shape[d]!;
      const out: NestedArray[] = new Array(n);
      if (d === shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = data[pos++]!;
      } else {
        for (let i = 0; i < n; i++) out[i] = build(d + 1);
      }
      return out;
    };
    return build(0);
  }

  /** A flat copy of the values as a plain array. */
  toFlatArray(): number[] {
    guardRead("toFlatArray()", this.data);
    return Array.from(this.data);
  }

  /** Node's console.log / util.inspect show the short description instead of the internals. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /** Short description for debugging. */
  toString(): string {
    // not JSON.stringify: it would print NaN and ±Infinity as null
    const fmt = (v: NestedArray): string => (typeof v === "number" ? String(v) : `[${v.map(fmt).join(",")}]`);
    const body = isTracedArray(this.data) ? "traced by jit" : this.size <= 20 ? fmt(this.toArray()) : `${this.size} elements`;
    return `Tensor(${this.dtype}, ${fmtShape(this.shape)}, ${body})`;
  }
}

/** @internal Wrap a freshly computed buffer. */
export function fromData(data: DataArray, shape: Shape, dtype: DType): Tensor {
  return new Tensor(data, shape, dtype);
}

/** @internal Allocate an output tensor buffer. */
export function empty(shape: Shape, dtype: DType): DataArray {
  return alloc(dtype, sizeOf(shape));
}

// The brand lives on the prototype: free per instance, and visible to other copies of this package.
Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true });
