/**
 * Figure 9.8 (dropout) made computable: the book's schematic (3 inputs → 4 → 4 → 1 with hidden units
 * switched off at random) as a sequence of Bernoulli masks, and a dropout-trained MLP on the toy data
 * whose test-time predictions are compared two ways: the weight-scaling rule (one pass, activations
 * × (1 − p)) and Monte Carlo dropout (T passes with fresh masks: mean and ±2 sd band).
 */
import { bernoulli, prngKey, split, tensor } from "@regularize/core-autodiff";
import { type MlpParams, fit, mlp, predict } from "@regularize/core-train";
import { makeToyData, trueFunction } from "@regularize/datasets";
import { dropout, mcDropoutPredict } from "@regularize/noise";
import { adam } from "@regularize/optim";
import type { Progress, RunContext } from "../experiment.js";
import { ExperimentAbortedError } from "../errors.js";

/** Params of fig9.8 after validation. */
export interface Fig98Params {
  readonly rate: number;
  readonly width: number;
  readonly steps: number;
  readonly lr: number;
  readonly samples: number;
  readonly frames: number;
  readonly seed: number;
  readonly dataSeed: number;
}

/** Result of fig9.8 (plain numbers: JSON-serialisable). */
export interface Fig98Result {
  /** Hidden-unit keep masks of the 3-4-4-1 schematic, one row of 8 (layer 1 units 1–4, layer 2 units 1–4) per frame. */
  readonly masks: number[][];
  readonly data: { readonly x: number[]; readonly y: number[] };
  readonly grid: number[];
  readonly truth: number[];
  /** Weight-scaling rule: one deterministic pass with activations × (1 − p). */
  readonly weightScaling: number[];
  /** Monte Carlo dropout over `samples` passes. */
  readonly mcMean: number[];
  readonly mcSd: number[];
  /** The first few MC passes' curves (for display). */
  readonly mcPasses: number[][];
  /** Mean squared error against the true function on the grid. */
  readonly mseWeightScaling: number;
  readonly mseMc: number;
  /** Mean squared difference between the two predictions on the grid. */
  readonly gap: number;
  readonly trainLoss: number;
}

const mse = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + (v - b[i]!) ** 2, 0) / a.length;

export async function* fig98(p: Fig98Params, ctx: RunContext): AsyncGenerator<Progress, Fig98Result, void> {
  const [maskKey, initKey, mcKey] = split(prngKey(p.seed), 3);
  // the schematic's masks: every hidden unit kept with probability 1 − p, independently per frame
  const m = bernoulli(maskKey!, 1 - p.rate, [p.frames, 8]).data;
  const masks = Array.from({ length: p.frames }, (_, f) => Array.from({ length: 8 }, (_, u) => m[f * 8 + u]!));

  const d = makeToyData({ seed: p.dataSeed });
  const n = d.x.length;
  const data = { x: tensor(Float64Array.from(d.x), { shape: [n, 1] }), y: tensor(Float64Array.from(d.y), { shape: [n, 1] }) };
  const model = mlp({ widths: [1, p.width, p.width, 1] });
  const plugins = [dropout({ rate: p.rate, inference: "weight-scaling" })];
  const queue: Progress[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  const started = fit({
    model, params: model.init(initKey!), data, loss: "mse", optimizer: adam({ learningRate: p.lr }), batchSize: n, steps: p.steps,
    plugins, seed: p.seed, signal: ctx.signal, progressEvery: Math.max(1, Math.round(p.steps / 100)),
    onProgress: (q) => { queue.push({ fraction: 0.9 * (q.fraction ?? 0), message: `step ${q.step} / ${p.steps}`, metrics: { step: q.step, loss: q.loss } }); wake?.(); },
  }).finally(() => { finished = true; wake?.(); });
  started.catch(() => undefined);
  for (;;) {
    while (queue.length > 0) yield queue.shift()!;
    if (finished) break;
    await new Promise<void>((r) => { wake = r; });
    wake = null;
  }
  const res = await started;
  if (res.stopped === "aborted") throw new ExperimentAbortedError("fig9.8");
  const params = res.params as MlpParams;
  const grid = Array.from({ length: 100 }, (_, i) => i / 99);
  const xg = tensor(Float64Array.from(grid), { shape: [grid.length, 1] });
  const weightScaling = Array.from(predict(model, params, xg, { plugins }).data);
  yield { fraction: 0.95, message: `${p.samples} Monte Carlo dropout passes` };
  const mc = mcDropoutPredict(model, params, xg, { samples: p.samples, key: mcKey!, plugins });
  const mcMean = Array.from(mc.mean.data);
  const mcSd = Array.from(mc.variance.data, Math.sqrt);
  const passes = mc.samples.data;
  const mcPasses = Array.from({ length: Math.min(5, p.samples) }, (_, t) => Array.from(passes.subarray(t * grid.length, (t + 1) * grid.length)));
  const truth = Array.from(trueFunction(grid));
  const trainPred = predict(model, params, data.x, { plugins }).data;
  const trainLoss = d.y.reduce((s, y, i) => s + (trainPred[i]! - y) ** 2, 0) / n;
  return {
    masks, data: { x: Array.from(d.x), y: Array.from(d.y) }, grid, truth, weightScaling, mcMean, mcSd, mcPasses,
    mseWeightScaling: mse(weightScaling, truth), mseMc: mse(mcMean, truth), gap: mse(weightScaling, mcMean), trainLoss,
  };
}
