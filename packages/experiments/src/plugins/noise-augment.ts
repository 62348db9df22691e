import * as v from "valibot";
import {
  type Augmentation, amplitudeScale, circularShift, cutout, gaussianNoise, gaussianSmooth, mixup, randomApply, sequence,
  timeStretch, timeWarp,
} from "@regularize/datasets";
import { dataAugmentation } from "@regularize/noise";
import { definePlugin } from "./catalog.js";

const nonNegative = (max: number, dflt: number) => v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(max)), dflt);
const count = (max: number, dflt: number) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max)), dflt);

/** Options of the `augment` plugin spec: each transform is off at 0 (the defaults are notebook 9.5's shift + scale). */
const options = v.strictObject({
  /** Circular shift k ~ U{0 … shift − 1} (0 = off; 40 = every rotation of an MNIST-1D signal). */
  shift: count(100_000, 40),
  /** Amplitude factor s ~ U[1 − scale, 1 + scale] (notebook 9.5: 0.2). */
  scale: nonNegative(1, 0.2),
  /** Time stretch r ~ U[1 − stretch, 1 + stretch]. */
  stretch: nonNegative(0.9, 0),
  /** Additive Gaussian noise σ. */
  noise: nonNegative(100, 0),
  /** Gaussian smoothing σ ~ U[0, smooth] samples. */
  smooth: nonNegative(100, 0),
  /** Non-linear time warp strength. */
  warp: nonNegative(5, 0),
  /** Cutout of up to this many samples. */
  cutout: count(100_000, 0),
  /** mixup α (0 = off); integer labels become soft labels over numClasses. */
  mixup: nonNegative(100, 0),
  /** Classes of the labels (for mixup). */
  numClasses: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(100_000)), 10),
  /** Probability that an example is augmented at all. */
  p: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)), 1),
});

/** The augmentation an `augment` spec describes (exported for the playground and tests). */
export function augmentationFromOptions(o: v.InferOutput<typeof options>): Augmentation {
  const parts: Augmentation[] = [];
  if (o.shift > 0) parts.push(circularShift({ min: 0, max: o.shift - 1 }));
  if (o.scale > 0) parts.push(amplitudeScale({ low: 1 - o.scale, high: 1 + o.scale }));
  if (o.stretch > 0) parts.push(timeStretch({ low: 1 - o.stretch, high: 1 + o.stretch }));
  if (o.warp > 0) parts.push(timeWarp({ strength: o.warp }));
  if (o.smooth > 0) parts.push(gaussianSmooth({ low: 0, high: o.smooth }));
  if (o.cutout > 0) parts.push(cutout({ minWidth: 1, maxWidth: o.cutout }));
  if (o.noise > 0) parts.push(gaussianNoise({ sigma: o.noise }));
  if (o.mixup > 0) parts.push(mixup({ alpha: o.mixup }));
  const seq = sequence(parts.length > 0 ? parts : [amplitudeScale({ low: 1, high: 1 })]);
  return o.p < 1 ? randomApply(seq, { p: o.p }) : seq;
}

/** On-the-fly 1-D data augmentation (@regularize/noise's dataAugmentation over datasets' transforms). */
export const NOISE_AUGMENT_PLUGINS = [
  definePlugin({
    name: "augment",
    package: "@regularize/noise",
    description:
      "On-the-fly 1-D data augmentation per batch (book §9.3.7, figure 9.13): circular shift, amplitude scale, stretch, warp, smoothing, cutout, noise, mixup; deterministic per step, resumable.",
    options,
    create: (o) => dataAugmentation({ augment: augmentationFromOptions(o), numClasses: o.numClasses, name: "augment" }),
  }),
];
