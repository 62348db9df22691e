import { PluginOptionError, describeValue, isModel, optionValidators } from "@regularize/core-train";

/** `v` itself when it is a string, else how it reads in a message (never throws). */
const describeName = (v: unknown): string => (typeof v === "string" ? v : describeValue(v));

/** Base class of every error raised by @regularize/bayes; `fn` names the function or plugin that raised it. */
export class BayesError extends Error {
  /** The function or plugin (e.g. "linearGaussian", "sgld") that raised the error. */
  readonly fn: string;
  constructor(fn: string, message: string) {
    // a constructor called with anything else (a fuzzer, plain JS) still builds a readable error:
    // a null-prototype object or a Symbol in a template literal throws a TypeError
    const f = describeName(fn);
    super(`${f}: ${describeName(message)}`);
    this.name = "BayesError";
    this.fn = f;
  }

  /**
   * A plugin factory's BayesOptionError is core-train's PluginOptionError (one option-error type
   * across packages), so it is a BayesError (and a BayesArgumentError) by this check rather than by
   * its prototype chain.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || ((this === BayesError || (this as unknown) === BayesArgumentError) && value instanceof BayesOptionError);
  }
}

/** An invalid argument (non-positive variance, T ≤ 0, shapes that disagree); `argument` names it. */
export class BayesArgumentError extends BayesError {
  /** The offending argument, e.g. "noiseVariance" or "features". */
  readonly argument: string;
  constructor(fn: string, argument: string, message: string) {
    super(fn, `argument "${describeName(argument)}" ${describeName(message)}`);
    this.name = "BayesArgumentError";
    this.argument = describeName(argument);
  }
}

/**
 * An invalid option of a bayes plugin factory (gaussianPrior, posteriorSamples, sgMcmcNoise, swag,
 * bayesByBackprop, sgld, sghmc): core-train's PluginOptionError, and for `instanceof` also a
 * BayesArgumentError and a BayesError; `fn` and `argument` name the factory and the option.
 */
export class BayesOptionError extends PluginOptionError {
  constructor(fn: string, option: string, message: string) {
    super(fn, option, message);
    this.name = "BayesOptionError";
  }

  /** The option (the same as `option`). */
  get argument(): string {
    return this.option;
  }
}

/** core-train's option validators, throwing BayesOptionError (plugin factories). @internal */
export const check = optionValidators(BayesOptionError);

/** A matrix that should be symmetric positive (semi-)definite is not (Cholesky failed, a negative curvature). */
export class NotPositiveDefiniteError extends BayesError {
  /** The matrix, e.g. "posterior precision" or "GGN". */
  readonly matrix: string;
  constructor(fn: string, matrix: string, message: string) {
    super(fn, `${describeName(matrix)} ${describeName(message)}`);
    this.name = "NotPositiveDefiniteError";
    this.matrix = describeName(matrix);
  }
}

/** A full or Kronecker-factored curvature would need more memory than allowed; nothing was allocated. */
export class MemoryLimitError extends BayesError {
  /** Estimated bytes the factor would need. */
  readonly bytes: number;
  /** The limit in bytes. */
  readonly limit: number;
  constructor(fn: string, what: string, bytes: number, limit: number) {
    super(fn, `${describeName(what)} would need ${formatBytes(bytes)}, above the limit of ${formatBytes(limit)} (raise maxBytes or use a cheaper structure)`);
    this.name = "MemoryLimitError";
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** "1.5 GB"-style size. @internal */
export function formatBytes(b: number): string {
  if (typeof b !== "number") return describeValue(b);
  const units = ["B", "kB", "MB", "GB", "TB"];
  let i = 0, v = b;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${i === 0 ? v : v.toPrecision(3)} ${units[i]}`;
}

/** A finite number > 0 or throw. @internal */
export function requirePositive(fn: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) throw new BayesArgumentError(fn, argument, `must be a finite number > 0, got ${describeValue(value)}`);
  return value;
}

/** A finite number ≥ 0 or throw. @internal */
export function requireNonNegative(fn: string, argument: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new BayesArgumentError(fn, argument, `must be a finite number ≥ 0, got ${describeValue(value)}`);
  return value;
}

/** An integer ≥ min or throw. @internal */
export function requireInteger(fn: string, argument: string, value: unknown, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) throw new BayesArgumentError(fn, argument, `must be an integer ≥ ${min}, got ${describeValue(value)}`);
  return value;
}

/** A non-null object (an options bag, a result, a model) or throw: a missing one otherwise fails deep inside with a TypeError. @internal */
export function requireObject<T>(fn: string, argument: string, value: T): NonNullable<T> {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) throw new BayesArgumentError(fn, argument, `must be an object, got ${value === null ? "null" : typeof value}`);
  return value as NonNullable<T>;
}

/** A model ({ name, init, apply }) or throw. @internal */
export function requireModel<T>(fn: string, argument: string, value: T): NonNullable<T> {
  if (!isModel(requireObject(fn, argument, value))) throw new BayesArgumentError(fn, argument, "must be a model with init and apply functions");
  return value as NonNullable<T>;
}
