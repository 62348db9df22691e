import { PluginOptionError, describeValue } from "@regularize/core-train";

// Error messages are built from what callers pass, which may be anything (a null-prototype object
// cannot be put in a template string): non-strings are described instead.
const text = (v: unknown): string => (typeof v === "string" ? v : describeValue(v));

/** Base class of every error raised by @regularize/optim; `fn` names the factory or function that rejected its input. */
export class OptimError extends Error {
  /** The factory or function (e.g. "sgd", "earlyStopping") that raised the error. */
  readonly fn: string;
  constructor(fn: string, message: string) {
    super(`${text(fn)}: ${text(message)}`);
    this.name = new.target.name;
    this.fn = text(fn);
  }

  /**
   * OptionError's base is core-train's PluginOptionError (one option-error type across packages), so
   * it is an OptimError by this check rather than by its prototype chain: `e instanceof OptimError`
   * still holds for every error optim raises.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, value) || (this === OptimError && value instanceof OptionError);
  }
}

/** An invalid option (NaN, negative learning rate, empty list, unknown key...); `option` names it. */
export class OptionError extends PluginOptionError {
  constructor(fn: string, option: string, message: string) {
    super(fn, option, message);
    this.name = "OptionError";
  }
}

/** Misuse at call time: missing params, trees that do not match the state, a schedule returning NaN. */
export class UsageError extends OptimError {}
