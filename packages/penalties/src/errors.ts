import { Tensor } from "@regularize/core-autodiff";
import { PluginOptionError, optionValidators } from "@regularize/core-train";

/** An invalid option passed to a penalty factory; `plugin` and `option` name the culprit. */
export class PenaltyOptionError extends PluginOptionError {
  constructor(plugin: string, option: string, message: string) {
    super(plugin, option, message);
    this.name = "PenaltyOptionError";
  }
}

/** core-train's option validators, throwing PenaltyOptionError. @internal */
export const check = optionValidators(PenaltyOptionError);

/** Throw unless `value` is a finite number ≥ 0 (λ-like coefficients). @internal */
export const requireNonNegative = check.nonNegative;
/** Throw unless `value` is a finite number > 0. @internal */
export const requirePositive = check.positive;
/** Throw unless `value` is a positive integer. @internal */
export const requirePositiveInteger = check.positiveInteger;

/** Throw unless a penalty function's `options` argument is an object. @internal */
export function requireOptions<O>(fn: string, options: O): O {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new PenaltyOptionError(fn, "options", "must be an object");
  return options;
}

/** Throw unless `value` is a Tensor. @internal */
export function requireTensor(fn: string, argument: string, value: unknown): Tensor {
  if (!(value instanceof Tensor)) throw new PenaltyOptionError(fn, argument, "must be a Tensor");
  return value;
}
