import type { Batch } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { Tensor, add, log, mean, mul, neg, reshape, softmax, sum, takeAlongAxis, type Reduction } from "@regularize/core-autodiff";
import { check, NoiseOptionError, requireRate } from "./errors.js";

/**
 * The answer booklet's problem-9.4 loss, a noisy-label likelihood (not label smoothing):
 * −log((1−ρ)·s_y + ρ/(D−1)·Σ_{z≠y} s_z), s = softmax(f). Its infimum −log(1−ρ) is approached as
 * s_y → 1, so it does not keep the logits finite. ρ = 0.1 is the booklet's 0.9/0.1.
 */
export function noisyLabelLikelihood(logits: Tensor, labels: Tensor, options: { readonly rho?: number; readonly reduction?: Reduction } = {}): Tensor {
  const rho = requireRate("noisyLabelLikelihood", "rho", options?.rho ?? 0.1);
  if (!(logits instanceof Tensor) || !(labels instanceof Tensor)) throw new NoiseOptionError("noisyLabelLikelihood", logits instanceof Tensor ? "labels" : "logits", "must be a Tensor");
  if (logits.ndim !== 2) throw new NoiseOptionError("noisyLabelLikelihood", "logits", `must be [N, D], got [${logits.shape.join(", ")}]`);
  if (labels.dtype !== "int32") throw new NoiseOptionError("noisyLabelLikelihood", "labels", "must be int32 class labels");
  const [N, D] = logits.shape as [number, number];
  const sy = reshape(takeAlongAxis(softmax(logits, 1), reshape(labels, [N, 1]), 1), [N]);
  // Σ_{z≠y} s_z = 1 − s_y, so the mixture is (1 − ρ − ρ/(D−1))·s_y + ρ/(D−1) ≥ ρ/(D−1) > 0
  const off = rho / (D - 1);
  const per = neg(log(add(mul(sy, 1 - rho - off), off)));
  const r = options.reduction ?? "mean";
  return r === "none" ? per : r === "sum" ? sum(per) : mean(per);
}

/** {@link noisyLabelLikelihood} as a core-train loss `(pred, batch) => Tensor`. */
export function noisyLabelLikelihoodLoss(options: { readonly rho?: number; readonly reduction?: Reduction } = {}): (pred: Tensor, batch: Batch) => Tensor {
  check.options("noisyLabelLikelihoodLoss", options, { rho: true, reduction: true });
  requireRate("noisyLabelLikelihoodLoss", "rho", optionOr(options.rho, 0.1));
  check.oneOf("noisyLabelLikelihoodLoss", "reduction", optionOr(options.reduction, "mean"), ["mean", "sum", "none"] as const);
  return (pred, batch) => noisyLabelLikelihood(pred, batch?.y, options);
}
