import { type PRNGKey, type Tensor, tensor } from "@regularize/core-autodiff";
import type { Augmentation } from "@regularize/datasets";
import { TransferError } from "./errors.js";

/** A view of a signal batch: a random, label-preserving transformation, deterministic in `key`. */
export type SignalView = (x: Tensor, key: PRNGKey) => Tensor;

/** True when `v` is an Augmentation of `@regularize/datasets` (a function carrying its name). */
export function isAugmentation(v: unknown): v is Augmentation {
  return typeof v === "function" && typeof (v as Partial<Augmentation>).augmentation === "string";
}

/**
 * A SimCLR view from a `@regularize/datasets` augmentation or composition: the signals [B, L]
 * (float32 or float64) go through `augment(batch, key)`, the result keeps their shape and dtype.
 * The key is the pretext's per-view key, so a view is a pure function of (signals, key).
 * Label-mixing augmentations (mixup, cutmix) are refused: a view has no labels to mix.
 * @example contrastive({ view: augmentationView(sequence([circularShift({ min: -4, max: 4 }), amplitudeScale()])) })
 */
export function augmentationView(augment: Augmentation, fn = "augmentationView"): SignalView {
  if (!isAugmentation(augment)) throw new TransferError(fn, "view", "must be an Augmentation of @regularize/datasets (e.g. sequence([circularShift(), amplitudeScale()]))");
  if (augment.mixesLabels) throw new TransferError(fn, "view", `${augment.augmentation} mixes labels; a view must transform each signal on its own`);
  return (x: Tensor, key: PRNGKey): Tensor => {
    const out = augment({ x: x.data as Float64Array | Float32Array, shape: x.shape }, key);
    return tensor(out.x, { shape: x.shape, dtype: x.dtype });
  };
}
