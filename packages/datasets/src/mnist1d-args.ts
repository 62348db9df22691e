import { DatasetArgumentError, assertFinite, assertInteger, describe } from "./errors.js";

/** Arguments of the MNIST-1D generator: upstream `get_dataset_args()` fields, camelCased. */
export interface Mnist1dArgs {
  /** Total samples before the split; each class gets `floor(numSamples / 10)`. */
  readonly numSamples: number;
  /** Share of rows in the train split; the split index is `trunc(N · trainSplit)`. */
  readonly trainSplit: number;
  /** Only sets the internal length `L = templateLen + padding[1]`; templates are always 12 points. */
  readonly templateLen: number;
  /** Inclusive range `[lo, hi]` of the number of zeros appended to a template. */
  readonly padding: readonly [number, number];
  /** Amplitude factor is `1 + scaleCoeff·(u − 0.5)`. */
  readonly scaleCoeff: number;
  /** Circular right shift is `k = choice(maxTranslation)`, i.e. in `[0, maxTranslation)`. */
  readonly maxTranslation: number;
  /** Std of the white noise that is Gaussian-filtered (σ = 2) and fills the padding region. */
  readonly corrNoiseScale: number;
  /** Std of the white noise added everywhere. */
  readonly iidNoiseScale: number;
  /** Shear coefficient is `shearScale·(u − 0.5)`, applied along `linspace(−0.5, 0.5, L)`. */
  readonly shearScale: number;
  /** Apply one extra random permutation to the columns (the "shuffled features" variant). */
  readonly shuffleSeq: boolean;
  /** Output length of every sample. */
  readonly finalSeqLength: number;
  /** Legacy NumPy seed in [0, 2³² − 1]. */
  readonly seed: number;
}

/** Upstream defaults (`mnist1d.data.get_dataset_args()`): 5000 samples, 4000/1000 split, 40 features, seed 42. */
export const MNIST1D_DEFAULTS: Mnist1dArgs = Object.freeze({
  numSamples: 5000,
  trainSplit: 0.8,
  templateLen: 12,
  padding: Object.freeze([36, 60] as const),
  scaleCoeff: 0.4,
  maxTranslation: 48,
  corrNoiseScale: 0.25,
  iidNoiseScale: 0.02,
  shearScale: 0.75,
  shuffleSeq: false,
  finalSeqLength: 40,
  seed: 42,
});

/**
 * Named argument sets: `default` (the shipped dataset, 4000/1000), `fig9_5` (UDL figure 9.5 and
 * notebook 8.3: 8000 samples split 0.5, i.e. 4000/4000) and `shuffled` (default with permuted features).
 */
export const MNIST1D_PRESETS = Object.freeze({
  default: MNIST1D_DEFAULTS,
  fig9_5: Object.freeze({ ...MNIST1D_DEFAULTS, numSamples: 8000, trainSplit: 0.5 }),
  shuffled: Object.freeze({ ...MNIST1D_DEFAULTS, shuffleSeq: true }),
} satisfies Record<string, Mnist1dArgs>);

/** Name of an entry of {@link MNIST1D_PRESETS}. */
export type Mnist1dPresetName = keyof typeof MNIST1D_PRESETS;

const KEYS = Object.keys(MNIST1D_DEFAULTS) as (keyof Mnist1dArgs)[];
const MAX_SAMPLES = 10_000_000;
const MAX_LENGTH = 1_000_000;

/**
 * Fills in defaults and validates every argument, throwing {@link DatasetArgumentError} naming the
 * first bad one. Unknown keys are rejected too, so a misspelt option cannot be silently ignored.
 */
export function resolveMnist1dArgs(args: Partial<Mnist1dArgs> = {}): Mnist1dArgs {
  if (args === null || typeof args !== "object" || Array.isArray(args)) {
    throw new DatasetArgumentError("args", `must be an object, got ${describe(args)}`);
  }
  for (const key of Object.keys(args)) {
    if (!(KEYS as string[]).includes(key)) {
      throw new DatasetArgumentError(key, `is not an MNIST-1D argument (known: ${KEYS.join(", ")})`);
    }
  }
  const a: Mnist1dArgs = { ...MNIST1D_DEFAULTS, ...stripUndefined(args) };

  assertInteger("numSamples", a.numSamples, 10, MAX_SAMPLES);
  assertFinite("trainSplit", a.trainSplit);
  if (!(a.trainSplit > 0 && a.trainSplit < 1)) {
    throw new DatasetArgumentError("trainSplit", `must be in (0, 1), got ${a.trainSplit}`);
  }
  const n = Math.floor(a.numSamples / 10) * 10;
  const nTrain = Math.trunc(n * a.trainSplit);
  if (nTrain === 0 || nTrain === n) {
    throw new DatasetArgumentError(
      "trainSplit",
      `leaves an empty ${nTrain === 0 ? "train" : "test"} split for ${n} samples`,
    );
  }
  assertInteger("templateLen", a.templateLen, 1, MAX_LENGTH);
  if (!Array.isArray(a.padding) || a.padding.length !== 2) {
    throw new DatasetArgumentError("padding", `must be a pair [lo, hi], got ${describe(a.padding)}`);
  }
  const [lo, hi] = a.padding;
  assertInteger("padding", lo, 0, MAX_LENGTH);
  assertInteger("padding", hi, 0, MAX_LENGTH);
  if (lo > hi) throw new DatasetArgumentError("padding", `lo must not exceed hi, got [${lo}, ${hi}]`);
  if (a.templateLen + hi < 2) {
    throw new DatasetArgumentError("padding", "templateLen + padding[1] must be at least 2");
  }
  nonNegative("scaleCoeff", a.scaleCoeff);
  assertInteger("maxTranslation", a.maxTranslation, 1, MAX_LENGTH);
  nonNegative("corrNoiseScale", a.corrNoiseScale);
  nonNegative("iidNoiseScale", a.iidNoiseScale);
  nonNegative("shearScale", a.shearScale);
  if (typeof a.shuffleSeq !== "boolean") {
    throw new DatasetArgumentError("shuffleSeq", `must be a boolean, got ${describe(a.shuffleSeq)}`);
  }
  assertInteger("finalSeqLength", a.finalSeqLength, 1, MAX_LENGTH);
  if (a.numSamples * a.finalSeqLength > 2 ** 31 - 1) {
    throw new DatasetArgumentError("numSamples", "numSamples × finalSeqLength exceeds the array size limit");
  }
  assertInteger("seed", a.seed, 0, 0xffffffff);
  return Object.freeze({ ...a, padding: Object.freeze([lo, hi] as const) });
}

function nonNegative(name: string, v: unknown): void {
  assertFinite(name, v);
  if (v < 0) throw new DatasetArgumentError(name, `must be non-negative, got ${v}`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
