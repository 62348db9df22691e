import { OptionError } from "./errors.js";

/** Constraints on a numeric option. @internal */
export interface NumberRule {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
  /** Require an integer. */
  readonly integer?: boolean;
}

function describe(rule: NumberRule): string {
  const parts: string[] = [rule.integer ? "an integer" : "a finite number"];
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(" ");
}

/**
 * Check a numeric option and return it; throws OptionError naming `fn` and `option` otherwise.
 * Every factory validates eagerly so a typo'd NaN learning rate fails at construction, not after
 * a thousand silent NaN steps. @internal
 */
export function checkNumber(fn: string, option: string, value: unknown, rule: NumberRule = {}): number {
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    (rule.integer !== true || Number.isInteger(value)) &&
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) throw new OptionError(fn, option, `must be ${describe(rule)}, got ${String(value)}`);
  return value as number;
}

/** Like checkNumber but `undefined` yields `fallback`. @internal */
export function optionalNumber(fn: string, option: string, value: unknown, fallback: number, rule: NumberRule = {}): number {
  return value === undefined ? checkNumber(fn, option, fallback, rule) : checkNumber(fn, option, value, rule);
}

/** Check a boolean option (undefined yields `fallback`). @internal */
export function optionalBoolean(fn: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new OptionError(fn, option, `must be a boolean, got ${String(value)}`);
  return value;
}

/** Check that an options argument is a plain object. @internal */
export function checkOptions<T>(fn: string, options: T): T {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new OptionError(fn, "options", `must be an options object, got ${options === null ? "null" : typeof options}`);
  }
  return options;
}
