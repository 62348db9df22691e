import type { Batch, Plugin, OptionKeys } from "@regularize/core-train";
import { describeValue } from "@regularize/core-train";
import { astype, Tensor, crossEntropy, type Reduction } from "@regularize/core-autodiff";
import { check, NoiseOptionError, requirePositiveInteger, requireRate } from "./errors.js";

/** Options of {@link labelSmoothing}. */
export interface LabelSmoothingOptions {
  /** ρ ∈ [0, 1): the true class gets 1 − ρ, every other class ρ/(D − 1) (book §9.3.3, problem 9.4). */
  readonly rho: number;
  /** Number of classes D (needed for int32 labels; soft targets carry it). */
  readonly classes?: number;
  /**
   * "book" (default): the true class gets 1 − ρ and every other class ρ/(D − 1), as the chapter.
   * "pytorch": q = (1 − ρ)·onehot + ρ/D, as `torch.nn.CrossEntropyLoss(label_smoothing=ρ)`
   * (the true class gets 1 − ρ + ρ/D).
   */
  readonly convention?: LabelSmoothingConvention;
  /** Plugin name (default "labelSmoothing"). */
  readonly name?: string;
}
const LABEL_SMOOTHING_KEYS: OptionKeys<LabelSmoothingOptions> = { rho: true, classes: true, convention: true, name: true };

/** Where the smoothed mass ρ goes: the other D − 1 classes (the book) or all D classes (PyTorch). */
export type LabelSmoothingConvention = "book" | "pytorch";

function checkConvention(plugin: string, c: unknown): LabelSmoothingConvention {
  if (c === undefined) return "book";
  if (c !== "book" && c !== "pytorch") throw new NoiseOptionError(plugin, "convention", `must be "book" or "pytorch", got ${JSON.stringify(c)}`);
  return c;
}

/**
 * Smoothed targets q: for int32 labels [N] (D = `classes`) q_z = 1 − ρ on the label and ρ/(D−1)
 * elsewhere; for soft targets y [N, D], q = (1−ρ)·y + ρ/(D−1)·(1 − y) (the same for one-hot y).
 * With convention "pytorch": q = (1−ρ)·y + ρ/D.
 */
export function smoothLabels(
  y: Tensor, rho: number, classes?: number, plugin = "smoothLabels", convention: LabelSmoothingConvention = "book",
): Tensor {
  // an array of labels would reach y.ndim/y.data as undefined and fail with a TypeError
  if (!(y instanceof Tensor)) throw new NoiseOptionError(plugin, "y", `must be a Tensor of int32 labels [N] or soft targets [N, D], got ${describeValue(y)}`);
  requireRate(plugin, "rho", rho);
  checkConvention(plugin, convention);
  const torch = convention === "pytorch";
  if (y.dtype === "int32") {
    if (classes === undefined) throw new NoiseOptionError(plugin, "classes", "is required for int32 labels");
    const D = requirePositiveInteger(plugin, "classes", classes);
    if (D < 2) throw new NoiseOptionError(plugin, "classes", `must be ≥ 2, got ${D}`);
    const N = y.size;
    const off = torch ? rho / D : rho / (D - 1);
    const q = new Float64Array(N * D).fill(off);
    for (let i = 0; i < N; i++) {
      const c = y.data[i]!;
      if (c < 0 || c >= D) throw new NoiseOptionError(plugin, "classes", `is ${D} but label ${c} occurs`);
      q[i * D + c] = torch ? 1 - rho + off : 1 - rho;
    }
    return new Tensor(q, [N, D], "float64");
  }
  if (y.ndim !== 2) throw new NoiseOptionError(plugin, "rho", `needs int32 labels [N] or soft targets [N, D], got a ${y.dtype} tensor of shape [${y.shape.join(", ")}]`);
  const D = y.shape[1]!;
  const d = y.dtype === "float32" ? new Float32Array(y.size) : new Float64Array(y.size);
  if (torch) for (let i = 0; i < d.length; i++) d[i] = (1 - rho) * y.data[i]! + rho / D;
  else for (let i = 0; i < d.length; i++) d[i] = (1 - rho) * y.data[i]! + (rho / (D - 1)) * (1 - y.data[i]!);
  return new Tensor(d, y.shape, y.dtype);
}

/**
 * Label-smoothing cross-entropy −Σ_z q_z log softmax_z(f) (problem 9.4, chapter-text version);
 * ρ = 0 is ordinary cross-entropy. Minimum H(q) at logit gaps log((1−ρ)(D−1)/ρ).
 */
export function labelSmoothingCrossEntropy(
  logits: Tensor, labels: Tensor,
  options: { readonly rho: number; readonly reduction?: Reduction; readonly convention?: LabelSmoothingConvention },
): Tensor {
  if (!(logits instanceof Tensor)) throw new NoiseOptionError("labelSmoothingCrossEntropy", "logits", "must be a Tensor");
  if (options === null || typeof options !== "object") throw new NoiseOptionError("labelSmoothingCrossEntropy", "options", "must be an object { rho, … }");
  const D = logits.shape[logits.ndim - 1];
  const q = smoothLabels(labels, options.rho, D, "labelSmoothingCrossEntropy", options.convention ?? "book");
  const qq = q.dtype === logits.dtype ? q : new Tensor(logits.dtype === "float32" ? Float32Array.from(q.data) : Float64Array.from(q.data), q.shape, logits.dtype);
  return crossEntropy(logits, qq, { reduction: options.reduction ?? "mean" });
}

/** {@link labelSmoothingCrossEntropy} as a core-train loss `(pred, batch) => Tensor` (mean over the batch). */
export function labelSmoothingLoss(
  options: { readonly rho: number; readonly reduction?: Reduction; readonly convention?: LabelSmoothingConvention },
): (pred: Tensor, batch: Batch) => Tensor {
  requireRate("labelSmoothingLoss", "rho", options?.rho);
  checkConvention("labelSmoothingLoss", options.convention);
  return (pred, batch) => labelSmoothingCrossEntropy(pred, batch?.y, options);
}

/**
 * Label smoothing as a plugin: beforeBatch replaces int32 labels by the smoothed soft targets q, so
 * any cross-entropy loss that accepts soft targets becomes the label-smoothing loss.
 * @example labelSmoothing({ rho: 0.1, classes: 10 })
 */
export function labelSmoothing(options: LabelSmoothingOptions): Plugin {
  const name = check.plugin("labelSmoothing", options, LABEL_SMOOTHING_KEYS);
  const rho = requireRate(name, "rho", options.rho);
  if (options.classes !== undefined) check.integer(name, "classes", options.classes, 2, Number.MAX_SAFE_INTEGER);
  const convention = checkConvention(name, options.convention);
  return {
    name,
    beforeBatch(batch: Batch): Batch {
      if (rho === 0 && batch.y.dtype !== "int32") return batch;
      const q = smoothLabels(batch.y, rho, options.classes, name, convention);
      // soft targets in the inputs' float dtype, so float32 models get float32 targets
      return { ...batch, y: batch.x.dtype === "float32" && q.dtype === "float64" ? astype(q, "float32") : q };
    },
  };
}
