/**
 * Figure 9.9: dropout removes a "kink". On the book's fig 9.9 data there are no points between
 * x = 0.415 and 0.742, where five joints of the 14-unit network fall, so a triangular bump on hidden
 * units 7/8/9 (b = e7 − 2e8 + e9, peak 1/14 per unit amplitude at x = 8/14) costs nothing on the data.
 *   a) "Original": least squares (min-norm, closed form) plus a·b, the kinked fit;
 *   b) the same network with hidden unit 8 turned off: the right-hand side shoots up (slope +2a);
 *   c) 2000 full-batch GD iterations on the SSE with dropout of exactly one of units 7/8/9 per
 *      iteration (noise's dropout plugin, fixed-count, shared mask), evaluated with the book's
 *      weight-scaling rule (ω7..9 × 2/3): the kink is gone.
 */
import { tensor } from "@regularize/core-autodiff";
import { type ShallowNetParams, fit, predict as predictWith, shallowNet } from "@regularize/core-train";
import { dropout } from "@regularize/noise";
import { sgd } from "@regularize/optim";
import { ridgeFit } from "./fig9-2.js";
import type { AsyncExperimentRun, RunContext } from "./run.js";
import { withProgress } from "./run.js";
import { paramsFromVector, plotGrid, predict, sse, toyData, truth } from "./toy.js";

export const FIG99_UNITS = [7, 8, 9] as const;
export const FIG99_PROBES = [0.5, 8 / 14, 9 / 14] as const;

export interface Fig99Params {
  /** Amplitude a of the bump a·(e7 − 2e8 + e9) added to the least-squares fit (peak a/14). */
  readonly amplitude: number;
  /** Learning rate of the dropout iterations (the book does not give it; 0.005–0.02 work). */
  readonly learningRate: number;
  readonly iterations: number;
  /** Seed of the dropout masks. */
  readonly seed: number;
}

export const FIG99_DEFAULTS: Fig99Params = { amplitude: 25, learningRate: 0.01, iterations: 2000, seed: 0 };

export interface Fig99Model {
  readonly curve: Float64Array;
  /** f at x = 0.5, 8/14, 9/14 (inside the gap). */
  readonly gap: Float64Array;
  readonly sse: number;
}

export interface Fig99Result {
  readonly params: Fig99Params;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly grid: Float64Array;
  readonly truth: Float64Array;
  readonly gapRange: readonly [number, number];
  /** SSE of the least-squares optimum. */
  readonly lsSse: number;
  readonly original: Fig99Model;
  readonly unit8Off: Fig99Model;
  /** After dropout training, weight-scaling rule. */
  readonly dropout: Fig99Model;
  /** After dropout training, all units at full weight (no scaling). */
  readonly dropoutUnscaled: Fig99Model;
}

export function fig99(params: Fig99Params, ctx: RunContext = {}): AsyncExperimentRun<Fig99Result> {
  const K = 14;
  const d = toyData("book", 0, "fig9_9");
  const grid = plotGrid();
  const model = shallowNet({ K });
  // min-norm least squares: ridge on the weights with a vanishing λ (bias unpenalised)
  const ls = ridgeFit(d.x, d.y, 1e-9, K, grid);
  const phiA = Float64Array.from(ls.phi);
  const [u7, u8, u9] = FIG99_UNITS;
  phiA[1 + u7] = phiA[1 + u7]! + params.amplitude;
  phiA[1 + u8] = phiA[1 + u8]! - 2 * params.amplitude;
  phiA[1 + u9] = phiA[1 + u9]! + params.amplitude;
  const phiB = Float64Array.from(phiA);
  phiB[1 + u8] = 0;
  const probes = Float64Array.from(FIG99_PROBES);
  const describe = (p: ShallowNetParams, f: (xs: Float64Array) => Float64Array = (xs) => predict(p, xs, K)): Fig99Model =>
    ({ curve: f(grid), gap: f(probes), sse: sse(f(d.x), d.y) });
  const original = describe(paramsFromVector(phiA));
  const unit8Off = describe(paramsFromVector(phiB));
  const plugin = dropout({ rate: 1 / 3, units: [...FIG99_UNITS], sampling: "fixed-count", sharedMask: true, inference: "weight-scaling" });

  return withProgress(async (report) => {
    const res = await fit({
      model, params: paramsFromVector(phiA), data: { x: tensor(d.x), y: tensor(d.y) }, loss: "sse",
      optimizer: sgd({ learningRate: params.learningRate }), batchSize: d.n, steps: params.iterations, shuffle: false,
      plugins: [plugin], seed: params.seed, logEvery: 100, progressEvery: 50,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (p) => report({ fraction: p.fraction ?? 0, message: `iteration ${p.step} / ${params.iterations}${Number.isFinite(p.stepsPerSecond) ? ` · ${Math.round(p.stepsPerSecond)} steps/s` : ""}` }),
    });
    if (res.stopped === "aborted") throw new DOMException("cancelled", "AbortError");
    const trained = res.params as ShallowNetParams;
    const scaled = (xs: Float64Array) => Float64Array.from(predictWith(model, trained, tensor(xs), { plugins: [plugin] }).data);
    return {
      params, x: d.x, y: d.y, grid, truth: truth(grid), gapRange: [0.415, 0.742],
      lsSse: ls.sse, original, unit8Off, dropout: describe(trained, scaled), dropoutUnscaled: describe(trained),
    };
  });
}
