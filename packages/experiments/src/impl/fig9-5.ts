/**
 * Figure 9.5, one trial: MNIST-1D 4000/4000, MLP 40 → D → D → 10 (ReLU, He-uniform weights, zero
 * biases as notebook 8.3), plain SGD (the 6000/LR "same distance" argument presumes vanilla (S)GD),
 * mean cross-entropy; returns train and test error. The sweep over D × LR and D × batch makes the figure.
 */
import { type Model, kaimingUniform, mlp, zerosInit } from "@regularize/core-train";
import { sgd } from "@regularize/optim";
import type { Progress, RunContext } from "../experiment.js";
import { type TrainResult, trainMnist1d } from "./mnist1d-train.js";

export interface Fig95Params {
  readonly width: number;
  readonly lr: number;
  readonly batch: number;
  /** Explicit step count; 0 = distance / lr (the book's panel a: distance 6000). */
  readonly steps: number;
  readonly distance: number;
  readonly seed: number;
  readonly samples: number;
  readonly split: number;
  readonly dataSeed: number;
  readonly checkFinite: boolean;
}

/** Steps of a trial: explicit, or distance / lr rounded. */
export function fig95Steps(p: Pick<Fig95Params, "steps" | "distance" | "lr">): number {
  return p.steps > 0 ? p.steps : Math.max(1, Math.round(p.distance / p.lr));
}

export function fig95Model(width: number): Model {
  return mlp({ widths: [40, width, width, 10], weightInit: kaimingUniform(), biasInit: zerosInit() }) as Model;
}

export function fig95(p: Fig95Params, ctx: RunContext): AsyncGenerator<Progress, TrainResult, void> {
  const steps = fig95Steps(p);
  return trainMnist1d({
    model: fig95Model(p.width), optimizer: sgd({ learningRate: p.lr }), batch: p.batch, steps, seed: p.seed, shuffle: true,
    samples: p.samples, split: p.split, dataSeed: p.dataSeed, evalEvery: 0, checkFinite: p.checkFinite,
    logEvery: Math.max(1, Math.floor(steps / 100)), checkpointEvery: Math.max(50, Math.round(steps / 20)),
    identity: p,
  }, ctx);
}
