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
