/** An invalid option passed to a noise factory; `plugin` and `option` name the culprit. */
export class NoiseOptionError extends Error {
  /** The factory (plugin or loss) that rejected the option. */
  readonly plugin: string;
  /** The option that was rejected, e.g. "rate". */
  readonly option: string;
  constructor(plugin: string, option: string, message: string) {
    super(`${plugin}: option "${option}" ${message}`);
    this.name = "NoiseOptionError";
    this.plugin = plugin;
    this.option = option;
  }
}

/** Throw unless `value` is a finite number ≥ 0 (σ-like options). */
export function requireNonNegative(plugin: string, option: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new NoiseOptionError(plugin, option, `must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** Throw unless `value` is a finite number > 0. */
export function requirePositive(plugin: string, option: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new NoiseOptionError(plugin, option, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}

/** Throw unless `value` is a probability in [lo, hi) (a dropout rate p may not be 1: nothing would survive). */
export function requireRate(plugin: string, option: string, value: number, opts: { allowOne?: boolean } = {}): number {
  const ok = typeof value === "number" && value >= 0 && (opts.allowOne === true ? value <= 1 : value < 1);
  if (!ok) throw new NoiseOptionError(plugin, option, `must be in [0, ${opts.allowOne === true ? "1]" : "1)"}, got ${String(value)}`);
  return value;
}

/** Throw unless `value` is a positive integer. */
export function requirePositiveInteger(plugin: string, option: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new NoiseOptionError(plugin, option, `must be a positive integer, got ${String(value)}`);
  return value;
}
