// The validation layer of the public API: every public op checks its arguments through these
// helpers before it computes, so bad input fails with a typed error naming the op and the argument
// (never a TypeError from deep inside, a hang or a silent truncation).
import { BACKEND_KERNELS, type Backend } from "./backend-types.js";
import { hasTensorBrand } from "./brand.js";
import { type DType, type FloatDType } from "./dtype.js";
import { ArgumentError, DTypeError, DualPackageError, ValueError, fmtShape } from "./errors.js";
import { Tensor } from "./tensor.js";

/** The closed set of dtypes. */
export const DTYPES: readonly DType[] = ["float64", "float32", "int32"];

/** A short description of a value for error messages ("a string "f32"", "an object {foo}"...). */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (v instanceof Tensor) return `a ${v.dtype} tensor of shape ${fmtShape(v.shape)}`;
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "bigint") return `the bigint ${v}n`;
  if (typeof v === "function") return "a function";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === "object") {
    const keys = Object.keys(v).slice(0, 4);
    return `an object {${keys.join(", ")}}`;
  }
  return `a ${typeof v}`;
}

/** `v` as a Tensor, or an ArgumentError naming `op` and the argument. */
export function tensorArg(op: string, name: string, v: unknown): Tensor {
  if (v instanceof Tensor) return v;
  if (hasTensorBrand(v)) throw new DualPackageError(op, `argument ${name}`);
  throw new ArgumentError(op, `argument ${name} must be a Tensor, got ${describe(v)}`);
}

/** A tensor or a number (binary ops' operands). */
export function tensorLikeArg(op: string, name: string, v: unknown): Tensor | number {
  if (typeof v === "number") return v;
  if (v instanceof Tensor) return v;
  if (hasTensorBrand(v)) throw new DualPackageError(op, `argument ${name}`);
  throw new ArgumentError(op, `argument ${name} must be a Tensor or a number, got ${describe(v)}`);
}

/** A float (float64/float32) tensor. */
export function floatArg(op: string, name: string, v: unknown): Tensor {
  const t = tensorArg(op, name, v);
  if (t.dtype === "int32") throw new DTypeError(op, `needs float64 or float32 input, got ${t.dtype} tensor of shape ${fmtShape(t.shape)}`);
  return t;
}

/** An int32 tensor (labels, indices). */
export function intTensorArg(op: string, name: string, v: unknown): Tensor {
  const t = tensorArg(op, name, v);
  if (t.dtype !== "int32") throw new DTypeError(op, `${name} must be an int32 tensor, got ${t.dtype} of shape ${fmtShape(t.shape)}`);
  return t;
}

/** An array of tensors. */
export function tensorListArg(op: string, name: string, v: unknown): readonly Tensor[] {
  if (!Array.isArray(v)) throw new ArgumentError(op, `argument ${name} must be an array of tensors, got ${describe(v)}`);
  v.forEach((t, i) => tensorArg(op, `${name}[${i}]`, t));
  return v as readonly Tensor[];
}

/** One of the dtypes (`undefined` gives `fallback`). */
export function dtypeArg(op: string, name: string, v: unknown, fallback: DType): DType {
  if (v === undefined) return fallback;
  if (typeof v !== "string" || !(DTYPES as readonly string[]).includes(v)) {
    throw new DTypeError(op, `${name} must be one of ${DTYPES.join(", ")}, got ${describe(v)}`);
  }
  return v as DType;
}

/** float64 or float32 (`undefined` gives `fallback`). */
export function floatDTypeArg(op: string, name: string, v: unknown, fallback: FloatDType): FloatDType {
  const d = dtypeArg(op, name, v, fallback);
  if (d === "int32") throw new DTypeError(op, `${name} must be float64 or float32`);
  return d;
}

/** A number (finite unless `finite: false`), within [min, max]. */
export function numberArg(op: string, name: string, v: unknown, o: { readonly finite?: boolean; readonly min?: number; readonly max?: number } = {}): number {
  if (typeof v !== "number") throw new ArgumentError(op, `${name} must be a number, got ${describe(v)}`);
  if (Number.isNaN(v) || ((o.finite ?? true) && !Number.isFinite(v))) throw new ValueError(op, `${name} must be ${o.finite ?? true ? "finite" : "a number"}, got ${v}`);
  if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max)) {
    throw new ValueError(op, `${name} must be in [${o.min ?? "-∞"}, ${o.max ?? "∞"}], got ${v}`);
  }
  return v;
}

/** A safe integer within [min, max]. */
export function intArg(op: string, name: string, v: unknown, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number") throw new ArgumentError(op, `${name} must be an integer, got ${describe(v)}`);
  if (!Number.isInteger(v) || v < min || v > max) throw new ValueError(op, `${name} must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

/** A boolean (`undefined` gives `fallback`). */
export function boolArg(op: string, name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== "boolean") throw new ArgumentError(op, `${name} must be a boolean, got ${describe(v)}`);
  return v;
}

/** A function. */
export function fnArg<F>(op: string, name: string, v: F): F {
  if (typeof v !== "function") throw new ArgumentError(op, `${name} must be a function, got ${describe(v)}`);
  return v;
}

/**
 * An options object (`undefined` gives `{}`): a plain object whose keys are all in `keys`, so a
 * misspelled option is an error instead of being ignored.
 */
export function optionsArg<T extends object>(op: string, v: T | undefined, keys: readonly (keyof T & string)[]): T {
  if (v === undefined) return {} as T;
  if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Tensor) {
    throw new ArgumentError(op, `options must be an object, got ${describe(v)}`);
  }
  // for…in, not Object.keys: no array per call on the hot path (reductions in every backward pass)
  for (const k in v) {
    if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
    if (!(keys as readonly string[]).includes(k)) {
      throw new ArgumentError(op, `unknown option ${JSON.stringify(k)} (expected ${keys.length > 0 ? keys.join(", ") : "none"})`);
    }
  }
  return v;
}

/** A Backend: an object with every required kernel (and, if present, a function `gemmBiasAct`). */
export function backendArg(op: string, v: unknown): Backend {
  if (v === null || typeof v !== "object") throw new ArgumentError(op, `backend must be a Backend object, got ${describe(v)}`);
  const b = v as Record<string, unknown>;
  const optional = ["gemmBiasAct", "sumSquares", "normal"];
  for (const k of [...BACKEND_KERNELS, ...optional]) {
    if (typeof b[k] !== "function" && !(optional.includes(k) && b[k] === undefined)) throw new ArgumentError(op, `backend.${k} must be a kernel function, got ${describe(b[k])}`);
  }
  return v as Backend;
}
