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

export const PACKAGES: readonly [string, Record<string, unknown>][] = [
  ["datasets", datasets], ["core-train", train], ["optim", optim], ["penalties", penalties], ["noise", noise],
  ["ensemble", ensemble], ["bayes", bayes], ["transfer", transfer], ["experiments", experiments],
];
