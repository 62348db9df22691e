/**
 * Figure 9.6: early stopping. The 14-unit simplified network (ω ~ N(0, 0.5²), β = 0) is trained by
 * SGD (batch 5, α = 0.05, gradient of the batch SUM of squared errors) on the book's 15 points with
 * core-train's fit; snapshots at 0, 1k, 5k, 10k, 50k, 200k iterations show the training loss (SSE over
 * all 15 points, raw units) falling while the curve starts to overfit. optim's earlyStopping watches
 * the SSE on 15 held-out points from the same generator and restores the best parameters.
 */
import { type Tensor, type Tree, prngKey, tensor, treeMap } from "@regularize/core-autodiff";
import { type FitContext, type Plugin, type ShallowNetParams, fit, shallowNet } from "@regularize/core-train";
import { makeToyData } from "@regularize/datasets";
import { earlyStopping, sgd } from "@regularize/optim";
import type { AsyncExperimentRun, RunContext } from "./run.js";
import { withProgress } from "./run.js";
import { type DataChoice, plotGrid, predict, toyData, truth } from "./toy.js";

export const FIG96_SNAPSHOTS = [0, 1000, 5000, 10_000, 50_000, 200_000] as const;
/** The losses printed in the book's panels a–f. */
export const FIG96_BOOK_LOSSES = [32.24, 1.64, 1.1, 0.8, 0.36, 0.16] as const;

export interface Fig96Params {
  /** Iteration budget: 200 000 reproduces all six panels; smaller budgets show the snapshots they reach. */
  readonly iterations: number;
  readonly learningRate: number;
  readonly batchSize: number;
  /** Seed of the initialisation ω ~ N(0, 0.5²) (shallowNet's default init) and of the batch order. */
  readonly seed: number;
  readonly data: DataChoice;
  /** Seed of the generated training data when data = "seed". */
  readonly dataSeed: number;
  /** Seed of the 15 held-out validation points (same generator). */
  readonly valSeed: number;
  /** Validate (and record the curves) every this many iterations. */
  readonly evalEvery: number;
}

export const FIG96_DEFAULTS: Fig96Params = {
  iterations: 200_000, learningRate: 0.05, batchSize: 5, seed: 8, data: "book", dataSeed: 1, valSeed: 2, evalEvery: 250,
};

export interface Fig96Snapshot {
  readonly step: number;
  /** SSE over the training points (raw units). */
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly curve: Float64Array;
}

export interface Fig96Curves {
  readonly steps: number[];
  readonly train: number[];
  readonly val: number[];
}

export interface Fig96Result {
  readonly params: Fig96Params;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly xVal: Float64Array;
  readonly yVal: Float64Array;
  readonly grid: Float64Array;
  readonly truth: Float64Array;
  readonly snapshots: readonly Fig96Snapshot[];
  readonly curves: Fig96Curves;
  /** Early stopping: the best validation step and loss, the restored model. */
  readonly best: { readonly step: number; readonly valLoss: number; readonly trainLoss: number; readonly curve: Float64Array };
  /** Wall time of fit alone (ms) and iterations done. */
  readonly fitMs: number;
  readonly stepsDone: number;
}

export interface Fig96Partial {
  readonly curves: Fig96Curves;
  readonly snapshots: readonly Fig96Snapshot[];
}

const copy = (t: Tree): Tree => treeMap((l: Tensor) => tensor(l), t);

export function fig96(params: Fig96Params, ctx: RunContext = {}): AsyncExperimentRun<Fig96Result> {
  const K = 14;
  const d = toyData(params.data, params.dataSeed, "fig9_6");
  const v = makeToyData({ seed: params.valSeed });
  const xVal = Float64Array.from(v.x), yVal = Float64Array.from(v.y);
  const train = { x: tensor(d.x), y: tensor(d.y) };
  const validation = { x: tensor(xVal), y: tensor(yVal) };
  const grid = plotGrid();
  const model = shallowNet({ K });
  const wanted = new Set<number>(FIG96_SNAPSHOTS.filter((s) => s <= params.iterations));
  wanted.add(params.iterations);
  const snapshots: Fig96Snapshot[] = [];
  const curves: Fig96Curves = { steps: [], train: [], val: [] };

  const record = (c: FitContext, stepsDone: number) => {
    const trainLoss = c.evaluate(c.params, train).loss;
    const valLoss = c.evaluate(c.params, validation).loss;
    if (stepsDone % params.evalEvery === 0 || stepsDone === params.iterations) {
      curves.steps.push(stepsDone);
      curves.train.push(trainLoss);
      curves.val.push(valLoss);
    }
    if (wanted.has(stepsDone)) snapshots.push({ step: stepsDone, trainLoss, valLoss, curve: predict(copy(c.params) as unknown as ShallowNetParams, grid, K) });
  };
  // An app-level plugin: records the loss curves and the figure's snapshots.
  const recorder: Plugin = {
    name: "fig96Recorder",
    beforeFit: (c) => record(c, c.step),
    afterStep: (c) => {
      const done = c.step + 1;
      if (done % params.evalEvery === 0 || wanted.has(done)) record(c, done);
    },
  };
  const stopper = earlyStopping({ every: params.evalEvery, validation, metric: "valLoss" });

  return withProgress(async (report) => {
    const t0 = performance.now();
    const res = await fit({
      model, params: model.init(prngKey(params.seed)), data: train, loss: "sse", optimizer: sgd({ learningRate: params.learningRate }),
      batchSize: params.batchSize, steps: params.iterations, seed: params.seed,
      plugins: [recorder, stopper], logEvery: 1000,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      progressEvery: Math.max(100, Math.round(params.iterations / 200)),
      onProgress: (p) => report({
        fraction: p.fraction ?? 0,
        metrics: { step: p.step },
        message: `iteration ${p.step.toLocaleString("en-US")} / ${params.iterations.toLocaleString("en-US")}`,
        partial: { curves: { steps: [...curves.steps], train: [...curves.train], val: [...curves.val] }, snapshots: [...snapshots] } satisfies Fig96Partial,
      }),
    });
    const fitMs = performance.now() - t0;
    if (res.stopped === "aborted") throw new DOMException("cancelled", "AbortError");
    const b = stopper.best!;
    const bestParams = b.params as unknown as ShallowNetParams;
    const bestPred = predict(bestParams, d.x, K);
    let bestTrain = 0;
    for (let i = 0; i < d.n; i++) bestTrain += (bestPred[i]! - d.y[i]!) ** 2;
    return {
      params, x: d.x, y: d.y, xVal, yVal, grid, truth: truth(grid), snapshots, curves,
      best: { step: b.step, valLoss: b.value, trainLoss: bestTrain, curve: predict(bestParams, grid, K) },
      fitMs, stepsDone: res.state.step,
    };
  });
}
