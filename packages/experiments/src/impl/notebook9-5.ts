import { type Tensor, tensor } from "@regularize/core-autodiff";
import { type FitOptions, kaimingUniform, mlp, zerosInit } from "@regularize/core-train";
import {
  type Augmentation, RandomState, amplitudeScale, circularShift, expandWithAugmentations, makeMnist1d, sequence,
} from "@regularize/datasets";
import { sgd } from "@regularize/optim";
import type { Progress, RunContext } from "../experiment.js";
import { fitWithProgress } from "./fit-progress.js";

/** Params of `notebook9.5` (see the entry for ranges). */
export interface Notebook95Params {
  readonly seed: number;
  readonly epochs: number;
  readonly extra: number;
  readonly learningRate: number;
}

/** One arm of the comparison: per-epoch test error in [0, 1] and its minimum. */
export interface Notebook95Arm {
  readonly testError: number[];
  readonly bestTestError: number;
}

/** Result of `notebook9.5`. */
export interface Notebook95Result {
  readonly baseline: Notebook95Arm;
  readonly augmented: Notebook95Arm;
}

/** Notebook 9.5's augmentation: a circular shift by k ~ U{0…39} then an amplitude factor ~ U[0.8, 1.2]. */
export function notebook95Augmentation(): Augmentation {
  return sequence([circularShift({ min: 0, max: 39 }), amplitudeScale({ low: 0.8, high: 1.2 })]);
}

/**
 * Notebook 9.5: MNIST-1D defaults (4000 train / 1000 test), MLP 40-200-200-10 (ReLU, He-uniform
 * weights, zero biases; float32), cross-entropy, SGD lr 0.05 with PyTorch momentum 0.9, batch 100 reshuffled
 * every epoch, 50 epochs — once on the training set, once on it plus `extra` shifted-and-scaled copies.
 * The seed drives the initial weights (the same for both arms), the batch order and the augmentation.
 */
export async function* runNotebook95(p: Notebook95Params, ctx: RunContext): AsyncGenerator<Progress, Notebook95Result, void> {
  const data = makeMnist1d();
  const [n, dim] = data.shape.train;
  const nTest = data.shape.test[0];
  // float32 like the notebook's PyTorch tensors (and twice as fast as float64 here).
  const f32 = (a: Float64Array | Float32Array, rows: number) => tensor(Float32Array.from(a), { shape: [rows, dim], dtype: "float32" });
  const test = { x: f32(data.xTest, nTest), y: tensor(data.yTest, { shape: [nTest], dtype: "int32" }) };
  const expanded = expandWithAugmentations(
    { x: data.x, shape: [n, dim], y: data.y },
    notebook95Augmentation(),
    new RandomState([p.seed, 95]),
    { extra: p.extra },
  ).batch;
  const model = mlp({ widths: [dim, 200, 200, 10], weightInit: kaimingUniform(), biasInit: zerosInit(), dtype: "float32" });
  const common = {
    model, validation: test, loss: "crossEntropy", batchSize: 100, epochs: p.epochs, seed: p.seed, signal: ctx.signal,
    // the plugins the user picked (CLI --plugin, the playground's lab) join both arms
    plugins: [...(ctx.plugins ?? [])],
  } as const;
  const arm = async function* (x: Tensor, y: Tensor, from: number, to: number, label: string) {
    const r = yield* fitWithProgress({ ...common, data: { x, y }, optimizer: sgd({ learningRate: p.learningRate, momentum: 0.9 }) } as FitOptions, from, to, label);
    const testError = r.history.epochs.map((e) => 1 - (e.valAccuracy ?? Number.NaN));
    return { testError, bestTestError: Math.min(...testError) };
  };
  const trainX = f32(data.x, n);
  const trainY = tensor(data.y, { shape: [n], dtype: "int32" });
  const baseline = yield* arm(trainX, trainY, 0, 1 / 3, "baseline");
  const m = expanded.shape[0]!;
  const augmented = yield* arm(
    f32(expanded.x, m),
    tensor(expanded.y as Int32Array, { shape: [m], dtype: "int32" }),
    1 / 3,
    1,
    `augmented (+${p.extra})`,
  );
  yield { fraction: 1, metrics: { baselineBest: baseline.bestTestError, augmentedBest: augmented.bestTestError } };
  return { baseline, augmented };
}
