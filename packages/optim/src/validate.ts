import { type NumberRule, type OptionKeys, describeValue, optionValidators } from "@regularize/core-train";
import { OptionError, UsageError } from "./errors.js";

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

/**
 * The arguments of a transform's `update` (and `hyperparams`): `updates` a tree (a tensor, or an
 * object/array of them), `state` what `init` returned (an object holding `keys`). A direct call
 * with a wrong state (another transform's, undefined) names the transform instead of failing deep
 * inside with a TypeError. @internal
 */
export function checkUpdateArgs(fn: string, updates: unknown, state: unknown, keys: readonly string[] = [], method = "update"): void {
  if (method === "update" && (updates === null || typeof updates !== "object")) {
    throw new UsageError(fn, `${method}: updates must be a tree of tensors (what grad returns), got ${describeValue(updates)}`);
  }
  if (state === null || typeof state !== "object" || keys.some((k) => (state as Record<string, unknown>)[k] === undefined)) {
    throw new UsageError(fn, `${method}: state must be what init returned${keys.length > 0 ? ` (an object with ${keys.join(", ")})` : " (an object)"}, got ${describeValue(state)}`);
  }
}
