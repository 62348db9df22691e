import { type Tensor, crossEntropy as ce, mse as mseOp, sse as sseOp } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { safeText } from "./train-error.js";
import type { Batch } from "./plugin.js";

/** A data loss: model output and batch → scalar tensor (the thing `fit` differentiates, before penalties). */
export type Loss = (pred: Tensor, batch: Batch) => Tensor;

/** Sum of squared errors Σ(f − y)² over the batch (the book's least squares, e.g. figure 9.6's printed loss). */
export const sseLoss: Loss = (pred, batch) => sseOp(pred, batch?.y);

/** Mean squared error over every element of the batch. */
export const mseLoss: Loss = (pred, batch) => mseOp(pred, batch?.y);

/** Softmax cross-entropy of logits [N, C] against int32 labels [N] or soft targets [N, C], mean over the batch (PyTorch's default). */
export const crossEntropyLoss: Loss = (pred, batch) => ce(pred, batch?.y, { reduction: "mean" });

/** Softmax cross-entropy summed over the batch. */
export const crossEntropySumLoss: Loss = (pred, batch) => ce(pred, batch?.y, { reduction: "sum" });

/** The losses `fit` accepts by name. */
export const losses = Object.freeze({ sse: sseLoss, mse: mseLoss, crossEntropy: crossEntropyLoss, crossEntropySum: crossEntropySumLoss });

/** A loss name `fit` accepts. */
export type LossName = keyof typeof losses;

/** Resolve a loss option (a name or a function); `option` names the argument in errors. */
export function resolveLoss(loss: Loss | LossName, option = "loss"): Loss {
  if (typeof loss === "function") return loss;
  if (typeof loss === "string" && Object.hasOwn(losses, loss)) return losses[loss];
  throw new FitOptionsError(option, `unknown loss ${typeof loss === "string" ? JSON.stringify(loss) : safeText(loss)} (expected a function or one of ${Object.keys(losses).join(", ")})`);
}
