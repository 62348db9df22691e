import { resolveMnist1dArgs, type Mnist1dArgs } from "./mnist1d-args.js";
import { DatasetArgumentError, assertInteger, describe } from "./errors.js";
import { correlateSymmetricReflect, gaussianKernel } from "./gaussian-filter.js";
import { mnist1dTemplates, type Mnist1dTemplates } from "./mnist1d-templates.js";
import { interpSorted, linspace } from "./numpy-numerics.js";
import { RandomState } from "./random-state.js";

/** Upstream adds this to every template value so the template is never mistaken for padding. */
const TEMPLATE_EPS = 1e-8;
/** The correlated noise is smoothed by a Gaussian of this σ (scipy `gaussian_filter(noise, 2)`). */
const CORR_NOISE_SIGMA = 2;

/** The random draws one sample consumes, in the order they are taken from the stream. */
export interface Mnist1dSampleDraws {
  /** Uniform behind the padding length. */
  readonly uPad: number;
  /** Number of zeros appended: `padding[0] + trunc(uPad·(padding[1] − padding[0] + 1))`. */
  readonly p: number;
  /** Uniform behind the amplitude. */
  readonly uScale: number;
  /** Amplitude factor `1 + scaleCoeff·(uScale − 0.5)`. */
  readonly scale: number;
  /** Circular right shift `choice(maxTranslation)`. */
  readonly k: number;
  /** Uniform behind the shear. */
  readonly uShear: number;
  /** Shear coefficient `shearScale·(uShear − 0.5)`. */
  readonly shearCoeff: number;
}

/** Names of the pipeline stages reported to a recorder, in order. */
export type Mnist1dStage =
  | "padded"
  | "dilated"
  | "scaled"
  | "shifted"
  | "corrNoise"
  | "withCorrNoise"
  | "iidNoise"
  | "withIidNoise"
  | "sheared"
  | "downsampled";

/** @internal Everything that is the same for every sample of one argument set. */
export interface TransformPlan {
  readonly args: Mnist1dArgs;
  /** Internal length `templateLen + padding[1]`. */
  readonly length: number;
  readonly templateLength: number;
  readonly kernel: Float64Array;
  readonly internalGrid: Float64Array;
  readonly finalGrid: Float64Array;
  readonly shearLine: Float64Array;
  /** `linspace(0, 1, templateLength + p)` for each possible p, built lazily. */
  readonly sourceGrids: Map<number, Float64Array>;
  /** Template time axis resampled to the internal and to the final grid (identical for every sample). */
  readonly tInternal: Float64Array;
  readonly tFinal: Float64Array;
}

/** @internal Scratch buffers reused across samples so the hot loop allocates nothing. */
export interface TransformWorkspace {
  readonly padded: Float64Array;
  readonly signal: Float64Array;
  readonly noise: Float64Array;
  readonly filtered: Float64Array;
  readonly filterScratch: Float64Array;
}

/** @internal */
export function createPlan(args: Mnist1dArgs, templates: Mnist1dTemplates): TransformPlan {
  const length = args.templateLen + args.padding[1];
  const templateLength = templates.shape[1];
  const internalGrid = linspace(0, 1, length);
  const finalGrid = linspace(0, 1, args.finalSeqLength);
  const tInternal = interpSorted(internalGrid, linspace(0, 1, templateLength), templates.t, new Float64Array(length));
  const tFinal = interpSorted(finalGrid, internalGrid, tInternal, new Float64Array(args.finalSeqLength));
  return {
    args,
    length,
    templateLength,
    kernel: gaussianKernel(CORR_NOISE_SIGMA),
    internalGrid,
    finalGrid,
    shearLine: linspace(-0.5, 0.5, length),
    sourceGrids: new Map(),
    tInternal,
    tFinal,
  };
}

/** @internal */
export function createWorkspace(plan: TransformPlan): TransformWorkspace {
  const { length, templateLength, kernel } = plan;
  return {
    padded: new Float64Array(templateLength + plan.args.padding[1]),
    signal: new Float64Array(length),
    noise: new Float64Array(length),
    filtered: new Float64Array(length),
    filterScratch: new Float64Array(length + kernel.length - 1),
  };
}

/**
 * @internal Runs upstream `transform()` on one template row (at `templateOffset`), writing
 * `finalSeqLength` values to `out` at `outOffset`. `record`, when given, sees each intermediate
 * buffer (live: copy it if you keep it).
 */
export function transformSample(
  rng: RandomState,
  plan: TransformPlan,
  templates: Float64Array,
  templateOffset: number,
  ws: TransformWorkspace,
  out: Float64Array,
  outOffset: number,
  record?: (stage: Mnist1dStage, values: Float64Array) => void,
): Mnist1dSampleDraws {
  const { args, length: L, templateLength } = plan;
  const [padLo, padHi] = args.padding;
  const { padded, signal, noise, filtered } = ws;

  // 1. pad: template + ε, then p zeros.
  const uPad = rng.randomSample();
  const p = padLo + Math.trunc(uPad * (padHi - padLo + 1));
  const srcLength = templateLength + p;
  for (let i = 0; i < templateLength; i++) padded[i] = templates[templateOffset + i]! + TEMPLATE_EPS;
  padded.fill(0, templateLength, srcLength);
  record?.("padded", padded.subarray(0, srcLength));

  // 2. dilate onto the internal grid.
  let srcGrid = plan.sourceGrids.get(srcLength);
  if (srcGrid === undefined) {
    srcGrid = linspace(0, 1, srcLength);
    plan.sourceGrids.set(srcLength, srcGrid);
  }
  interpSorted(plan.internalGrid, srcGrid, padded, signal, srcLength);
  record?.("dilated", signal);

  // 3. scale.
  const uScale = rng.randomSample();
  const scale = 1 + args.scaleCoeff * (uScale - 0.5);
  for (let i = 0; i < L; i++) signal[i] = signal[i]! * scale;
  record?.("scaled", signal);

  // 4. translate: np.concatenate([x[-k:], x[:-k]]) is a right roll by k, and the identity when k ≥ L.
  const k = rng.choice(args.maxTranslation);
  const shift = k >= L ? 0 : k;
  if (shift !== 0) {
    filtered.set(signal);
    for (let i = 0; i < L; i++) signal[i] = filtered[(i - shift + L) % L]!;
  }
  record?.("shifted", signal);

  // 5–6. correlated noise replaces the exact zeros (the padding); the filter still sees all L values.
  for (let i = 0; i < L; i++) noise[i] = args.corrNoiseScale * rng.standardNormal();
  correlateSymmetricReflect(noise, plan.kernel, filtered, L, ws.filterScratch);
  record?.("corrNoise", filtered);
  for (let i = 0; i < L; i++) if (signal[i] === 0) signal[i] = 0 + filtered[i]!;
  record?.("withCorrNoise", signal);

  // 7. iid noise everywhere.
  for (let i = 0; i < L; i++) noise[i] = args.iidNoiseScale * rng.standardNormal();
  record?.("iidNoise", noise);
  for (let i = 0; i < L; i++) signal[i] = signal[i]! + noise[i]!;
  record?.("withIidNoise", signal);

  // 8. shear.
  const uShear = rng.randomSample();
  const shearCoeff = args.shearScale * (uShear - 0.5);
  for (let i = 0; i < L; i++) signal[i] = signal[i]! - shearCoeff * plan.shearLine[i]!;
  record?.("sheared", signal);

  // 9. downsample to the output grid.
  interpSorted(plan.finalGrid, plan.internalGrid, signal, out, L, outOffset);
  record?.("downsampled", out.subarray(outOffset, outOffset + args.finalSeqLength));

  return { uPad, p, uScale, scale, k, uShear, shearCoeff };
}

/** Every intermediate signal of one MNIST-1D sample, for plotting the generator step by step. */
export interface Mnist1dSampleSteps {
  /** Digit class 0..9. */
  readonly label: number;
  /** The random draws this sample consumed. */
  readonly draws: Mnist1dSampleDraws;
  /** Processed template (12 points). */
  readonly template: Float64Array;
  /** Template + 1e-8 followed by `p` zeros (`12 + p` points). */
  readonly padded: Float64Array;
  /** Linearly resampled to the internal length L = templateLen + padding[1]. */
  readonly dilated: Float64Array;
  /** Multiplied by the amplitude factor. */
  readonly scaled: Float64Array;
  /** Circularly shifted right by `k`. */
  readonly shifted: Float64Array;
  /** 1 where the shifted signal is kept, 0 where it was exactly zero (padding) and noise fills in. */
  readonly mask: Uint8Array;
  /** White noise × corrNoiseScale after the σ = 2 Gaussian filter (all L values). */
  readonly corrNoise: Float64Array;
  /** Shifted signal with the padding region replaced by `corrNoise`. */
  readonly withCorrNoise: Float64Array;
  /** White noise × iidNoiseScale. */
  readonly iidNoise: Float64Array;
  /** Previous step plus `iidNoise`. */
  readonly withIidNoise: Float64Array;
  /** After subtracting `shearCoeff · linspace(−0.5, 0.5, L)`. */
  readonly sheared: Float64Array;
  /** Resampled to `finalSeqLength` points: the sample before the dataset-wide normalisation. */
  readonly downsampled: Float64Array;
  /** Time axes: the template's, the internal one (length L) and the final one (length finalSeqLength). */
  readonly t: { readonly template: Float64Array; readonly internal: Float64Array; readonly final: Float64Array };
}

/** Options of {@link mnist1dSampleSteps}: generator arguments plus an optional generator to draw from. */
export interface Mnist1dSampleOptions extends Partial<Mnist1dArgs> {
  /** Draw from this generator (it advances) instead of a fresh `RandomState(seed)`. */
  readonly rng?: RandomState;
}

/**
 * Runs the per-sample pipeline once for `label` and returns every intermediate signal.
 *
 * With a fresh generator (`seed`, default 42) and label 0 this is exactly the first sample
 * `makeMnist1d` generates for the same arguments, before the batch shuffle and normalisation.
 */
export function mnist1dSampleSteps(label: number, options: Mnist1dSampleOptions = {}): Mnist1dSampleSteps {
  if (options === null || typeof options !== "object") throw new DatasetArgumentError("options", `must be an options object, got ${describe(options)}`);
  const { rng: givenRng, ...rest } = options;
  assertInteger("label", label, 0, 9);
  if (givenRng !== undefined && !(givenRng instanceof RandomState)) {
    throw new DatasetArgumentError("rng", "must be a RandomState");
  }
  const args = resolveMnist1dArgs(rest);
  const templates = mnist1dTemplates();
  const plan = createPlan(args, templates);
  const ws = createWorkspace(plan);
  const rng = givenRng ?? new RandomState(args.seed);
  const template = templates.x.slice(label * plan.templateLength, (label + 1) * plan.templateLength);
  const stages = new Map<Mnist1dStage, Float64Array>();
  const out = new Float64Array(args.finalSeqLength);
  const draws = transformSample(rng, plan, template, 0, ws, out, 0, (stage, values) => {
    stages.set(stage, values.slice());
  });
  const get = (stage: Mnist1dStage): Float64Array => stages.get(stage)!;
  const shifted = get("shifted");
  const mask = new Uint8Array(shifted.length);
  for (let i = 0; i < shifted.length; i++) mask[i] = shifted[i] !== 0 ? 1 : 0;
  return {
    label,
    draws,
    template,
    padded: get("padded"),
    dilated: get("dilated"),
    scaled: get("scaled"),
    shifted,
    mask,
    corrNoise: get("corrNoise"),
    withCorrNoise: get("withCorrNoise"),
    iidNoise: get("iidNoise"),
    withIidNoise: get("withIidNoise"),
    sheared: get("sheared"),
    downsampled: get("downsampled"),
    t: { template: templates.t.slice(), internal: plan.tInternal.slice(), final: plan.tFinal.slice() },
  };
}
