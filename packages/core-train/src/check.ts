import { ArgumentError, Tensor } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { describeValue, nearestName } from "./plugin-options.js";
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


/**
 * @internal A factory's options (a model, an initializer): undefined (all defaults) or a plain object whose keys are
 * all in `keys` (a misspelled option would otherwise be silently ignored), with a float `dtype`.
 */
export function ownOptions<T extends object>(model: string, opts: T | undefined, keys: readonly string[]): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== "object" || Array.isArray(opts) || opts instanceof Tensor) {
    throw new FitOptionsError(model, `options must be an object, got ${describeValue(opts)}`, model);
  }
  for (const k of Object.keys(opts)) {
    if (!keys.includes(k)) {
      const near = nearestName(k, keys);
      throw new FitOptionsError(`${model}.${k}`, `is not an option of ${model}${near === undefined ? "" : ` (did you mean "${near}"?)`}; the options are ${keys.join(", ")}`, model);
    }
  }
  const dtype = (opts as { dtype?: unknown }).dtype;
  if (dtype !== undefined && dtype !== "float64" && dtype !== "float32") throw new FitOptionsError(`${model}.dtype`, `must be "float64" or "float32", got ${describeValue(dtype)}`, model);
  return opts;
}

/**
 * @internal A model's `apply` arguments: `params` a plain object holding a tensor or tree at each of
 * `keys` (what `init` returned), `x` a Tensor, `ctx` undefined or a forward context.
 */
export function applyArgs(model: string, params: unknown, x: unknown, ctx: unknown, keys: readonly string[]): void {
  if (params === null || typeof params !== "object" || params instanceof Tensor || keys.some((k) => (params as Record<string, unknown>)[k] == null)) {
    throw new ArgumentError(model, `params must be what init returned (an object with ${keys.join(", ")}), got ${describeValue(params)}`);
  }
  if (!(x instanceof Tensor)) throw new ArgumentError(model, `x must be a Tensor, got ${describeValue(x)}`);
  if (ctx !== undefined && (ctx === null || typeof (ctx as { site?: unknown }).site !== "function")) {
    throw new ArgumentError(model, `ctx must be a forward context (with a site function), got ${describeValue(ctx)}`);
  }
}
