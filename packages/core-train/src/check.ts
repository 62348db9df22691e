import { FitOptionsError } from "./errors.js";
import { safeText } from "./train-error.js";

/** @internal Require a positive integer option. */
export function positiveInt(option: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new FitOptionsError(option, `must be a positive integer, got ${safeText(v)}`);
  return v;
}

/** @internal Require a non-negative integer option. */
export function nonNegativeInt(option: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new FitOptionsError(option, `must be a non-negative integer, got ${String(v)}`);
  return v;
}

