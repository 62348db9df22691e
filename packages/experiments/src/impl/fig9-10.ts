/**
 * Figure 9.10: Gaussian noise on the inputs. At every step the batch inputs become x + ε,
 * ε ~ N(0, σ_x²) (noise's inputNoise plugin), targets untouched; more noise gives a smoother fit.
 * The book's σ_x labels (0, 0.6, 1.0) are about ten times the spread seen in its plot; we use
 * σ_x ∈ {0, 0.06, 0.1} in the [0, 1] units of x (CHAPTER9 §2 fig 9.10).
 * Model (not given by the book): the simplified network with K = 40 hidden units, ω = 0 at the start,
 * trained full batch on the SSE with Adam (α = 0.01) for 5000 steps.
 */
import { normal, prngKey, tensor } from "@regularize/core-autodiff";
import { type ShallowNetParams, fit, shallowNet, zerosInit } from "@regularize/core-train";
import { inputNoise } from "@regularize/noise";
import { adam } from "@regularize/optim";
import type { Plugin } from "@regularize/core-train";
import type { Progress, RunContext } from "../experiment.js";
import { plain } from "./grid.js";
import { abortError } from "./with-progress.js";
import { plotGrid, predict, sse, toyData, truth } from "./toy.js";

export const FIG910_PRESETS = [0, 0.06, 0.1] as const;

export interface Fig910Params {
  /** σ_x of the fourth, free panel. */
  readonly sigma: number;
  readonly K: number;
  readonly steps: number;
  readonly learningRate: number;
  /** Seed of the noise draws. */
  readonly seed: number;
}

export interface Fig910Fit {
  readonly sigma: number;
  readonly curve: number[];
  /** SSE on the clean data. */
  readonly sse: number;
  /** Σ|f(x_{i+1}) − 2f(x_i) + f(x_{i−1})| on the plotting grid: total curvature, a roughness measure. */
  readonly roughness: number;
  /** Ten noisy copies of every input (for display), row-major [n, 10]. */
  readonly samples: number[];
}

export interface Fig910Result {
  readonly x: number[];
  readonly y: number[];
  readonly grid: number[];
  readonly truth: number[];
  readonly fits: Fig910Fit[];
}

const cache = new Map<string, Fig910Fit>();

export async function trainWithInputNoise(
  p: Fig910Params, sigma: number, signal?: AbortSignal, onStep?: (fraction: number) => void, extra: readonly Plugin[] = [],
): Promise<Fig910Fit | null> {
  const key = JSON.stringify([p.K, p.steps, p.learningRate, p.seed, sigma]);
  // extra plugins carry state: never serve their runs from the cache
  const hit = extra.length === 0 ? cache.get(key) : undefined;
  if (hit) return hit;
  const d = toyData("book", 0, "fig9_10");
  const grid = plotGrid();
  const model = shallowNet({ K: p.K, omegaInit: zerosInit() });
  const res = await fit({
    model, data: { x: tensor(d.x), y: tensor(d.y) }, loss: "sse", optimizer: adam({ learningRate: p.learningRate }),
    batchSize: d.n, steps: p.steps, plugins: [inputNoise({ sigma }), ...extra], seed: p.seed, logEvery: 1000,
    progressEvery: 250, ...(signal ? { signal } : {}),
    onProgress: (q) => onStep?.(q.fraction ?? 0),
  });
  if (res.stopped === "aborted") return null;
  const params = res.params as ShallowNetParams;
  const curve = predict(params, grid, p.K);
  let roughness = 0;
  for (let i = 1; i < curve.length - 1; i++) roughness += Math.abs(curve[i + 1]! - 2 * curve[i]! + curve[i - 1]!);
  const eps = normal(prngKey(p.seed + 1000), [d.n, 10], { std: sigma }).data;
  const samples = Float64Array.from({ length: d.n * 10 }, (_, k) => d.x[Math.floor(k / 10)]! + eps[k]!);
  const out: Fig910Fit = { sigma, curve: plain(curve), sse: sse(predict(params, d.x, p.K), d.y), roughness, samples: plain(samples) };
  if (extra.length === 0) cache.set(key, out);
  return out;
}

export async function* fig910(params: Fig910Params, ctx: RunContext): AsyncGenerator<Progress, Fig910Result, void> {
  const d = toyData("book", 0, "fig9_10");
  const grid = plotGrid();
  const sigmas = [...FIG910_PRESETS, params.sigma];
  const fits: Fig910Fit[] = [];
  for (const [i, sigma] of sigmas.entries()) {
    let last: Progress | null = null;
    const f = await trainWithInputNoise(params, sigma, ctx.signal, (fr) => { last = { fraction: (i + fr) / sigmas.length, message: `σx = ${sigma}` }; }, ctx.plugins ?? []);
    if (f === null) throw abortError();
    fits.push(f);
    yield last ?? { fraction: (i + 1) / sigmas.length, message: `σx = ${sigma}` };
  }
  return { x: plain(d.x), y: plain(d.y), grid: plain(grid), truth: plain(truth(grid)), fits };
}
