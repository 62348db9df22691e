import { type Tree, tensor, treeSize } from "@regularize/core-autodiff";
import { type Model, conv1dNet, evaluate, fit, mlp } from "@regularize/core-train";
import { makeMnist1d, type Mnist1dDataset } from "@regularize/datasets";
import { adam, adamw, sgd } from "@regularize/optim";

/** A plain-data description of one MNIST-1D training (what a sweep's worker receives). */
export interface Mnist1dSpec {
  readonly model: "mlp" | "cnn" | "linear";
  readonly optimizer: "adam" | "adamw" | "sgd";
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly batchSize: number;
  readonly steps: number;
  /** Seed of the model's initialisation and of the run (the reference uses 42). */
  readonly seed: number;
  /** Reshuffle every epoch; the reference protocol takes batches sequentially (false). */
  readonly shuffle: boolean;
  /** Total examples; 5000 with split 0.8 is the default set, 8000 / 0.5 the book's figure 9.5. */
  readonly numSamples: number;
  readonly trainSplit: number;
  /** Dataset seed (the reference generator uses 42). */
  readonly dataSeed: number;
  /** Evaluate on the test set every this many steps (0 = only at the end). */
  readonly evalEvery: number;
}

/** The reference protocol of the MNIST-1D notebooks (MNIST1D.md §10). */
export const MNIST1D_REFERENCE: Mnist1dSpec = Object.freeze({
  model: "mlp",
  optimizer: "adam",
  learningRate: 1e-2,
  weightDecay: 0,
  batchSize: 100,
  steps: 6000,
  seed: 42,
  shuffle: false,
  numSamples: 5000,
  trainSplit: 0.8,
  dataSeed: 42,
  evalEvery: 0,
});

/** The outcome of one training. */
export interface Mnist1dResult {
  readonly spec: Mnist1dSpec;
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  readonly parameters: number;
  readonly seconds: number;
  /** (step, test accuracy) pairs when evalEvery > 0. */
  readonly curve: readonly (readonly [number, number])[];
}

/** The part of a generated MNIST-1D dataset a training reads (plain data: it crosses to workers as is). */
export type Mnist1dData = Pick<Mnist1dDataset, "x" | "y" | "xTest" | "yTest" | "shape">;

const cache = new Map<string, Mnist1dData>();

const dataKey = (spec: Mnist1dSpec): string => `${spec.numSamples}/${spec.trainSplit}/${spec.dataSeed}`;

function dataset(spec: Mnist1dSpec): Mnist1dData {
  const k = dataKey(spec);
  let d = cache.get(k);
  if (!d) {
    const { x, y, xTest, yTest, shape } = makeMnist1d({ numSamples: spec.numSamples, trainSplit: spec.trainSplit, seed: spec.dataSeed });
    d = { x, y, xTest, yTest, shape };
    cache.set(k, d);
  }
  return d;
}

/**
 * The datasets `specs` train on (each generated once, in this thread), keyed as runMnist1d looks
 * them up: a sweep generates them in the parent and hands them to every worker (primeMnist1dData)
 * instead of each worker regenerating them. The generator is deterministic, so a run is bit-identical
 * whichever thread generated its data.
 */
export function mnist1dDataFor(specs: readonly Mnist1dSpec[]): [string, Mnist1dData][] {
  const keys = new Map<string, Mnist1dSpec>();
  for (const s of specs) if (!keys.has(dataKey(s))) keys.set(dataKey(s), s);
  return [...keys].map(([k, s]) => [k, dataset(s)]);
}

/** Seed this thread's dataset cache with datasets from mnist1dDataFor (in a sweep worker). */
export function primeMnist1dData(entries: readonly (readonly [string, Mnist1dData])[]): void {
  for (const [k, d] of entries) cache.set(k, d);
}

function buildModel(spec: Mnist1dSpec): Model {
  if (spec.model === "cnn") return conv1dNet() as Model;
  if (spec.model === "linear") return mlp({ widths: [40, 10] }) as Model;
  return mlp({ widths: [40, 100, 100, 10], residual: true }) as Model;
}

function buildOptimizer(spec: Mnist1dSpec) {
  const lr = spec.learningRate;
  if (spec.optimizer === "adamw") return adamw({ learningRate: lr, weightDecay: spec.weightDecay });
  if (spec.optimizer === "sgd") return sgd({ learningRate: lr, ...(spec.weightDecay > 0 ? { weightDecay: spec.weightDecay } : {}) });
  return adam({ learningRate: lr, ...(spec.weightDecay > 0 ? { weightDecay: spec.weightDecay } : {}) });
}

/** Train one MNIST-1D model as described by `spec`; deterministic for a given spec. */
export async function runMnist1d(
  spec: Mnist1dSpec,
  hooks: { onProgress?: (step: number, loss: number, stepsPerSecond: number) => void; signal?: AbortSignal } = {},
): Promise<Mnist1dResult> {
  const t0 = performance.now();
  const d = dataset(spec);
  const train = { x: tensor(d.x, { shape: d.shape.train }), y: tensor(d.y, { shape: [d.shape.train[0]], dtype: "int32" }) };
  const test = { x: tensor(d.xTest, { shape: d.shape.test }), y: tensor(d.yTest, { shape: [d.shape.test[0]], dtype: "int32" }) };
  const model = buildModel(spec);
  const curve: [number, number][] = [];
  const result = await fit({
    model,
    seed: spec.seed,
    data: train,
    loss: "crossEntropy",
    optimizer: buildOptimizer(spec),
    batchSize: spec.batchSize,
    steps: spec.steps,
    shuffle: spec.shuffle,
    logEvery: Math.max(1, Math.floor(spec.steps / 200)),
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (p) => hooks.onProgress?.(p.step, p.loss, p.stepsPerSecond),
    plugins:
      spec.evalEvery > 0
        ? [
            {
              name: "test-curve",
              afterStep(ctx) {
                if ((ctx.step + 1) % spec.evalEvery === 0) curve.push([ctx.step + 1, ctx.evaluate(ctx.params, test).accuracy ?? NaN]);
              },
            },
          ]
        : [],
  });
  const tr = evaluate(model, result.params, train);
  const te = evaluate(model, result.params, test);
  return {
    spec,
    trainAccuracy: tr.accuracy ?? NaN,
    testAccuracy: te.accuracy ?? NaN,
    trainLoss: tr.loss,
    testLoss: te.loss,
    parameters: treeSize(result.params as Tree),
    seconds: (performance.now() - t0) / 1000,
    curve,
  };
}
