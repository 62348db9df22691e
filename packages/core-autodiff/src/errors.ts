/** Base class of every error raised by Regularize's autodiff engine; `op` names the operation. */
export class AutodiffError extends Error {
  /** The operation (or transform) that rejected its input. */
  readonly op: string;
  constructor(op: string, message: string) {
    super(`${op}: ${message}`);
    this.name = new.target.name;
    this.op = op;
  }
}

/** Shapes that cannot be combined (broadcasting, matmul, reshape, axes out of range...). */
export class ShapeError extends AutodiffError {}

/** Operands of different dtypes, or a dtype the op does not support. */
export class DTypeError extends AutodiffError {}

/** A value outside what the op accepts (NaN/Inf where finite values are required, bad options). */
export class ValueError extends AutodiffError {}

/** NaN or ±Inf where finite values are required (a loss, a gradient, an option). */
export class NonFiniteError extends AutodiffError {}

/** Misuse of a transform (non-scalar output of `grad`, a function that returns no tensor...). */
export class TransformError extends AutodiffError {}

/**
 * A tensor from another copy of core-autodiff (e.g. one package loaded through `import`, another
 * through `require`): the two copies keep separate autodiff state, so mixing them is refused.
 */
export class DualPackageError extends AutodiffError {
  constructor(op: string, what: string) {
    super(op, `${what} is a Tensor from another copy of @regularize/core-autodiff (its ESM and CommonJS builds loaded together?); load every @regularize package the same way, all through import or all through require`);
  }
}

/** Format a shape for error messages: `[2, 3]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}
