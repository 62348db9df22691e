import { TrainError } from "./train-error.js";

/**
 * An invalid option of a plugin factory (or of another function taking an options object): `plugin`
 * names the factory or plugin instance, `option` the offending key. Every package's option error
 * (NoiseOptionError, PenaltyOptionError, optim's OptionError, EnsembleOptionError, FitOptionsError…)
 * is a subclass, so `err instanceof PluginOptionError` catches them all.
 */
export class PluginOptionError extends TrainError {
  /** The plugin factory or function that rejected the option, e.g. "dropout" or "swa". */
  readonly plugin: string;
  /** The offending option, e.g. "rate"; for an unknown key, the key as given; "options" for the whole object. */
  readonly option: string;
  constructor(plugin: string, option: string, message: string) {
    // a constructor called with anything else (a fuzzer, plain JS) still builds a readable error
    const [p, o, m] = [asText(plugin), asText(option), asText(message)];
    super(`${p}: option "${o}" ${m}`);
    this.name = "PluginOptionError";
    this.plugin = p;
    this.option = o;
  }

  /** The factory or function that rejected the option (the same as `plugin`), as the packages' other errors call it. */
  get fn(): string {
    return this.plugin;
  }
}

/** `v` itself when it is a string, else how it reads in a message (never throws, even for a symbol). @internal */
export function asText(v: unknown): string {
  return typeof v === "string" ? v : describeValue(v);
}

/** A constructor of PluginOptionError or of a package's subclass, used by {@link optionValidators}. */
export type PluginOptionErrorClass = new (plugin: string, option: string, message: string) => PluginOptionError;

/**
 * Every key of an options type, each mapped to `true`: `{ rate: true, name: true }`. Typed over
 * `keyof Required<O>`, so an options interface that gains a key no longer compiles until its factory
 * lists it — the runtime unknown-key check can never fall behind the type.
 */
export type OptionKeys<O> = { readonly [K in keyof Required<O>]: true };

/** Constraints on a numeric option. */
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
  /** Accept ±Infinity (NaN is never accepted). Default false. */
  readonly allowInfinity?: boolean;
}

/** Options of {@link OptionValidators.probability}. */
export interface ProbabilityRule {
  /** Accept 1 (default true). A dropout rate, say, may not be 1: nothing would survive. */
  readonly allowOne?: boolean;
  /** Accept 0 (default true). */
  readonly allowZero?: boolean;
}

/** Validators bound to one error class; each returns the checked value or throws naming plugin and option. */
export interface OptionValidators {
  /**
   * Check that `options` is a plain object whose keys are all in `keys` and return it; an unknown key
   * throws naming the nearest valid one ("did you mean …"). `undefined` is allowed (and returned as
   * `{}`) unless `required` is set.
   */
  options<O extends object>(plugin: string, options: O | undefined, keys: OptionKeys<O>, opts?: { readonly required?: boolean }): O;
  /**
   * The first line of a plugin factory: check `options` as {@link OptionValidators.options} does
   * (errors name `defaultName`), then return the instance name (`options.name`, a non-empty string,
   * or `defaultName`).
   * @example const name = check.plugin("dropout", options, DROPOUT_KEYS);
   */
  plugin<O extends object>(defaultName: string, options: O | undefined, keys: OptionKeys<O>, opts?: { readonly required?: boolean }): string;
  /** A parameter tree (a Tensor, or a record or array of trees): checked one level deep. */
  tree(plugin: string, option: string, value: unknown): object;
  /** A plugin instance name: a non-empty string, or `fallback` when undefined. */
  name(plugin: string, value: unknown, fallback: string): string;
  /** A number satisfying `rule` (finite unless `allowInfinity`). */
  number(plugin: string, option: string, value: unknown, rule?: NumberRule): number;
  /** A finite number > 0. */
  positive(plugin: string, option: string, value: unknown): number;
  /** A finite number ≥ 0 (λ-, σ-like coefficients). */
  nonNegative(plugin: string, option: string, value: unknown): number;
  /** An integer in [min, max] (default [−∞, ∞]). */
  integer(plugin: string, option: string, value: unknown, min?: number, max?: number): number;
  /** An integer ≥ 1. */
  positiveInteger(plugin: string, option: string, value: unknown): number;
  /** A probability in [0, 1], with 0 or 1 excluded on request. */
  probability(plugin: string, option: string, value: unknown, rule?: ProbabilityRule): number;
  /** One of the listed strings (or other primitives). */
  oneOf<T extends string | number | boolean>(plugin: string, option: string, value: unknown, allowed: readonly T[]): T;
  /** A boolean. */
  boolean(plugin: string, option: string, value: unknown): boolean;
  /** A function. */
  func<F extends (...args: never[]) => unknown>(plugin: string, option: string, value: F | unknown): F;
  /** Throw this validator's error class with a free-form message. */
  fail(plugin: string, option: string, message: string): never;
}

/**
 * `value`, or `fallback` when it is undefined. Unlike `??`, a `null` stays and is then rejected by the
 * validator: a mistyped null is not silently read as "use the default".
 */
export function optionOr<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** "NaN", "\"0.5\"" (a string), "null", "[object]"…: how a rejected value reads in a message. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array`;
  if (typeof value === "object") return `an object`;
  if (typeof value === "function") return `a function`;
  return String(value);
}

function describeRule(rule: NumberRule): string {
  const parts: string[] = [rule.integer === true ? "an integer" : rule.allowInfinity === true ? "a number" : "a finite number"];
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(" ");
}

/** Levenshtein distance (small strings: option names). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * The valid name closest to `given` (case-insensitive edit distance), or undefined when none is
 * plausibly meant (distance above a third of the longer name, at least 2).
 */
export function nearestName(given: string, valid: readonly string[]): string | undefined {
  if (typeof given !== "string") throw new PluginOptionError("nearestName", "given", `must be a string, got ${describeValue(given)}`);
  if (!Array.isArray(valid) || valid.some((v) => typeof v !== "string")) throw new PluginOptionError("nearestName", "valid", `must be an array of strings, got ${describeValue(valid)}`);
  let best: string | undefined;
  let bestD = Infinity;
  for (const name of valid) {
    const d = editDistance(given.toLowerCase(), name.toLowerCase());
    if (d < bestD) [best, bestD] = [name, d];
  }
  return bestD <= Math.max(2, Math.ceil(Math.max(given.length, best?.length ?? 0) / 3)) ? best : undefined;
}

/**
 * The option validators of one package, throwing `ErrorClass` (a subclass of PluginOptionError, or
 * PluginOptionError itself). Each package binds them once in its errors.ts:
 * @example const check = optionValidators(NoiseOptionError); check.probability("dropout", "rate", 1.5) // throws NoiseOptionError
 */
export function optionValidators(ErrorClass: PluginOptionErrorClass = PluginOptionError): OptionValidators {
  if (typeof ErrorClass !== "function" || !(ErrorClass.prototype instanceof PluginOptionError || ErrorClass === PluginOptionError)) {
    throw new PluginOptionError("optionValidators", "ErrorClass", `must be PluginOptionError or a subclass, got ${describeValue(ErrorClass)}`);
  }
  const fail = (plugin: string, option: string, message: string): never => {
    throw new ErrorClass(plugin, option, message);
  };
  const number = (plugin: string, option: string, value: unknown, rule: NumberRule = {}): number => {
    const ok =
      typeof value === "number" &&
      !Number.isNaN(value) &&
      (rule.allowInfinity === true || Number.isFinite(value)) &&
      (rule.integer !== true || Number.isInteger(value)) &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.above === undefined || value > rule.above) &&
      (rule.max === undefined || value <= rule.max) &&
      (rule.below === undefined || value < rule.below);
    if (!ok) fail(plugin, option, `must be ${describeRule(rule)}, got ${describeValue(value)}`);
    return value as number;
  };
  const validators: OptionValidators = {
    options<O extends object>(plugin: string, options: O | undefined, keys: OptionKeys<O>, opts: { readonly required?: boolean } = {}): O {
      if (keys === null || typeof keys !== "object") throw new PluginOptionError("optionValidators.options", "keys", `must be the record of valid option names, got ${describeValue(keys)}`);
      if (options === undefined && opts.required !== true) return {} as O;
      if (options === null || typeof options !== "object" || Array.isArray(options)) {
        fail(plugin, "options", `must be an options object, got ${describeValue(options)}`);
      }
      const valid = Object.keys(keys);
      for (const key of Object.keys(options as object)) {
        if (Object.prototype.hasOwnProperty.call(keys, key)) continue;
        const near = nearestName(key, valid);
        fail(plugin, key, `is not an option of ${plugin}${near === undefined ? "" : ` (did you mean "${near}"?)`}; valid options: ${valid.join(", ") || "none"}`);
      }
      return options as O;
    },
    plugin<O extends object>(defaultName: string, options: O | undefined, keys: OptionKeys<O>, opts: { readonly required?: boolean } = {}): string {
      const o = validators.options(defaultName, options, keys, { required: opts.required ?? true }) as { readonly name?: unknown };
      return validators.name(defaultName, o.name, defaultName);
    },
    tree(plugin: string, option: string, value: unknown): object {
      if (value === null || typeof value !== "object") fail(plugin, option, `must be a parameter tree (a tensor or a record of tensors), got ${describeValue(value)}`);
      return value as object;
    },
    name(plugin: string, value: unknown, fallback: string): string {
      if (typeof fallback !== "string") throw new PluginOptionError("optionValidators.name", "fallback", `must be the default name (a string), got ${describeValue(fallback)}`);
      if (value === undefined) return fallback;
      if (typeof value !== "string" || value.length === 0) fail(plugin, "name", `must be a non-empty string, got ${describeValue(value)}`);
      return value as string;
    },
    number,
    positive: (plugin, option, value) => number(plugin, option, value, { above: 0 }),
    nonNegative: (plugin, option, value) => number(plugin, option, value, { min: 0 }),
    integer: (plugin, option, value, min, max) => number(plugin, option, value, { integer: true, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) }),
    positiveInteger: (plugin, option, value) => number(plugin, option, value, { integer: true, min: 1 }),
    probability(plugin, option, value, rule = {}) {
      const allowOne = rule.allowOne ?? true, allowZero = rule.allowZero ?? true;
      const ok = typeof value === "number" && (allowZero ? value >= 0 : value > 0) && (allowOne ? value <= 1 : value < 1);
      if (!ok) fail(plugin, option, `must be a probability in ${allowZero ? "[" : "("}0, 1${allowOne ? "]" : ")"}, got ${describeValue(value)}`);
      return value as number;
    },
    oneOf<T extends string | number | boolean>(plugin: string, option: string, value: unknown, allowed: readonly T[]): T {
      if (!Array.isArray(allowed)) throw new PluginOptionError("optionValidators.oneOf", "allowed", `must be the array of allowed values, got ${describeValue(allowed)}`);
      if (!allowed.includes(value as T)) {
        const near = typeof value === "string" ? nearestName(value, allowed.map(String)) : undefined;
        fail(plugin, option, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${describeValue(value)}${near === undefined ? "" : ` (did you mean ${JSON.stringify(near)}?)`}`);
      }
      return value as T;
    },
    boolean(plugin, option, value) {
      if (typeof value !== "boolean") fail(plugin, option, `must be true or false, got ${describeValue(value)}`);
      return value as boolean;
    },
    func<F extends (...args: never[]) => unknown>(plugin: string, option: string, value: F | unknown): F {
      if (typeof value !== "function") fail(plugin, option, `must be a function, got ${describeValue(value)}`);
      return value as F;
    },
    fail,
  };
  return validators;
}
