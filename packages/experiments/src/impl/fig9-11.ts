import { linearGaussian, reluFeatures } from "@regularize/bayes";
import { prngKey } from "@regularize/core-autodiff";
import { makeToyData } from "@regularize/datasets";
import { ExperimentParamsError } from "../errors.js";
import type { RunContext } from "../experiment.js";

/** Params of fig9.11 after validation. */
export interface Fig911Params {
  readonly data?: { readonly x: number[]; readonly y: number[] } | undefined;
  readonly hiddenUnits: number;
  readonly noiseVariance: number;
  readonly priorVariance: number;
  readonly at?: number[] | undefined;
  readonly samples: number;
  readonly seed: number;
}

/** Result of fig9.11: `mean` and `sd` (function sd, without σ²) at `at`, plus the figure's extras. */
export interface Fig911Result {
  readonly at: number[];
  readonly mean: number[];
  /** sqrt(h̃ᵀΣ_post h̃): the book's band is mean ± 2 sd. */
  readonly sd: number[];
  /** sqrt(h̃ᵀΣ_post h̃ + σ²): the band of a new noisy observation. */
  readonly sdWithNoise: number[];
  /** Posterior samples' functions at `at` (panels a–c). */
  readonly samples: number[][];
  /** μ_post: output weights ω_0…ω_{K−1}, then the bias β. */
  readonly posteriorMean: number[];
  readonly logEvidence: number;
  readonly priorVariance: number;
  readonly noiseVariance: number;
  readonly data: { readonly x: number[]; readonly y: number[] };
}

/** The chapter's seed-1 points, rounded to the 6 decimals CHAPTER9 §1.1 prints (its reference table uses them). */
function seed1(): { x: number[]; y: number[] } {
  const d = makeToyData({ seed: 1 });
  return { x: Array.from(d.x, (v) => Number(v.toFixed(6))), y: Array.from(d.y, (v) => Number(v.toFixed(6))) };
}

/** Runs figure 9.11's closed form. */
export function* runFig911(p: Fig911Params, _ctx: RunContext): Generator<{ fraction: number; message?: string }, Fig911Result, void> {
  if (p.data !== undefined && p.data.x.length !== p.data.y.length) {
    throw new ExperimentParamsError("fig9.11", [{ path: "data.y", message: `has ${p.data.y.length} values but data.x has ${p.data.x.length}` }]);
  }
  const data = p.data ?? seed1();
  const at = p.at ?? Array.from({ length: 100 }, (_, i) => i / 99);
  const K = p.hiddenUnits;
  const post = linearGaussian({ features: reluFeatures(data.x, K), targets: data.y, noiseVariance: p.noiseVariance, priorVariance: p.priorVariance });
  const Hs = reluFeatures(at, K);
  const pred = post.predict(Hs);
  const samples = post.sample(prngKey(p.seed), p.samples).map((phi) => Hs.map((h) => h.reduce((s, hj, j) => s + hj * phi[j]!, 0)));
  yield { fraction: 1, message: "posterior computed" };
  return {
    at: [...at],
    mean: Array.from(pred.mean),
    sd: Array.from(pred.variance, Math.sqrt),
    sdWithNoise: Array.from(pred.variance, (v) => Math.sqrt(v + p.noiseVariance)),
    samples,
    posteriorMean: Array.from(post.mean),
    logEvidence: post.logEvidence,
    priorVariance: p.priorVariance,
    noiseVariance: p.noiseVariance,
    data: { x: [...data.x], y: [...data.y] },
  };
}
