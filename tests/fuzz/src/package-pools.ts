// The packages above core-autodiff and the values every one of them understands (data, a model,
// options) or should reject, shared by the in-process fuzz (packages.prop.test.ts) and the
// process probe's sample of fuzz cases.
import * as ad from "@regularize/core-autodiff";
import * as train from "@regularize/core-train";
import * as datasets from "@regularize/datasets";
import * as optim from "@regularize/optim";
import * as penalties from "@regularize/penalties";
import * as noise from "@regularize/noise";
import * as ensemble from "@regularize/ensemble";
import * as bayes from "@regularize/bayes";
import * as transfer from "@regularize/transfer";
import * as experiments from "@regularize/experiments";

const x = ad.tensor([[1, -2, 3], [0.5, 0, -1]]);
const y = ad.tensor([2, 0], { dtype: "int32" });
/** Values every package understands: data, a model, its params, an optimizer, options. */
export const packageGood: readonly unknown[] = [
  { x, y }, train.mlp({ widths: [3, 4, 3] }), { lr: 0.1 }, { seed: 1 }, { rate: 0.5 }, { epochs: 1, batchSize: 2 }, "crossEntropy", "mse",
];
export const packageBad: readonly unknown[] = [{ lr: -1 }, { rate: 2 }, { seed: NaN }, { batchsize: 2 }, { x, y: ad.tensor([1, 2, 3]) }, { lr: "0.1" }];

/** A signal batch (datasets' augmentations): 2 signals of length 3 with integer labels over 2 classes. */
const signals = { x: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], y: new Int32Array([0, 1]), numClasses: 2 };
/** Malformed batches: a length that does not match the shape, a plain array, a negative extent. */
const badSignals = [{ x: new Float64Array(5), shape: [2, 3] }, { x: [1, 2, 3], shape: [1, 3] }, { x: new Float64Array(6), shape: [2, -3] }];

/** Per package: extra pool values of its own (good, bad). */
export const PACKAGE_POOLS: Readonly<Record<string, { good: readonly unknown[]; bad: readonly unknown[] }>> = {
  datasets: { good: [signals], bad: badSignals },
};

/**
 * Per package: well-built public objects whose methods (and, for functions, calls) are fuzzed
 * whatever the random export calls return: a Predictive, models' init/apply, optimizer transforms'
 * init/update, plugins' hooks, a Jitted function, augmentations on bad SignalBatches.
 */
export function packageObjects(pkg: string): Record<string, unknown> {
  switch (pkg) {
    case "core-autodiff": return { "jit(sum)": ad.jit((t: ad.Tensor) => ad.sum(t)), "prngKey(1)": ad.prngKey(1) };
    case "core-train": return {
      "predictiveFromMembers(classification)": train.predictiveFromMembers({ kind: "classification", members: (t) => [t, t] }),
      "predictiveFromMembers(regression)": train.predictiveFromMembers({ kind: "regression", members: (t) => [t] }),
      "mlp(3-4-3)": train.mlp({ widths: [3, 4, 3] }), "conv1dNet": train.conv1dNet({ inputLength: 8, channels: 2, outputs: 3 }),
      "gru": train.gru({ inputLength: 3, hidden: 2, outputs: 3 }), "shallowNet": train.shallowNet({ K: 3 }), "gabor": train.gabor(),
    };
    case "optim": return { "adam": optim.adam({ learningRate: 0.1 }), "sgd": optim.sgd({ learningRate: 0.1, momentum: 0.9 }), "earlyStopping": optim.earlyStopping({ patience: 1, metric: () => 0 }) };
    case "penalties": return { "l2": penalties.l2({ lambda: 0.1 }), "spectralNormalization": penalties.spectralNormalization() };
    case "noise": return { "dropout": noise.dropout({ rate: 0.5 }) };
    case "ensemble": return { "ema": ensemble.ema({ decay: 0.9 }), "swa": ensemble.swa({ startEpoch: 0 }) };
    case "bayes": return { "posteriorSamples": bayes.posteriorSamples(), "sgld": bayes.sgld({ learningRate: 0.01, dataSize: 10 }) };
    case "transfer": return { "freeze(sgd)": transfer.freeze(optim.sgd({ learningRate: 0.1 }), transfer.under("trunk")) };
    case "datasets": return { "circularShift": datasets.circularShift(), "mixup": datasets.mixup() };
    default: return {};
  }
}

export const PACKAGES: readonly [string, Record<string, unknown>][] = [
  ["datasets", datasets], ["core-train", train], ["optim", optim], ["penalties", penalties], ["noise", noise],
  ["ensemble", ensemble], ["bayes", bayes], ["transfer", transfer], ["experiments", experiments],
];
