import { DatasetArgumentError, describe } from "./errors.js";
import { RandomState } from "./random-state.js";

/**
 * A batch of 1-D signals, time on the last axis: `shape` is `[n, length]` or `[n, channels, length]`,
 * `x` row-major. Labels are optional: class indices `[n]` (Int32Array), or float rows `[n, k]`
 * (soft labels / targets; `k = y.length / n`).
 */
export interface SignalBatch {
  /** Signals, row-major over `shape`. */
  readonly x: Float64Array | Float32Array;
  /** `[n, length]` or `[n, channels, length]`. */
  readonly shape: readonly number[];
  /** Class indices (Int32Array, one per row) or float label rows (`y.length / n` per row). */
  readonly y?: Int32Array | Float64Array | Float32Array;
  /** Number of classes C: needed to mix integer labels (mixup, cutmix turn them into soft labels [n, C]). */
  readonly numClasses?: number;
  /**
   * True: the caller gives up `x`, and the augmentation may write its result into it (the output's
   * `x` may then be the same array) instead of allocating one. Default false: `x` is never written.
   */
  readonly overwrite?: boolean;
}

/** Two 32-bit words, e.g. a core-autodiff `PRNGKey` (structurally compatible) or a per-step key. */
export interface AugmentKey {
  readonly k0: number;
  readonly k1: number;
}

/**
 * Randomness of an augmentation: a {@link RandomState} to continue (its stream advances), or a key
 * / integer seed from which a fresh stream is derived (`RandomState([k0, k1])` / `RandomState(seed)`),
 * so the result is a pure function of (batch, key, options) and the same on every platform.
 */
export type AugmentRandom = RandomState | AugmentKey | number;

/**
 * A configured augmentation: a pure function of a batch and its randomness. `labelPreserving` is
 * false where the transform may change what the signal means (reversal) or mixes labels.
 */
export interface Augmentation {
  (batch: SignalBatch, random: AugmentRandom): SignalBatch;
  /** Name used in errors, e.g. "circularShift". */
  readonly augmentation: string;
  /** False when the transform may change the label (reversal) or mixes labels (mixup, cutmix). */
  readonly labelPreserving: boolean;
  /** True when labels are mixed (needs labels; integer labels need `numClasses`). */
  readonly mixesLabels: boolean;
}

/**
 * Thrown on bad input to an augmentation: `augmentation` names the function, `argument` the
 * offending argument. Inputs are validated before any draw, so a failed call leaves a passed
 * RandomState untouched.
 */
export class AugmentationError extends DatasetArgumentError {
  /** The augmentation (or composition) that rejected its input. */
  readonly augmentation: string;

  constructor(augmentation: string, argument: string, message: string) {
    super(argument, message);
    this.name = "AugmentationError";
    this.augmentation = augmentation;
    this.message = `${augmentation}: ${argument}: ${message}`;
  }
}

/** @internal A validated batch: sizes resolved, labels classified. */
export interface Checked {
  readonly x: Float64Array | Float32Array;
  readonly shape: readonly number[];
  readonly n: number;
  /** Channels × length: values per example. */
  readonly row: number;
  readonly channels: number;
  readonly length: number;
  readonly y: Int32Array | Float64Array | Float32Array | undefined;
  /** Values of y per row (1 for class indices). */
  readonly labelWidth: number;
  readonly numClasses: number | undefined;
  /** x may be overwritten: the caller passed `overwrite: true`, or a composition made it. */
  readonly owned: boolean;
}

/** @internal Validate a batch for `fn`; `minLength` is the shortest signal the transform accepts. */
export function checkBatch(fn: string, batch: SignalBatch, minLength = 1): Checked {
  if (batch === null || typeof batch !== "object") throw new AugmentationError(fn, "batch", `must be a SignalBatch { x, shape }, got ${describe(batch)}`);
  const { x, shape, y, numClasses, overwrite } = batch;
  if (!(x instanceof Float64Array || x instanceof Float32Array)) throw new AugmentationError(fn, "x", "must be a Float64Array or a Float32Array");
  if (overwrite !== undefined && typeof overwrite !== "boolean") throw new AugmentationError(fn, "overwrite", `must be a boolean, got ${describe(overwrite)}`);
  if (!Array.isArray(shape) && !(typeof shape === "object" && shape !== null && "length" in shape)) {
    throw new AugmentationError(fn, "shape", `must be [n, length] or [n, channels, length], got ${describe(shape)}`);
  }
  if (shape.length !== 2 && shape.length !== 3) {
    throw new AugmentationError(fn, "shape", `must have rank 2 ([n, length]) or 3 ([n, channels, length]), got rank ${shape.length}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== "number" || !Number.isInteger(d) || d < (i === 0 ? 0 : 1)) {
      throw new AugmentationError(fn, `shape[${i}]`, `must be a ${i === 0 ? "non-negative" : "positive"} integer, got ${describe(d)}`);
    }
  }
  const n = shape[0]!;
  const length = shape[shape.length - 1]!;
  const channels = shape.length === 3 ? shape[1]! : 1;
  if (length < minLength) throw new AugmentationError(fn, "shape", `signals must have length ≥ ${minLength}, got ${length}`);
  const row = channels * length;
  if (x.length !== n * row) throw new AugmentationError(fn, "x", `has ${x.length} values, shape [${shape.join(", ")}] needs ${n * row}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) throw new AugmentationError(fn, "x", `has a non-finite value ${describe(x[i])} at index ${i}`);
  }
  if (numClasses !== undefined && (typeof numClasses !== "number" || !Number.isInteger(numClasses) || numClasses < 1)) {
    throw new AugmentationError(fn, "numClasses", `must be a positive integer, got ${describe(numClasses)}`);
  }
  let labelWidth = 1;
  if (y !== undefined) {
    if (y instanceof Int32Array) {
      if (y.length !== n) throw new AugmentationError(fn, "y", `has ${y.length} labels for ${n} signals`);
      if (numClasses !== undefined) {
        for (let i = 0; i < n; i++) {
          if (y[i]! < 0 || y[i]! >= numClasses) throw new AugmentationError(fn, "y", `label ${y[i]} at row ${i} is not in [0, ${numClasses})`);
        }
      }
    } else if (y instanceof Float64Array || y instanceof Float32Array) {
      if (n === 0 ? y.length !== 0 : y.length % n !== 0 || y.length === 0) {
        throw new AugmentationError(fn, "y", `has ${y.length} values, not a positive multiple of n = ${n}`);
      }
      labelWidth = n === 0 ? (numClasses ?? 1) : y.length / n;
      if (numClasses !== undefined && labelWidth !== numClasses) {
        throw new AugmentationError(fn, "y", `has ${labelWidth} values per row but numClasses is ${numClasses}`);
      }
      for (let i = 0; i < y.length; i++) {
        if (!Number.isFinite(y[i]!)) throw new AugmentationError(fn, "y", `has a non-finite value ${describe(y[i])} at index ${i}`);
      }
    } else {
      throw new AugmentationError(fn, "y", "must be an Int32Array of class indices or a Float64Array/Float32Array of label rows");
    }
  }
  return { x, shape: Array.from(shape), n, row, channels, length, y, labelWidth, numClasses, owned: overwrite === true };
}

/** @internal The stream an augmentation draws from (validated). */
export function toRandomState(fn: string, random: AugmentRandom): RandomState {
  if (random instanceof RandomState) return random;
  if (typeof random === "number") {
    if (!Number.isInteger(random) || random < 0 || random > 0xffffffff) {
      throw new AugmentationError(fn, "random", `an integer seed must be in [0, 2³² − 1], got ${describe(random)}`);
    }
    return new RandomState(random);
  }
  if (random !== null && typeof random === "object") {
    const { k0, k1 } = random as Partial<AugmentKey>;
    const word = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
    if (word(k0) && word(k1)) return new RandomState([k0!, k1!]);
  }
  throw new AugmentationError(fn, "random", `must be a RandomState, a key { k0, k1 } of uint32 words or an integer seed, got ${describe(random)}`);
}

/** @internal A validated-batch implementation: what compositions call, so a batch is validated once. */
export type CheckedImpl = (b: Checked, rng: RandomState) => SignalBatch;

/** Where an augmentation of this package keeps its {@link CheckedImpl} (absent on user-written ones). */
const IMPL = Symbol("regularize.augmentation.checkedImpl");

/**
 * @internal Sizes of a batch produced by an augmentation of this package, without re-scanning its
 * values: its input was validated, and every transform maps finite values to finite values.
 * `owned`: its x may be overwritten (a buffer the composition made, or the caller gave up).
 */
export function trusted(batch: SignalBatch, owned: boolean): Checked {
  const { x, shape, y, numClasses } = batch;
  const n = shape[0]!;
  const length = shape[shape.length - 1]!;
  const channels = shape.length === 3 ? shape[1]! : 1;
  const labelWidth = y === undefined || y instanceof Int32Array ? 1 : n === 0 ? (numClasses ?? 1) : y.length / n;
  return { x, shape, n, row: channels * length, channels, length, y, labelWidth, numClasses, owned };
}

/**
 * @internal Apply `aug` to an already validated batch: its checked implementation when it has one
 * (no second validation pass), else its public call (a user-written Augmentation).
 */
export function applyChecked(aug: Augmentation, b: Checked, rng: RandomState): SignalBatch {
  const impl = (aug as unknown as { [IMPL]?: CheckedImpl & { minLength: number; mixes: boolean } })[IMPL];
  if (impl === undefined) return aug(toBatch(b), rng);
  if (b.length < impl.minLength) checkBatch(aug.augmentation, toBatch(b), impl.minLength); // throws: too short
  if (impl.mixes) checkMixable(aug.augmentation, b);
  return impl(b, rng);
}

/** @internal Whether `aug` is one of this package's (its outputs need no validation). */
export function hasCheckedImpl(aug: Augmentation): boolean {
  return (aug as unknown as { [IMPL]?: CheckedImpl })[IMPL] !== undefined;
}

function toBatch(b: Checked): SignalBatch {
  return { x: b.x, shape: b.shape, ...(b.y !== undefined ? { y: b.y } : {}), ...(b.numClasses !== undefined ? { numClasses: b.numClasses } : {}) };
}

/** @internal Build an Augmentation from a validated-batch implementation. */
export function defineAugmentation(
  name: string,
  meta: { readonly labelPreserving: boolean; readonly mixesLabels: boolean; readonly minLength?: number },
  impl: CheckedImpl,
): Augmentation {
  const minLength = meta.minLength ?? 1;
  const fn = (batch: SignalBatch, random: AugmentRandom): SignalBatch => {
    const b = checkBatch(name, batch, minLength);
    if (meta.mixesLabels) checkMixable(name, b);
    const rng = toRandomState(name, random);
    return impl(b, rng);
  };
  const checked = Object.assign((b: Checked, rng: RandomState) => impl(b, rng), { minLength, mixes: meta.mixesLabels });
  return Object.assign(fn, { augmentation: name, labelPreserving: meta.labelPreserving, mixesLabels: meta.mixesLabels, [IMPL]: checked });
}

/** @internal Attach a composition's checked implementation (compositions validate nothing twice either). */
export function withCheckedImpl(aug: Augmentation, impl: CheckedImpl, minLength = 1): Augmentation {
  return Object.assign(aug, { [IMPL]: Object.assign(impl, { minLength, mixes: false }) });
}

/** @internal Label mixing needs labels, and class counts for integer labels. */
export function checkMixable(fn: string, b: Checked): void {
  if (b.y === undefined) throw new AugmentationError(fn, "y", "label mixing needs labels");
  if (b.y instanceof Int32Array && b.numClasses === undefined) {
    throw new AugmentationError(fn, "numClasses", "is required to mix integer labels (they become soft labels [n, numClasses])");
  }
}

/** @internal A batch with new signals and the same labels. */
export function withX(b: Checked, x: Float64Array | Float32Array): SignalBatch {
  return {
    x,
    shape: b.shape,
    ...(b.y !== undefined ? { y: b.y } : {}),
    ...(b.numClasses !== undefined ? { numClasses: b.numClasses } : {}),
  };
}

/**
 * @internal Where a transform that reads sample j before writing sample j puts its result: the
 * input itself when it may be overwritten, else a new array of its dtype.
 */
export function output(b: Checked): Float64Array | Float32Array {
  return b.owned ? b.x : like(b.x);
}

/** @internal A new array of the input's dtype. */
export function like(x: Float64Array | Float32Array, size = x.length): Float64Array | Float32Array {
  return x instanceof Float32Array ? new Float32Array(size) : new Float64Array(size);
}

/**
 * @internal Label rows as floats `[n, k]`: class indices become one-hot rows over numClasses,
 * float labels are copied to Float64.
 */
export function softLabels(b: Checked): { readonly y: Float64Array; readonly k: number } {
  const y = b.y!;
  if (y instanceof Int32Array) {
    const k = b.numClasses!;
    const out = new Float64Array(b.n * k);
    for (let i = 0; i < b.n; i++) out[i * k + y[i]!] = 1;
    return { y: out, k };
  }
  return { y: Float64Array.from(y), k: b.labelWidth };
}

/** @internal Linear interpolation of channel `c` of row `r` at fractional time `t`, out-of-range by `mode`. */
export function sampleAt(
  x: Float64Array | Float32Array,
  base: number,
  length: number,
  t: number,
  mode: "edge" | "zero" | "wrap",
): number {
  if (mode === "wrap") {
    t = ((t % length) + length) % length;
    const i0 = Math.floor(t);
    const f = t - i0;
    const i1 = i0 + 1 === length ? 0 : i0 + 1;
    return x[base + i0]! * (1 - f) + x[base + i1]! * f;
  }
  if (t <= 0 || t >= length - 1) {
    if (mode === "zero" && (t < 0 || t > length - 1)) return 0;
    return x[base + (t <= 0 ? 0 : length - 1)]!;
  }
  const i0 = Math.floor(t);
  const f = t - i0;
  return x[base + i0]! * (1 - f) + x[base + i0 + 1]! * f;
}

/** @internal Option checks that throw AugmentationError naming the option. */
export function finiteOption(fn: string, name: string, v: unknown, dflt: number): number {
  const value = v === undefined ? dflt : v;
  if (typeof value !== "number" || !Number.isFinite(value)) throw new AugmentationError(fn, name, `must be a finite number, got ${describe(value)}`);
  return value;
}

/** @internal A [low, high] range option pair with low ≤ high and both ≥ min. */
export function rangeOption(fn: string, lowName: string, low: number, highName: string, high: number, min = -Infinity): void {
  if (low < min) throw new AugmentationError(fn, lowName, `must be ≥ ${min}, got ${low}`);
  if (high < low) throw new AugmentationError(fn, highName, `must be ≥ ${lowName} (${low}), got ${high}`);
}

/** @internal A probability option in [0, 1]. */
export function probabilityOption(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new AugmentationError(fn, name, `must be a probability in [0, 1], got ${describe(v)}`);
  }
  return v;
}

/** @internal Rejects option keys an augmentation does not know (typos would silently do nothing). */
export function knownOptions(fn: string, options: object | undefined, keys: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object") throw new AugmentationError(fn, "options", `must be an object, got ${describe(options)}`);
  for (const k of Object.keys(options)) {
    if (!keys.includes(k)) throw new AugmentationError(fn, k, `is not an option (valid: ${keys.join(", ") || "none"})`);
  }
}
