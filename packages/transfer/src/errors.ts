import { PluginOptionError, describeValue, optionValidators } from "@regularize/core-train";

/** Bad input to a transfer / multi-task / self-supervised function; names the function and the argument. */
export class TransferError extends Error {
  /** The function or plugin that rejected the input, e.g. "pcgrad". */
  readonly fn: string;
  /** The argument or option at fault, e.g. "grads". */
  readonly argument: string;
  constructor(fn: string, argument: string, message: string) {
    super(`${fn}: ${argument} ${message}`);
    this.name = "TransferError";
    this.fn = fn;
    this.argument = argument;
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

  /** The factory (the same as `plugin`). */
  get fn(): string {
    return this.plugin;
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
    throw new TransferError(fn, argument, `must be a finite number in [${lo}, ${hi}], got ${String(v)}`);
  }
  return v;
}

/** Throw unless `v` is an integer in [lo, hi]. */
export function checkInt(fn: string, argument: string, v: unknown, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
    throw new TransferError(fn, argument, `must be an integer in [${lo}, ${hi === Number.MAX_SAFE_INTEGER ? "∞" : hi}], got ${String(v)}`);
  }
  return v;
}
