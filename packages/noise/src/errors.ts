import { PluginOptionError, optionValidators } from "@regularize/core-train";

/** An invalid option passed to a noise factory; `plugin` and `option` name the culprit. */
export class NoiseOptionError extends PluginOptionError {
  constructor(plugin: string, option: string, message: string) {
    super(plugin, option, message);
    this.name = "NoiseOptionError";
  }
}

/** core-train's option validators, throwing NoiseOptionError. @internal */
export const check = optionValidators(NoiseOptionError);

/** Throw unless `value` is a finite number ≥ 0 (σ-like options). @internal */
export const requireNonNegative = check.nonNegative;
/** Throw unless `value` is a finite number > 0. @internal */
export const requirePositive = check.positive;
/** Throw unless `value` is a positive integer. @internal */
export const requirePositiveInteger = check.positiveInteger;

/** Throw unless `value` is a probability in [0, 1) (a dropout rate p may not be 1: nothing would survive), or [0, 1] with `allowOne`. @internal */
export function requireRate(plugin: string, option: string, value: unknown, opts: { allowOne?: boolean } = {}): number {
  return check.probability(plugin, option, value, { allowOne: opts.allowOne === true });
}
