/** Element type: float64 (default, for exact identities), float32 (speed), int32 (labels and indices, not differentiable). */
export type DType = "float64" | "float32" | "int32";

/** Floating-point dtypes: the only ones arithmetic and gradients accept. */
export type FloatDType = "float64" | "float32";

/** The typed array backing a tensor. */
export type DataArray = Float64Array | Float32Array | Int32Array;

/** Allocate a zero-filled buffer of `n` elements. */
export function alloc(dtype: DType, n: number): DataArray {
  return dtype === "float64" ? new Float64Array(n) : dtype === "float32" ? new Float32Array(n) : new Int32Array(n);
}

/** The dtype of a typed array. */
export function dtypeOf(a: DataArray): DType {
  return a instanceof Float64Array ? "float64" : a instanceof Float32Array ? "float32" : "int32";
}

/** Whether a dtype is floating point. */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype !== "int32";
}
