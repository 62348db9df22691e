import { tensor } from "@regularize/core-autodiff";
import type { Batch, FitContext, Plugin, OptionKeys } from "@regularize/core-train";
import { type Augmentation, RandomState, type SignalBatch } from "@regularize/datasets";
import { check, NoiseOptionError, requirePositiveInteger } from "./errors.js";

/** Options of {@link dataAugmentation}. */
export interface DataAugmentationOptions {
  /** Any augmentation or composition of `@regularize/datasets` (e.g. `sequence([circularShift(), amplitudeScale()])`). */
  readonly augment: Augmentation;
  /** Number of classes: required when the augmentation mixes integer labels (mixup, cutmix → soft labels). */
  readonly numClasses?: number;
  /** Plugin name (default "dataAugmentation"): also its PRNG stream key. */
  readonly name?: string;
}
const DATA_AUGMENTATION_KEYS: OptionKeys<DataAugmentationOptions> = { augment: true, numClasses: true, name: true };

/**
 * On-the-fly data augmentation (book §9.3.7, figure 9.13): every training batch is replaced in
 * `beforeBatch` by `augment(batch, key)`, where key is the plugin's per-step key from fit. The
 * augmentation is a pure function of the key, and the key of the run's root and step, so the plugin
 * holds no state: a checkpointed fit resumes bit for bit, and evaluation sees the clean data.
 * Inputs are [N, L] or [N, C, L] with time last; label mixers turn int32 labels into soft labels [N, C].
 * @example dataAugmentation({ augment: sequence([circularShift(), amplitudeScale()]) })
 */
export function dataAugmentation(options: DataAugmentationOptions): Plugin {
  const name = check.plugin("dataAugmentation", options, DATA_AUGMENTATION_KEYS);
  const augment = options.augment;
  if (typeof augment !== "function" || typeof (augment as Partial<Augmentation>).augmentation !== "string") {
    throw new NoiseOptionError(name, "augment", "must be an Augmentation of @regularize/datasets (e.g. circularShift())");
  }
  const numClasses = options.numClasses === undefined ? undefined : requirePositiveInteger(name, "numClasses", options.numClasses);
  // One stream, re-seeded from each step's key: the same bits as passing the key (which seeds a new
  // RandomState([k0, k1])) without a fresh 2.5 KB generator per batch. Re-seeded every step, so
  // the plugin still holds no state between steps.
  const rng = new RandomState(0);
  const seed = [0, 0];
  // The augmentation writes into this copy of the batch (overwrite: true) instead of allocating
  // arrays; its contents never outlive a step (tensor() copies the result).
  let scratch: Float64Array | Float32Array | undefined;
  return {
    name,
    beforeBatch(batch: Batch, ctx: FitContext): Batch {
      const x = batch.x;
      if (x.dtype === "int32") throw new NoiseOptionError(name, "augment", "needs float inputs, got int32 x");
      const y = batch.y;
      const labels = augment.mixesLabels ? (y.data as SignalBatch["y"]) : undefined;
      const data = x.data as Float64Array | Float32Array;
      if (scratch === undefined || scratch.length !== data.length || scratch.constructor !== data.constructor) {
        scratch = data instanceof Float32Array ? new Float32Array(data.length) : new Float64Array(data.length);
      }
      scratch.set(data);
      const input: SignalBatch = {
        x: scratch,
        shape: x.shape,
        ...(labels !== undefined ? { y: labels } : {}),
        ...(numClasses !== undefined ? { numClasses } : {}),
        overwrite: true,
      };
      const key = ctx.key; // derived on each read
      seed[0] = key.k0;
      seed[1] = key.k1;
      rng.seed(seed);
      const out = augment(input, rng);
      const newX = tensor(out.x, { shape: x.shape, dtype: x.dtype });
      if (out.y === undefined || out.y === labels) return { ...batch, x: newX };
      // int32 labels mixed into soft labels [N, C] take the input's dtype; float labels keep their shape.
      const newY = y.dtype === "int32"
        ? tensor(out.y, { shape: [x.shape[0]!, out.y.length / Math.max(x.shape[0]!, 1)], dtype: x.dtype })
        : tensor(out.y, { shape: y.shape, dtype: y.dtype });
      return { ...batch, x: newX, y: newY };
    },
  };
}
