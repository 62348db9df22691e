import {
  type Augmentation, amplitudeScale, circularShift, cutmix, cutout, gaussianNoise, gaussianSmooth, makeMnist1d, mixup,
  reversal, timeStretch, timeWarp, windowing,
} from "@regularize/datasets";
import type { Progress, RunContext } from "../experiment.js";
import { type Notebook95Result, notebook95Augmentation, runNotebook95 } from "./notebook9-5.js";

/** Params of `fig9.13`. */
export interface Fig913Params {
  readonly seed: number;
  readonly index: number;
  readonly compare: boolean;
  readonly epochs: number;
  readonly extra: number;
}

/** One transform applied to the digit. */
export interface Fig913Transform {
  readonly name: string;
  /** The figure-9.13 image transform it stands for. */
  readonly analogueOf: string;
  readonly labelPreserving: boolean;
  readonly x: number[];
  /** Class weights of the result (mixup/cutmix mix them; the others keep the one-hot label). */
  readonly label: number[];
}

/** Result of `fig9.13`. */
export interface Fig913Result {
  readonly digit: { readonly index: number; readonly label: number; readonly x: number[] };
  readonly transforms: Fig913Transform[];
  /** Notebook 9.5's comparison (absent with `compare: false`). */
  readonly comparison?: Notebook95Result;
}

/** Figure 9.13's transforms and their 1-D analogues (shared/CHAPTER9.md, "Figure 9.13"). */
export const FIG913_TRANSFORMS: readonly { name: string; analogueOf: string; make: () => Augmentation }[] = [
  { name: "reversal", analogueOf: "flip (may change the label)", make: () => reversal() },
  { name: "circularShift", analogueOf: "rotate + crop (translation)", make: () => circularShift({ min: 5, max: 35 }) },
  { name: "timeStretch", analogueOf: "vertical stretch", make: () => timeStretch({ low: 0.7, high: 1.3 }) },
  { name: "amplitudeScale", analogueOf: "colour balance", make: () => amplitudeScale({ low: 0.6, high: 1.4 }) },
  { name: "gaussianSmooth", analogueOf: "blur", make: () => gaussianSmooth({ low: 1, high: 2 }) },
  { name: "windowing", analogueOf: "vignette", make: () => windowing({ low: 0.6, high: 1 }) },
  { name: "timeWarp", analogueOf: "pincushion distortion", make: () => timeWarp({ strength: 0.6 }) },
  { name: "gaussianNoise", analogueOf: "(none: additive noise)", make: () => gaussianNoise({ sigma: 0.2 }) },
  { name: "cutout", analogueOf: "(cutout)", make: () => cutout({ minWidth: 6, maxWidth: 10 }) },
  { name: "mixup", analogueOf: "(mixup)", make: () => mixup({ alpha: 1 }) },
  { name: "cutmix", analogueOf: "(cutmix)", make: () => cutmix({ alpha: 1 }) },
  { name: "notebook9.5", analogueOf: "notebook 9.5: shift + scale", make: () => notebook95Augmentation() },
];

/**
 * Figure 9.13 in 1-D: every transform applied to one MNIST-1D test digit (the seed drives every
 * draw; transform i uses the key (seed, i)), then notebook 9.5's with/without augmentation comparison.
 * Mixers draw their partner from a batch of the digit and the next 15 test signals.
 */
export async function* runFig913(p: Fig913Params, ctx: RunContext): AsyncGenerator<Progress, Fig913Result, void> {
  const data = makeMnist1d();
  const [m, L] = data.shape.test;
  const rows = 16;
  const idx = Array.from({ length: rows }, (_, r) => (p.index + r) % m);
  const x = new Float64Array(rows * L);
  idx.forEach((i, r) => x.set(data.xTest.subarray(i * L, (i + 1) * L), r * L));
  const y = Int32Array.from(idx, (i) => data.yTest[i]!);
  const transforms: Fig913Transform[] = FIG913_TRANSFORMS.map((t, i) => {
    const aug = t.make();
    const out = aug({ x, shape: [rows, L], y, numClasses: 10 }, { k0: p.seed, k1: i });
    const label = out.y instanceof Int32Array || out.y === undefined
      ? Array.from({ length: 10 }, (_, c) => (c === y[0] ? 1 : 0))
      : Array.from(out.y.subarray(0, 10));
    return { name: t.name, analogueOf: t.analogueOf, labelPreserving: aug.labelPreserving, x: Array.from(out.x.subarray(0, L)), label };
  });
  const digit = { index: p.index, label: y[0]!, x: Array.from(x.subarray(0, L)) };
  yield { fraction: p.compare ? 0.01 : 1, message: "transforms applied", partial: { digit, transforms } };
  if (!p.compare) return { digit, transforms };
  const comparison = yield* runNotebook95({ seed: p.seed, epochs: p.epochs, extra: p.extra, learningRate: 0.05 }, ctx);
  return { digit, transforms, comparison };
}
