/** An invalid option passed to a penalty factory; `plugin` and `option` name the culprit. */
export class PenaltyOptionError extends Error {
  /** The factory (plugin name) that rejected the option. */
  readonly plugin: string;
  /** The option that was rejected, e.g. "lambda". */
  readonly option: string;
  constructor(plugin: string, option: string, message: string) {
    super(`${plugin}: option "${option}" ${message}`);
    this.name = "PenaltyOptionError";
    this.plugin = plugin;
    this.option = option;
  }
}

/** Throw unless `value` is a finite number ≥ 0 (λ-like coefficients). */
export function requireNonNegative(plugin: string, option: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new PenaltyOptionError(plugin, option, `must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** Throw unless `value` is a finite number > 0. */
export function requirePositive(plugin: string, option: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new PenaltyOptionError(plugin, option, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** Throw unless `value` is a positive integer. */
export function requirePositiveInteger(plugin: string, option: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new PenaltyOptionError(plugin, option, `must be a positive integer, got ${String(value)}`);
  }
  return value;
}
