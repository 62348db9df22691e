export { PredictiveError } from "@regularize/core-train";

/** An invalid option of an ensemble function or plugin; `fn` and `option` name the culprit. */
export class EnsembleOptionError extends Error {
  /** The function or plugin that rejected the option, e.g. "swa". */
  readonly fn: string;
  /** The option, e.g. "startEpoch". */
  readonly option: string;
  constructor(fn: string, option: string, message: string) {
    super(`${fn}: option "${option}" ${message}`);
    this.name = "EnsembleOptionError";
    this.fn = fn;
    this.option = option;
  }
}

/** Throw unless `value` is an integer ≥ min. */
export function requireInteger(fn: string, option: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new EnsembleOptionError(fn, option, `must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** Throw unless `value` is a finite number in [min, max] (bounds optional). */
export function requireNumber(fn: string, option: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    const range = min === -Infinity && max === Infinity ? "" : ` in [${min}, ${max}]`;
    throw new EnsembleOptionError(fn, option, `must be a finite number${range}, got ${String(value)}`);
  }
  return value;
}
