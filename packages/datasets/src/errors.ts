/**
 * Thrown when an argument to a dataset function is invalid; `argument` names the offending argument.
 *
 * Every public entry point validates its inputs before doing any work, so catching this error
 * never leaves a half-built dataset or an advanced random stream behind.
 */
export class DatasetArgumentError extends Error {
  /** Name of the invalid argument, e.g. `"numSamples"` or `"padding"`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(`${argument}: ${message}`);
    this.name = "DatasetArgumentError";
    this.argument = argument;
  }
}

/** @internal Throws unless `value` is a finite number. */
export function assertFinite(argument: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new DatasetArgumentError(argument, `must be a finite number, got ${describe(value)}`);
  }
}

/** @internal Throws unless `value` is an integer in [min, max]. */
export function assertInteger(
  argument: string,
  value: unknown,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new DatasetArgumentError(argument, `must be an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new DatasetArgumentError(argument, `must be in [${min}, ${max}], got ${value}`);
  }
}

/** @internal Short, safe description of an arbitrary value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}

/** An options argument: a plain object (not null, an array or a value) whose keys are all in `keys`. @internal */
export function ownOptions<T extends object>(options: T, keys: readonly string[]): T {
  if (options === null || typeof options !== "object" || Array.isArray(options) || ArrayBuffer.isView(options)) {
    throw new DatasetArgumentError("options", `must be an options object, got ${describe(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (!keys.includes(k)) throw new DatasetArgumentError(`options.${k}`, `is not an option (the options are ${keys.join(", ")})`);
  }
  return options;
}
