/**
 * MNIST-1D explorer: the ten templates, the generator's pipeline step by step for one sample, and a
 * grid of generated samples per class (all from @regularize/datasets).
 */
import { makeMnist1d, mnist1dSampleSteps, mnist1dTemplates, type Mnist1dSampleDraws } from "@regularize/datasets";
import type { Progress } from "../experiment.js";
import { plain } from "./grid.js";

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

export interface Mnist1dStep {
  readonly key: string;
  readonly title: string;
  readonly values: number[];
  /** Optional second series drawn in gray (e.g. the previous stage). */
  readonly before?: number[];
}

export interface Mnist1dResult {
  /** Ten processed templates, 12 points each. */
  readonly templates: number[][];
  readonly templateT: number[];
  readonly draws: Mnist1dSampleDraws;
  readonly steps: Mnist1dStep[];
  /** grid[c] = perClass samples (40 points, standardised like the dataset) of class c. */
  readonly grid: number[][][];
  readonly sampleLength: number;
}

export function* mnist1dExplorer(params: Mnist1dParams): Generator<Progress, Mnist1dResult, void> {
  const tpl = mnist1dTemplates();
  const [rows, len] = tpl.shape;
  const templates = Array.from({ length: rows }, (_, r) => plain(tpl.x.slice(r * len, (r + 1) * len)));
  const s = mnist1dSampleSteps(params.label, { seed: params.seed });
  const st = (key: string, title: string, values: ArrayLike<number>, before?: ArrayLike<number>): Mnist1dStep =>
    ({ key, title, values: plain(values), ...(before ? { before: plain(before) } : {}) });
  const steps: Mnist1dStep[] = [
    st("template", "template (12 points)", s.template),
    st("padded", `pad: + ${s.draws.p} zeros (${s.padded.length} points)`, s.padded),
    st("dilated", `stretch: resample to ${s.dilated.length} points`, s.dilated),
    st("scaled", `scale ×${s.draws.scale.toFixed(3)}`, s.scaled, s.dilated),
    st("shifted", `shift right by ${s.draws.k}`, s.shifted, s.scaled),
    st("withCorrNoise", "correlated noise fills the padding", s.withCorrNoise, s.corrNoise),
    st("withIidNoise", "iid noise (σ = 0.02) everywhere", s.withIidNoise, s.withCorrNoise),
    st("sheared", `shear (c = ${s.draws.shearCoeff.toFixed(3)})`, s.sheared, s.withIidNoise),
    st("downsampled", `downsample to ${s.downsampled.length} points`, s.downsampled),
  ];
  yield { fraction: 0.3, message: "sample traced" };
  // enough samples that every class has perClass of them among the first rows
  const data = makeMnist1d({ numSamples: Math.max(100, 10 * params.perClass * 4), seed: params.gridSeed });
  const dim = data.shape.train[1];
  const grid: number[][][] = Array.from({ length: 10 }, () => []);
  const rowsOf = [[data.x, data.y], [data.xTest, data.yTest]] as const;
  for (const [xs, ys] of rowsOf) {
    for (let i = 0; i < ys.length; i++) {
      const bucket = grid[ys[i]!]!;
      if (bucket.length < params.perClass) bucket.push(plain(xs.slice(i * dim, (i + 1) * dim)));
    }
  }
  yield { fraction: 1, message: "done" };
  return { templates, templateT: plain(tpl.t), draws: { ...s.draws }, steps, grid, sampleLength: dim };
}
