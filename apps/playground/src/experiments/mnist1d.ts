/**
 * MNIST-1D explorer: the ten templates, the generator's pipeline step by step for one sample, and a
 * grid of generated samples per class (all from @regularize/datasets).
 */
import { makeMnist1d, mnist1dSampleSteps, mnist1dTemplates, type Mnist1dSampleDraws } from "@regularize/datasets";
import type { ExperimentRun } from "./run.js";

export interface Mnist1dParams {
  /** Digit class of the sample traced step by step. */
  readonly label: number;
  /** Legacy-NumPy seed of the traced sample (a fresh generator: the first sample it would make). */
  readonly seed: number;
  /** Samples per class in the grid. */
  readonly perClass: number;
  /** Seed of the dataset the grid is drawn from. */
  readonly gridSeed: number;
}

export const MNIST1D_EXPLORER_DEFAULTS: Mnist1dParams = { label: 3, seed: 42, perClass: 5, gridSeed: 42 };

export interface Mnist1dStep {
  readonly key: string;
  readonly title: string;
  readonly values: Float64Array;
  /** Optional second series drawn in gray (e.g. the previous stage). */
  readonly before?: Float64Array;
}

export interface Mnist1dResult {
  readonly params: Mnist1dParams;
  /** Ten processed templates, 12 points each. */
  readonly templates: readonly Float64Array[];
  readonly templateT: Float64Array;
  readonly draws: Mnist1dSampleDraws;
  readonly steps: readonly Mnist1dStep[];
  /** grid[c] = perClass samples (40 points, standardised like the dataset) of class c. */
  readonly grid: readonly (readonly Float64Array[])[];
  readonly sampleLength: number;
}

export function* mnist1dExplorer(params: Mnist1dParams): ExperimentRun<Mnist1dResult> {
  const tpl = mnist1dTemplates();
  const [rows, len] = tpl.shape;
  const templates = Array.from({ length: rows }, (_, r) => tpl.x.slice(r * len, (r + 1) * len));
  const s = mnist1dSampleSteps(params.label, { seed: params.seed });
  const steps: Mnist1dStep[] = [
    { key: "template", title: "template (12 points)", values: s.template },
    { key: "padded", title: `pad: + ${s.draws.p} zeros (${s.padded.length} points)`, values: s.padded },
    { key: "dilated", title: `stretch: resample to ${s.dilated.length} points`, values: s.dilated },
    { key: "scaled", title: `scale ×${s.draws.scale.toFixed(3)}`, values: s.scaled, before: s.dilated },
    { key: "shifted", title: `shift right by ${s.draws.k}`, values: s.shifted, before: s.scaled },
    { key: "withCorrNoise", title: "correlated noise fills the padding", values: s.withCorrNoise, before: s.corrNoise },
    { key: "withIidNoise", title: "iid noise (σ = 0.02) everywhere", values: s.withIidNoise, before: s.withCorrNoise },
    { key: "sheared", title: `shear (c = ${s.draws.shearCoeff.toFixed(3)})`, values: s.sheared, before: s.withIidNoise },
    { key: "downsampled", title: `downsample to ${s.downsampled.length} points`, values: s.downsampled },
  ];
  yield { fraction: 0.3, message: "sample traced" };
  // enough samples that every class has perClass of them among the first rows
  const data = makeMnist1d({ numSamples: Math.max(100, 10 * params.perClass * 4), seed: params.gridSeed });
  const dim = data.shape.train[1];
  const grid: Float64Array[][] = Array.from({ length: 10 }, () => []);
  const rowsOf = [[data.x, data.y], [data.xTest, data.yTest]] as const;
  for (const [xs, ys] of rowsOf) {
    for (let i = 0; i < ys.length; i++) {
      const bucket = grid[ys[i]!]!;
      if (bucket.length < params.perClass) bucket.push(xs.slice(i * dim, (i + 1) * dim));
    }
  }
  return { params, templates, templateT: tpl.t, draws: s.draws, steps, grid, sampleLength: dim };
}
