import { type FitOptions, type Model, conv1dNet, evaluate, gru, linear, mlp } from "@regularize/core-train";
import { MNIST1D_PRESETS, makeMnist1d } from "@regularize/datasets";
import { adam } from "@regularize/optim";
import type { Progress, RunContext } from "../experiment.js";
import { fitWithProgress } from "./fit-progress.js";
import { mnist1dTensors } from "./mnist1d-train.js";

/** The four reference models of MNIST-1D. */
export const BASELINE_MODELS = ["logistic", "mlp", "cnn", "gru"] as const;
export type BaselineModel = (typeof BASELINE_MODELS)[number];
/** The normal data and the data with a fixed permutation of the 40 feature columns. */
export const BASELINE_DATA = ["normal", "shuffled"] as const;
export type BaselineData = (typeof BASELINE_DATA)[number];

/** Params of `mnist1d-baselines`. */
export interface Mnist1dBaselinesParams {
  readonly models: readonly BaselineModel[];
  readonly data: readonly BaselineData[];
  readonly steps: number;
  readonly seed: number;
}

/** One trained model: test and train accuracy in [0, 1] at the last step, and its training time (CPU seconds in Node). */
export interface BaselineRun {
  readonly testAccuracy: number;
  readonly trainAccuracy: number;
  readonly seconds: number;
}

/** Result: runs by data then model (only the requested ones), plus the notebooks' logged test accuracies. */
export interface Mnist1dBaselinesResult {
  readonly runs: { readonly [D in BaselineData]?: { readonly [M in BaselineModel]?: BaselineRun } };
  readonly reference: typeof MNIST1D_REFERENCE;
}

/**
 * Test accuracy (%) at step 6000 logged in the reference notebooks (shared/MNIST1D.md §10): a range
 * over the building, quickstart and benchmark notebooks for the normal data; the building notebook
 * for the shuffled data.
 */
export const MNIST1D_REFERENCE = {
  normal: { logistic: [31.5, 31.5], mlp: [64.2, 65.1], cnn: [92.3, 94.2], gru: [89.1, 92.1] },
  shuffled: { logistic: [31.7, 31.7], mlp: [63.7, 63.7], cnn: [57.9, 57.9], gru: [50.8, 50.8] },
} as const;

/** Distance in percentage points from accuracy `acc` ∈ [0, 1] to a reference range [lo, hi] % (0 inside). */
export function pointsOff(acc: number, [lo, hi]: readonly [number, number]): number {
  const pct = 100 * acc;
  return pct < lo ? lo - pct : pct > hi ? pct - hi : 0;
}

function makeModel(name: BaselineModel): Model {
  // float32 like the reference's PyTorch; every init is PyTorch's default for the layer.
  switch (name) {
    case "logistic": return linear({ inputs: 40, outputs: 10, dtype: "float32" }) as Model;
    case "mlp": return mlp({ widths: [40, 100, 100, 10], residual: true, dtype: "float32" }) as Model;
    case "cnn": return conv1dNet({ dtype: "float32" }) as Model;
    case "gru": return gru({ dtype: "float32" }) as Model;
  }
}

/**
 * The MNIST-1D reference protocol (greydanus/mnist1d notebooks): default data (4000 / 1000), Adam
 * lr 1e-2 without weight decay, batch 100 taken in order without reshuffling, 6000 steps; each model
 * on the normal data and on the data with shuffled feature columns.
 */
export async function* runMnist1dBaselines(p: Mnist1dBaselinesParams, ctx: RunContext): AsyncGenerator<Progress, Mnist1dBaselinesResult, void> {
  const runs: Record<string, Record<string, BaselineRun>> = {};
  const total = p.data.length * p.models.length;
  let done = 0;
  for (const which of p.data) {
    const d = makeMnist1d(which === "normal" ? MNIST1D_PRESETS.default : MNIST1D_PRESETS.shuffled);
    const { train, test } = mnist1dTensors(d, "float32");
    runs[which] = {};
    for (const name of p.models) {
      const model = makeModel(name);
      // CPU seconds in Node (the machine is shared, wall time says little); wall seconds elsewhere.
      const cpu = typeof process !== "undefined" && typeof process.cpuUsage === "function" ? process.cpuUsage : undefined;
      const c0 = cpu?.();
      const t0 = performance.now();
      const r = yield* fitWithProgress(
        {
          model, data: train, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-2 }), batchSize: 100, steps: p.steps,
          shuffle: false, seed: p.seed, signal: ctx.signal, plugins: [...(ctx.plugins ?? [])],
        } as FitOptions,
        done / total,
        (done + 1) / total,
        `${name} (${which})`,
      );
      const c = c0 === undefined ? undefined : cpu!(c0);
      const seconds = c === undefined ? (performance.now() - t0) / 1000 : (c.user + c.system) / 1e6;
      runs[which]![name] = {
        testAccuracy: evaluate(model, r.params, test).accuracy!,
        trainAccuracy: evaluate(model, r.params, train).accuracy!,
        seconds,
      };
      done++;
      yield { fraction: done / total, message: `${name} (${which}) done`, metrics: { testAccuracy: runs[which]![name]!.testAccuracy } };
    }
  }
  return { runs, reference: MNIST1D_REFERENCE };
}
