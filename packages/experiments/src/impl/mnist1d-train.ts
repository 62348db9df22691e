/**
 * One MNIST-1D training on core-train's fit, shared by the `mnist1d` entry (the reference protocol)
 * and `fig9.5` (one trial of the width / lr / batch grids). Resumable: with `ctx.checkpoint` it
 * saves fit's TrainState plus the curves recorded so far on abort and every `checkpointEvery` steps,
 * and continues from a saved one bit for bit.
 */
import { type FloatDType, type Tensor, type Tree, tensor, treeSize } from "@regularize/core-autodiff";
import {
  type GradientTransformation, type Model, type Plugin, deserializeState, evaluate, fit, serializeState,
  type SerializedTrainState,
} from "@regularize/core-train";
import { makeMnist1d, type Mnist1dDataset } from "@regularize/datasets";
import type { Progress, RunContext } from "../experiment.js";
import { ExperimentError } from "../errors.js";
import { abortError, withProgress } from "./with-progress.js";

/** The dataset a training reads (generated once per (samples, split, seed) in this thread). */
export interface Mnist1dDataSpec {
  readonly samples: number;
  readonly split: number;
  readonly dataSeed: number;
}

export type Mnist1dData = Pick<Mnist1dDataset, "x" | "y" | "xTest" | "yTest" | "shape">;

const cache = new Map<string, Mnist1dData>();

/** The generated dataset of a spec (cached: the generator is deterministic). */
export function mnist1dData(s: Mnist1dDataSpec): Mnist1dData {
  const k = `${s.samples}/${s.split}/${s.dataSeed}`;
  let d = cache.get(k);
  if (!d) {
    const { x, y, xTest, yTest, shape } = makeMnist1d({ numSamples: s.samples, trainSplit: s.split, seed: s.dataSeed });
    d = { x, y, xTest, yTest, shape };
    cache.set(k, d);
  }
  return d;
}

/** A dataset's train and test splits as tensors: inputs in `dtype` (the generator gives float64), labels int32. */
export function mnist1dTensors(d: Mnist1dData, dtype: FloatDType): { readonly train: { x: Tensor; y: Tensor }; readonly test: { x: Tensor; y: Tensor } } {
  const x = (a: Float64Array, shape: readonly [number, number]): Tensor =>
    dtype === "float32" ? tensor(Float32Array.from(a), { shape, dtype }) : tensor(a, { shape });
  return {
    train: { x: x(d.x, d.shape.train), y: tensor(d.y, { shape: [d.shape.train[0]], dtype: "int32" }) },
    test: { x: x(d.xTest, d.shape.test), y: tensor(d.yTest, { shape: [d.shape.test[0]], dtype: "int32" }) },
  };
}

export interface TrainSpec extends Mnist1dDataSpec {
  /** Built in `dtype` (float64 when absent); the inputs are converted to it. */
  readonly model: Model;
  readonly dtype?: FloatDType;
  readonly optimizer: GradientTransformation<unknown>;
  readonly batch: number;
  readonly steps: number;
  readonly seed: number;
  readonly shuffle: boolean;
  /** Test accuracy every this many steps (0 = only at the end). */
  readonly evalEvery: number;
  /** Training loss recorded every this many steps. */
  readonly logEvery: number;
  readonly checkFinite: boolean;
  /** Steps between periodic checkpoints when a checkpoint store is given. */
  readonly checkpointEvery: number;
  /** Identifies the run in its checkpoint (the resolved params): a checkpoint of another run is refused. */
  readonly identity: unknown;
}

/** The outcome of one training (plain JSON, deterministic for its params: no wall times). */
export interface TrainResult {
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  /** 1 − accuracy, in % (the unit of fig 9.5's y axis). */
  readonly trainError: number;
  readonly testError: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  readonly parameters: number;
  readonly stepsDone: number;
  /** Training loss (objective of the step's batch) every logEvery steps. */
  readonly loss: { readonly steps: number[]; readonly values: number[] };
  /** Test accuracy every evalEvery steps. */
  readonly curve: { readonly steps: number[]; readonly testAccuracy: number[] };
}

interface Checkpoint {
  readonly kind: "mnist1d-train";
  readonly identity: unknown;
  readonly state: SerializedTrainState;
  readonly loss: { steps: number[]; values: number[] };
  readonly curve: { steps: number[]; testAccuracy: number[] };
}

/** A checkpoint that does not belong to this run (other params) or is malformed. */
export class CheckpointMismatchError extends ExperimentError {
  constructor(message: string) {
    super(message, "CheckpointMismatchError");
  }
}

function readCheckpoint(raw: unknown, identity: unknown): Checkpoint | undefined {
  if (raw === undefined || raw === null) return undefined;
  const c = raw as Partial<Checkpoint>;
  if (c.kind !== "mnist1d-train" || !c.state || !c.loss || !c.curve) throw new CheckpointMismatchError("checkpoint: not an MNIST-1D training checkpoint");
  if (JSON.stringify(c.identity) !== JSON.stringify(identity)) {
    throw new CheckpointMismatchError(`checkpoint: saved for other params (${JSON.stringify(c.identity)}), not ${JSON.stringify(identity)}`);
  }
  return c as Checkpoint;
}

/** Train as `spec` says; yields progress with step/loss (and testAccuracy) metrics. */
export function trainMnist1d(spec: TrainSpec, ctx: RunContext): AsyncGenerator<Progress, TrainResult, void> {
  const d = mnist1dData(spec);
  const { train, test } = mnist1dTensors(d, spec.dtype ?? "float64");
  const resumed = readCheckpoint(ctx.checkpoint?.load(), spec.identity);
  const loss = { steps: [...(resumed?.loss.steps ?? [])], values: [...(resumed?.loss.values ?? [])] };
  const curve = { steps: [...(resumed?.curve.steps ?? [])], testAccuracy: [...(resumed?.curve.testAccuracy ?? [])] };
  const save = (state: Parameters<typeof serializeState>[0]) =>
    ctx.checkpoint?.save({ kind: "mnist1d-train", identity: spec.identity, state: serializeState(state), loss, curve } satisfies Checkpoint, { step: state.step });

  return withProgress(async (report) => {
    const recorder: Plugin = {
      name: "mnist1d-recorder",
      afterStep(c) {
        const done = c.step + 1;
        if (done % spec.logEvery === 0 && c.loss !== undefined) {
          loss.steps.push(done);
          loss.values.push(c.loss);
        }
        if (spec.evalEvery > 0 && done % spec.evalEvery === 0) {
          const acc = c.evaluate(c.params, test).accuracy ?? NaN;
          curve.steps.push(done);
          curve.testAccuracy.push(acc);
          report({ fraction: done / spec.steps, metrics: { step: done, testAccuracy: acc } });
        }
      },
    };
    const res = await fit({
      model: spec.model,
      ...(resumed ? { initialState: deserializeState(resumed.state) } : { seed: spec.seed }),
      data: train,
      loss: "crossEntropy",
      optimizer: spec.optimizer,
      batchSize: spec.batch,
      steps: spec.steps,
      shuffle: spec.shuffle,
      checkFinite: spec.checkFinite,
      logEvery: spec.logEvery,
      plugins: [recorder, ...(ctx.plugins ?? [])],
      signal: ctx.signal,
      progressEvery: Math.max(1, Math.round(spec.steps / 200)),
      onProgress: (p) => report({
        fraction: p.fraction ?? 0,
        message: `step ${p.step} / ${spec.steps}${Number.isFinite(p.stepsPerSecond) ? ` · ${Math.round(p.stepsPerSecond)} steps/s` : ""}`,
        metrics: { step: p.step, loss: p.loss },
      }),
      ...(ctx.checkpoint ? { checkpointEvery: spec.checkpointEvery, onCheckpoint: (s) => { save(s); } } : {}),
    });
    if (res.stopped === "aborted") {
      save(res.state);
      throw abortError();
    }
    const tr = evaluate(spec.model, res.params, train);
    const te = evaluate(spec.model, res.params, test);
    const trainAccuracy = tr.accuracy ?? NaN, testAccuracy = te.accuracy ?? NaN;
    return {
      trainAccuracy, testAccuracy,
      trainError: 100 * (1 - trainAccuracy), testError: 100 * (1 - testAccuracy),
      trainLoss: tr.loss, testLoss: te.loss,
      parameters: treeSize(res.params as Tree),
      stepsDone: res.state.step,
      loss, curve,
    };
  });
}
