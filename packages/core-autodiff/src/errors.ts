// Every class sets its `name` explicitly: minifiers rename classes, and `name` is what users see.

/** Base class of every error raised by Regularize's autodiff engine; `op` names the operation. */
export class AutodiffError extends Error {
  /** The operation (or transform) that rejected its input. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${text(op)}: ${text(message)}`);
    this.name = "AutodiffError";
    this.op = text(op);
  }
}

/** Shapes that cannot be combined (broadcasting, matmul, reshape, axes out of range, sizes beyond the guard...). */
export class ShapeError extends AutodiffError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "ShapeError";
  }
}

/** Operands of different dtypes, a dtype the op does not support, or a dtype outside float64/float32/int32. */
export class DTypeError extends AutodiffError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "DTypeError";
  }
}

/** A value outside what the op accepts (NaN/Inf where finite values are required, bad options). */
export class ValueError extends AutodiffError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "ValueError";
  }
}

/** An argument of the wrong kind: a non-tensor where a tensor is expected, a string for a number, an unknown option. */
export class ArgumentError extends AutodiffError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "ArgumentError";
  }
}

/** NaN or ±Inf where finite values are required (a loss, a gradient, an option). */
export class NonFiniteError extends AutodiffError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "NonFiniteError";
  }
}

/** Misuse of a transform (non-scalar output of `grad`, a function that returns no tensor...). */
export class TransformError extends AutodiffError {
  constructor(op: string, message: string) {
    super(op, message);
    this.name = "TransformError";
  }
}

/**
 * A tensor from another copy of core-autodiff (e.g. one package loaded through `import`, another
 * through `require`): the two copies keep separate autodiff state, so mixing them is refused.
 */
export class DualPackageError extends AutodiffError {
  constructor(op: string, what: string) {
    super(op, `${text(what)} is a Tensor from another copy of @regularize/core-autodiff (its ESM and CommonJS builds loaded together?); load every @regularize package the same way, all through import or all through require`);
    this.name = "DualPackageError";
  }
}

/** Format a shape for error messages: `[2, 3]`. */
export function fmtShape(shape: readonly (number | string)[]): string {
  return `[${shape.join(", ")}]`;
}

/** `v` as text, whatever it is (a Symbol or a null-prototype object would make a template literal throw). */
function text(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
