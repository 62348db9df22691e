import { type NumberRule, type OptionKeys, optionValidators } from "@regularize/core-train";
import { OptionError } from "./errors.js";

export type { NumberRule };

/** core-train's option validators, throwing OptionError. @internal */
export const check = optionValidators(OptionError);

/**
 * Check a numeric option and return it; throws OptionError naming `fn` and `option` otherwise.
 * Every factory validates eagerly so a typo'd NaN learning rate fails at construction, not after
 * a thousand silent NaN steps. @internal
 */
export function checkNumber(fn: string, option: string, value: unknown, rule: NumberRule = {}): number {
  return check.number(fn, option, value, rule);
}

/** Like checkNumber but `undefined` yields `fallback`. @internal */
export function optionalNumber(fn: string, option: string, value: unknown, fallback: number, rule: NumberRule = {}): number {
  return check.number(fn, option, value === undefined ? fallback : value, rule);
}

/** Check a boolean option (undefined yields `fallback`). @internal */
export function optionalBoolean(fn: string, option: string, value: unknown, fallback: boolean): boolean {
  return check.boolean(fn, option, value === undefined ? fallback : value);
}

/** Check that an options argument is a plain object with only the keys of its type. @internal */
export function checkOptions<T extends object>(fn: string, options: T, keys: OptionKeys<T>): T {
  return check.options(fn, options, keys, { required: true });
}
