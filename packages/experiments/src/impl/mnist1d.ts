/** The `mnist1d` entry: today's reference-protocol training (was apps/cli's `regularize mnist1d`). */
import type { FloatDType } from "@regularize/core-autodiff";
import { type Model, conv1dNet, mlp } from "@regularize/core-train";
import { adam, adamw, sgd } from "@regularize/optim";
import type { Progress, RunContext } from "../experiment.js";
import { type TrainResult, trainMnist1d } from "./mnist1d-train.js";

export interface Mnist1dParams {
  readonly model: "mlp" | "cnn" | "linear";
  readonly optimizer: "adam" | "adamw" | "sgd";
  readonly lr: number;
  readonly weightDecay: number;
  readonly batch: number;
  readonly steps: number;
  readonly seed: number;
  readonly shuffle: boolean;
  readonly samples: number;
  readonly split: number;
  readonly dataSeed: number;
  readonly evalEvery: number;
  readonly checkFinite: boolean;
  readonly dtype: FloatDType;
}

export function buildModel(name: Mnist1dParams["model"], dtype: FloatDType): Model {
  if (name === "cnn") return conv1dNet({ dtype }) as Model;
  if (name === "linear") return mlp({ widths: [40, 10], dtype }) as Model;
  return mlp({ widths: [40, 100, 100, 10], residual: true, dtype }) as Model;
}

export function buildOptimizer(p: Pick<Mnist1dParams, "optimizer" | "lr" | "weightDecay">) {
  if (p.optimizer === "adamw") return adamw({ learningRate: p.lr, weightDecay: p.weightDecay });
  if (p.optimizer === "sgd") return sgd({ learningRate: p.lr, ...(p.weightDecay > 0 ? { weightDecay: p.weightDecay } : {}) });
  return adam({ learningRate: p.lr, ...(p.weightDecay > 0 ? { weightDecay: p.weightDecay } : {}) });
}

export function mnist1d(p: Mnist1dParams, ctx: RunContext): AsyncGenerator<Progress, TrainResult, void> {
  return trainMnist1d({
    model: buildModel(p.model, p.dtype), dtype: p.dtype, optimizer: buildOptimizer(p), batch: p.batch, steps: p.steps, seed: p.seed, shuffle: p.shuffle,
    samples: p.samples, split: p.split, dataSeed: p.dataSeed, evalEvery: p.evalEvery, checkFinite: p.checkFinite,
    logEvery: Math.max(1, Math.floor(p.steps / 200)), checkpointEvery: Math.max(50, Math.round(p.steps / 20)),
    identity: p,
  }, ctx);
}
