import { Tensor } from "@regularize/core-autodiff";
import { PluginOptionError, describeValue, optionValidators } from "@regularize/core-train";

// String() formats a Symbol or a number; a null-prototype object has no toString, so it is described instead
const asName = (v: unknown): string => (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === null ? describeValue(v) : String(v));

/** Bad input to a transfer / multi-task / self-supervised function; names the function and the argument. */
export class TransferError extends Error {
  /** The function or plugin that rejected the input, e.g. "pcgrad". */
  readonly fn: string;
  /** The argument or option at fault, e.g. "grads". */
  readonly argument: string;
  constructor(fn: string, argument: string, message: string) {
    // a Symbol or a null-prototype object passed as a name must not turn the error itself into a TypeError
    super(`${asName(fn)}: ${asName(argument)} ${asName(message)}`);
    this.name = "TransferError";
    this.fn = asName(fn);
    this.argument = asName(argument);
  }

  /**
   * A factory's TransferOptionError is core-train's PluginOptionError (one option-error type across
   * packages), so it is a TransferError by this check rather than by its prototype chain.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || (this === TransferError && value instanceof TransferOptionError);
  }
}

/**
 * An invalid option of a transfer plugin or pretext factory: core-train's PluginOptionError, and a
 * TransferError for `instanceof`; `fn` and `argument` name the factory and the option.
 */
export class TransferOptionError extends PluginOptionError {
  constructor(fn: string, option: string, message: string) {
    super(fn, option, message);
    this.name = "TransferOptionError";
    this.message = `${this.plugin}: ${this.option} ${typeof message === "string" ? message : describeValue(message)}`; // TransferError's form
  }

  /** The option (the same as `option`). */
  get argument(): string {
    return this.option;
  }
}

/** core-train's option validators, throwing TransferOptionError (factories). @internal */
export const check = optionValidators(TransferOptionError);

/** Check the `multiTask` option of a multi-task plugin. @internal */
export function checkMultiTask(fn: string, mt: unknown): { readonly tasks: readonly unknown[] } {
  if (mt === null || typeof mt !== "object" || !Array.isArray((mt as { tasks?: unknown }).tasks)) check.fail(fn, "multiTask", "must be a multiTask(...)");
  return mt as { readonly tasks: readonly unknown[] };
}

/** Throw unless `v` is a finite number in [lo, hi] (inclusive). */
export function checkRange(fn: string, argument: string, v: unknown, lo: number, hi: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi) {
    throw new TransferError(fn, argument, `must be a finite number in [${lo}, ${hi}], got ${asName(v)}`);
  }
  return v;
}

/** Throw unless `v` is an integer in [lo, hi]. */
export function checkInt(fn: string, argument: string, v: unknown, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new TransferError(fn, argument, `must be an integer in [${lo}, ${hi === Number.MAX_SAFE_INTEGER ? "∞" : hi}], got ${asName(v)}`);
  }
  return v;
}

// Argument guards of the exported helpers: a missing or mistyped argument otherwise fails deep
// inside with a TypeError ("Cannot read properties of undefined") that names neither.

/** A non-null object or throw. @internal */
export function requireObject<T>(fn: string, argument: string, value: T): NonNullable<T> {
  if (value === null || typeof value !== "object") throw new TransferError(fn, argument, `must be an object, got ${describeValue(value)}`);
  return value as NonNullable<T>;
}

/** A function or throw. @internal */
export function requireFunction<T>(fn: string, argument: string, value: T): T {
  if (typeof value !== "function") throw new TransferError(fn, argument, `must be a function, got ${describeValue(value)}`);
  return value;
}

/** A Tensor or throw. @internal */
export function requireTensor(fn: string, argument: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw new TransferError(fn, argument, `must be a Tensor, got ${describeValue(value)}`);
  return value;
}

/** A batch { x: Tensor, y: Tensor } or throw. @internal */
export function requireBatch<T>(fn: string, argument: string, value: T): NonNullable<T> {
  const b = requireObject(fn, argument, value) as { x?: unknown; y?: unknown };
  if (!(b.x instanceof Tensor) || !(b.y instanceof Tensor)) throw new TransferError(fn, argument, "must be a batch { x: Tensor, y: Tensor }");
  return value as NonNullable<T>;
}

/**
 * An array (or typed array) whose every entry passes `ok`, of `length` entries when given, or throw;
 * `what` describes an entry ("a number", "a Tensor"). @internal
 */
export function requireArrayOf<T>(fn: string, argument: string, value: unknown, ok: (v: unknown) => boolean, what: string, length?: number): readonly T[] {
  const arr = value as ArrayLike<unknown>;
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView))) throw new TransferError(fn, argument, `must be an array of ${what}s, got ${describeValue(value)}`);
  if (length !== undefined && arr.length !== length) throw new TransferError(fn, argument, `must have ${length} entries (one per task), got ${arr.length}`);
  for (let i = 0; i < arr.length; i++) if (!ok(arr[i])) throw new TransferError(fn, `${argument}[${i}]`, `must be ${what}, got ${describeValue(arr[i])}`);
  return value as readonly T[];
}

/** Entry predicates for requireArrayOf. @internal */
export const isNumber = (v: unknown): boolean => typeof v === "number";
/** @internal */
export const isTensor = (v: unknown): boolean => v instanceof Tensor;
/** @internal */
export const isNumberOrTensor = (v: unknown): boolean => typeof v === "number" || v instanceof Tensor;

/** A multiTask(...) (its taskLosses and weights) or throw. @internal */
export function requireMultiTask<T>(fn: string, argument: string, value: T): NonNullable<T> {
  const m = requireObject(fn, argument, value) as { tasks?: unknown; weights?: unknown; taskLosses?: unknown };
  if (!Array.isArray(m.tasks) || !Array.isArray(m.weights) || typeof m.taskLosses !== "function") throw new TransferError(fn, argument, "must be a multiTask(...)");
  return value as NonNullable<T>;
}

/** An ObjectiveContext (its batch and forward) or throw. @internal */
export function requireObjectiveContext<T>(fn: string, argument: string, value: T): NonNullable<T> {
  const c = requireObject(fn, argument, value) as { forward?: unknown };
  if (typeof c.forward !== "function") throw new TransferError(fn, argument, "must be an ObjectiveContext with a forward function");
  return value as NonNullable<T>;
}
