import { type Tensor, type Tree, tensor, treeLeaves } from "@regularize/core-autodiff";
import {
  type Batch, type FitOptions, type Plugin, PluginError, deserializeState, fit, mlp, serializeState,
} from "@regularize/core-train";
import { pluginConformanceTests, referenceSgd, tinyClassification } from "@regularize/core-train/testing";
import {
  amplitudeScale, circularShift, gaussianNoise, makeMnist1d, mixup, randomApply, reversal, sequence, timeWarp,
} from "@regularize/datasets";
import { describe, expect, it } from "vitest";
import { dataAugmentation } from "./data-augmentation.js";
import { NoiseOptionError } from "./errors.js";

// Signals need a time axis: the conformance problem with inputs [N, 4] (the regression one has scalar inputs).
pluginConformanceTests("dataAugmentation", () => dataAugmentation({ augment: sequence([circularShift(), amplitudeScale()]) }), { describe, it }, {
  problems: [tinyClassification()],
});

// A small MNIST-1D problem: 200 training signals of length 40.
const data = makeMnist1d({ numSamples: 300, trainSplit: 2 / 3 });
const train = { x: tensor(data.x, { shape: [200, 40] }), y: tensor(data.y, { shape: [200], dtype: "int32" }) };
const test = { x: tensor(data.xTest, { shape: [100, 40] }), y: tensor(data.yTest, { shape: [100], dtype: "int32" }) };

const notebook95 = () => dataAugmentation({ augment: sequence([circularShift({ max: 39 }), amplitudeScale({ low: 0.8, high: 1.2 })]) });

const options = (plugins: Plugin[], extra: Partial<FitOptions> = {}): FitOptions => ({
  model: mlp({ widths: [40, 16, 10] }) as FitOptions["model"],
  data: train, validation: test, loss: "crossEntropy",
  optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), batchSize: 50, epochs: 3, seed: 5, plugins, ...extra,
});

const bits = (t: Tree) => treeLeaves(t).map((l) => Array.from(l.data));

/** Records the batches the model trains on (runs after every other beforeBatch). */
function recorder(seen: Batch[]): Plugin {
  return { name: "recorder", enforce: "post", beforeBatch: (b) => { seen.push(b); } };
}

describe("dataAugmentation", () => {
  it("replaces each training batch by augment(batch, per-step key): shifted and scaled rows of the batch", async () => {
    const seen: Batch[] = [];
    await fit(options([notebook95(), recorder(seen)], { epochs: 2, shuffle: false }));
    expect(seen.length).toBe(8);
    const b0 = seen[0]!;
    const L = 40;
    for (let i = 0; i < 50; i++) {
      const src = Array.from(data.x.subarray(i * L, (i + 1) * L));
      const row = Array.from((b0.x.data as Float64Array).subarray(i * L, (i + 1) * L));
      // Some rotation s and scale a ∈ [0.8, 1.2] map the clean row onto the augmented one.
      const a = Math.hypot(...row) / Math.hypot(...src);
      expect(a).toBeGreaterThanOrEqual(0.8 - 1e-12);
      expect(a).toBeLessThanOrEqual(1.2 + 1e-12);
      const matches = Array.from({ length: L }, (_, s) => src.every((v, j) => Math.abs(row[(j + s) % L]! - a * v) < 1e-9));
      expect(matches.some(Boolean)).toBe(true);
    }
    expect(Array.from(b0.y.data)).toEqual(Array.from(data.y.subarray(0, 50)));
    // Fresh randomness every step: epoch 2 sees other augmentations of the same (unshuffled) rows.
    expect(Array.from(seen[4]!.y.data)).toEqual(Array.from(b0.y.data));
    expect(Array.from(seen[4]!.x.data)).not.toEqual(Array.from(b0.x.data));
  });

  it("is deterministic: same seed, same bits; another seed, other parameters", async () => {
    const a = await fit(options([notebook95()]));
    const b = await fit(options([notebook95()]));
    const c = await fit(options([notebook95()], { seed: 6 }));
    expect(bits(b.params)).toEqual(bits(a.params));
    expect(bits(c.params)).not.toEqual(bits(a.params));
  });

  for (const stopAt of [3, 7]) {
    it(`interrupted at step ${stopAt} and resumed through JSON equals the uninterrupted run bit for bit`, async () => {
      const augment = sequence([circularShift(), amplitudeScale(), randomApply(timeWarp(), { p: 0.5 }), gaussianNoise({ sigma: 0.05 })]);
      const full = await fit(options([dataAugmentation({ augment })]));
      const first = await fit(options([dataAugmentation({ augment })], { steps: stopAt }));
      const { seed: _seed, ...rest } = options([dataAugmentation({ augment })]);
      const state = deserializeState(JSON.stringify(serializeState(first.state)));
      const second = await fit({ ...rest, initialState: state });
      expect(first.state.step).toBe(stopAt);
      expect(bits(second.params)).toEqual(bits(full.params));
      expect(second.history.epochs.at(-1)).toEqual(full.history.epochs.at(-1));
    });
  }

  it("mixup with numClasses trains on soft labels [N, C] whose rows sum to 1", async () => {
    const seen: Batch[] = [];
    const r = await fit(options([dataAugmentation({ augment: mixup({ alpha: 0.4 }), numClasses: 10 }), recorder(seen)], { epochs: 1 }));
    const y = seen[0]!.y as Tensor;
    expect(y.shape).toEqual([50, 10]);
    expect(y.dtype).toBe("float64");
    for (let i = 0; i < 50; i++) expect(Array.from(y.data.subarray(i * 10, (i + 1) * 10)).reduce((p, q) => p + q, 0)).toBeCloseTo(1, 12);
    expect(r.history.epochs.at(-1)!.valAccuracy).toBeGreaterThan(0);
  });

  it("rejects bad options, and label mixing of int32 labels without numClasses names the argument", async () => {
    expect(() => dataAugmentation({ augment: (() => 0) as never })).toThrow(NoiseOptionError);
    expect(() => dataAugmentation({ augment: reversal(), numClasses: 0 })).toThrow(/numClasses/);
    const err = await fit(options([dataAugmentation({ augment: mixup() })], { epochs: 1 })).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(PluginError);
    expect(String((err as Error).message) + String((err as { cause?: Error }).cause?.message)).toMatch(/mixup: numClasses/);
  });
});
