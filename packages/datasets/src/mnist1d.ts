import { DatasetArgumentError } from "./errors.js";
import { resolveMnist1dArgs, type Mnist1dArgs } from "./mnist1d-args.js";
import { mnist1dTemplates, type Mnist1dTemplates } from "./mnist1d-templates.js";
import { createPlan, createWorkspace, transformSample } from "./mnist1d-transform.js";
import { numpyMean, numpyStd } from "./numpy-numerics.js";
import { RandomState } from "./random-state.js";
import { makeSplit, type Split } from "./split.js";

/** Per-sample random draws of a whole dataset, in generation (class-major) order. */
export interface Mnist1dTrace {
  /** Uniform behind each padding length. */
  readonly uPad: Float64Array;
  /** Zeros appended to each template. */
  readonly p: Int32Array;
  /** Uniform behind each amplitude. */
  readonly uScale: Float64Array;
  /** Amplitude factors. */
  readonly scale: Float64Array;
  /** Circular shifts. */
  readonly k: Int32Array;
  /** Uniform behind each shear. */
  readonly uShear: Float64Array;
  /** Shear coefficients. */
  readonly shearCoeff: Float64Array;
  /** `batchPerm[i]` is the generation index of output row i (train rows first, then test rows). */
  readonly batchPerm: Int32Array;
  /** Column permutation (`shuffleSeq`), or null. Output column j is generated column `seqPerm[j]`. */
  readonly seqPerm: Int32Array | null;
}

/** The generated dataset before normalisation and splitting (useful to debug or re-normalise). */
export interface Mnist1dRaw {
  /** The resolved arguments. */
  readonly args: Mnist1dArgs;
  /** All rows after the batch (and optional column) shuffle, row-major `[n, finalSeqLength]`. */
  readonly x: Float64Array;
  /** Labels in the same row order. */
  readonly y: Int32Array;
  /** Time axis before it is divided by the dataset std. */
  readonly t: Float64Array;
  /** Number of rows: `10 · floor(numSamples / 10)`. */
  readonly n: number;
  /** Features per row (`finalSeqLength`). */
  readonly dim: number;
  /** Random draws, for checking a port or drawing histograms. */
  readonly trace: Mnist1dTrace;
  /** The processed templates. */
  readonly templates: Mnist1dTemplates;
}

/** An MNIST-1D dataset as upstream `make_dataset` returns it, with typed arrays and explicit shapes. */
export interface Mnist1dDataset {
  /** Training inputs, row-major `[shape.train[0], shape.train[1]]`. */
  readonly x: Float64Array;
  /** Training labels 0..9. */
  readonly y: Int32Array;
  /** Test inputs, row-major `[shape.test[0], shape.test[1]]`. */
  readonly xTest: Float64Array;
  /** Test labels 0..9. */
  readonly yTest: Int32Array;
  /** Time axis of a sample, divided by the dataset std like upstream's `new_t`. */
  readonly t: Float64Array;
  /** The processed digit templates. */
  readonly templates: Mnist1dTemplates;
  /** `{ train: [n, len], test: [m, len] }`. */
  readonly shape: { readonly train: readonly [number, number]; readonly test: readonly [number, number] };
  /** The resolved arguments. */
  readonly args: Mnist1dArgs;
  /** The global mean and std used to standardise x (computed over train and test together). */
  readonly normalisation: { readonly mean: number; readonly std: number };
}

/**
 * Generates the dataset up to (not including) normalisation: samples class by class, then the
 * batch permutation and, with `shuffleSeq`, the column permutation — all from one legacy stream.
 */
export function generateMnist1dRaw(args: Partial<Mnist1dArgs> = {}): Mnist1dRaw {
  const a = resolveMnist1dArgs(args);
  const templates = mnist1dTemplates();
  const plan = createPlan(a, templates);
  const ws = createWorkspace(plan);
  const rng = new RandomState(a.seed);
  const classes = templates.shape[0];
  const tlen = templates.shape[1];
  const perClass = Math.floor(a.numSamples / classes);
  const n = perClass * classes;
  const dim = a.finalSeqLength;

  const generated = new Float64Array(n * dim);
  const trace = {
    uPad: new Float64Array(n),
    p: new Int32Array(n),
    uScale: new Float64Array(n),
    scale: new Float64Array(n),
    k: new Int32Array(n),
    uShear: new Float64Array(n),
    shearCoeff: new Float64Array(n),
  };
  let s = 0;
  for (let label = 0; label < classes; label++) {
    for (let e = 0; e < perClass; e++, s++) {
      const d = transformSample(rng, plan, templates.x, label * tlen, ws, generated, s * dim);
      trace.uPad[s] = d.uPad;
      trace.p[s] = d.p;
      trace.uScale[s] = d.uScale;
      trace.scale[s] = d.scale;
      trace.k[s] = d.k;
      trace.uShear[s] = d.uShear;
      trace.shearCoeff[s] = d.shearCoeff;
    }
  }

  const batchPerm = rng.permutation(n);
  const seqPerm = a.shuffleSeq ? rng.permutation(dim) : null;
  const x = new Float64Array(n * dim);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const src = batchPerm[i]!;
    y[i] = Math.floor(src / perClass);
    const from = src * dim;
    const to = i * dim;
    // Plain loops rather than subarray views: 5000 short-lived views per call cost more than the copy.
    if (seqPerm === null) {
      for (let j = 0; j < dim; j++) x[to + j] = generated[from + j]!;
    } else {
      for (let j = 0; j < dim; j++) x[to + j] = generated[from + seqPerm[j]!]!;
    }
  }
  return { args: a, x, y, t: plan.tFinal.slice(), n, dim, trace: { ...trace, batchPerm, seqPerm }, templates };
}

/**
 * Generates MNIST-1D exactly as upstream `make_dataset(args)` (greydanus/mnist1d), bit for bit on V8.
 *
 * Arguments default to upstream's (`MNIST1D_DEFAULTS`); pass `MNIST1D_PRESETS.fig9_5` for the
 * book's 4000/4000 setting. Invalid arguments throw `DatasetArgumentError` before any work.
 */
export function makeMnist1d(args: Partial<Mnist1dArgs> = {}): Mnist1dDataset {
  const raw = generateMnist1dRaw(args);
  const { x, n, dim } = raw;
  const mean = numpyMean(x);
  const std = numpyStd(x);
  const t = raw.t;
  for (let i = 0; i < t.length; i++) t[i] = t[i]! / std;
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean) / std;

  const nTrain = Math.trunc(n * raw.args.trainSplit);
  return {
    x: x.slice(0, nTrain * dim),
    y: raw.y.slice(0, nTrain),
    xTest: x.slice(nTrain * dim),
    yTest: raw.y.slice(nTrain),
    t,
    templates: raw.templates,
    shape: { train: [nTrain, dim], test: [n - nTrain, dim] },
    args: raw.args,
    normalisation: { mean, std },
  };
}

/** Views a generated dataset as `{ train, test }` splits for the batching and preprocessing helpers (no copy). */
export function mnist1dSplits(data: Mnist1dDataset): { readonly train: Split; readonly test: Split } {
  if (data === null || typeof data !== "object" || !Array.isArray((data as Partial<Mnist1dDataset>).shape?.train)) {
    throw new DatasetArgumentError("data", "must be a dataset made by makeMnist1d");
  }
  const dim = data.shape.train[1];
  return {
    train: makeSplit(data.x, data.y, dim),
    test: makeSplit(data.xTest, data.yTest, dim),
  };
}
