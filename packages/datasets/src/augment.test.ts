import { describe, expect, it } from "vitest";
import { amplitudeScale, gaussianNoise, gaussianSmooth, windowing } from "./augment-amplitude.js";
import { oneOf, randomApply, sequence } from "./augment-compose.js";
import { AugmentationError, type SignalBatch } from "./augment-core.js";
import { expandWithAugmentations } from "./augment-expand.js";
import { cutmix, mixup } from "./augment-mixing.js";
import { circularShift, cutout, reversal, timeStretch, timeWarp } from "./augment-time.js";
import { correlateSymmetricReflect, gaussianKernel } from "./gaussian-filter.js";
import { DatasetArgumentError } from "./errors.js";
import { RandomState } from "./random-state.js";

const ramp = (n: number, L: number): SignalBatch => ({
  x: Float64Array.from({ length: n * L }, (_, i) => (i % L) + 1),
  shape: [n, L],
  y: Int32Array.from({ length: n }, (_, i) => i % 3),
  numClasses: 3,
});

function thrown(f: () => unknown): AugmentationError {
  try {
    f();
  } catch (e) {
    if (e instanceof AugmentationError) return e;
    throw e;
  }
  throw new Error("did not throw");
}

describe("circularShift", () => {
  it("rotates right by the drawn shift, like np.roll", () => {
    const b: SignalBatch = { x: Float64Array.from([1, 2, 3, 4, 5]), shape: [1, 5] };
    expect(Array.from(circularShift({ min: 2, max: 2 })(b, 0).x)).toEqual([4, 5, 1, 2, 3]);
    expect(Array.from(circularShift({ min: -1, max: -1 })(b, 0).x)).toEqual([2, 3, 4, 5, 1]);
  });

  it("moves every channel of an example by the same shift", () => {
    const b: SignalBatch = { x: Float64Array.from([1, 2, 3, 4, 10, 20, 30, 40]), shape: [1, 2, 4] };
    const out = Array.from(circularShift({ min: 1, max: 3 })(b, 5).x);
    const s = out.indexOf(1);
    expect(out.slice(4).indexOf(10)).toBe(s);
  });
});

describe("reversal", () => {
  it("reverses time and is flagged as possibly label-changing", () => {
    expect(Array.from(reversal()({ x: Float64Array.from([1, 2, 3]), shape: [1, 3] }, 0).x)).toEqual([3, 2, 1]);
    expect(reversal().labelPreserving).toBe(false);
    expect(circularShift().labelPreserving).toBe(true);
    expect(sequence([circularShift(), reversal()]).labelPreserving).toBe(false);
  });
});

describe("timeStretch", () => {
  it("factor 2 about the centre reads the input at c + (t − c)/2", () => {
    const b: SignalBatch = { x: Float64Array.from([0, 2, 4, 6, 8]), shape: [1, 5] };
    // c = 2: outputs read positions 1, 1.5, 2, 2.5, 3 → a linear signal stays linear with half the slope.
    expect(Array.from(timeStretch({ low: 2, high: 2 })(b, 0).x)).toEqual([2, 3, 4, 5, 6]);
    expect(Array.from(timeStretch({ low: 0.5, high: 0.5, mode: "zero" })(b, 0).x)).toEqual([0, 0, 4, 8, 0]);
    expect(Array.from(timeStretch({ low: 0.5, high: 0.5, mode: "edge" })(b, 0).x)).toEqual([0, 0, 4, 8, 8]);
  });
});

describe("gaussianSmooth", () => {
  it("with a fixed σ equals scipy's gaussian_filter1d (the MNIST-1D filter)", () => {
    const x = new RandomState(3).standardNormal(40);
    const expected = correlateSymmetricReflect(x, gaussianKernel(2), new Float64Array(40));
    expect(gaussianSmooth({ low: 2, high: 2 })({ x, shape: [1, 40] }, 1).x).toEqual(expected);
  });
});

describe("windowing", () => {
  it("keeps the centre and fades the ends by the strength", () => {
    const out = windowing({ low: 1, high: 1 })({ x: new Float64Array(5).fill(1), shape: [1, 5] }, 0).x;
    expect(out[0]).toBeCloseTo(0, 15);
    expect(out[2]).toBe(1);
    expect(out[4]).toBeCloseTo(0, 15);
  });
});

describe("cutout", () => {
  it("overwrites exactly one segment of the drawn width with the fill value", () => {
    const out = cutout({ minWidth: 3, maxWidth: 3, fill: -7 })(ramp(4, 10), 9);
    for (let i = 0; i < 4; i++) {
      const row = Array.from(out.x.subarray(i * 10, (i + 1) * 10));
      const cut = row.flatMap((v, j) => (v === -7 ? [j] : []));
      expect(cut.length).toBe(3);
      expect(cut[2]! - cut[0]!).toBe(2);
    }
  });
});

describe("float32 batches", () => {
  it("stay float32 through every transform", () => {
    const b: SignalBatch = { x: Float32Array.from({ length: 80 }, (_, i) => Math.sin(i)), shape: [2, 40] };
    for (const aug of [circularShift(), amplitudeScale(), timeStretch(), gaussianNoise(), gaussianSmooth(), windowing(), timeWarp(), cutout(), reversal()]) {
      expect(aug(b, 3).x).toBeInstanceOf(Float32Array);
    }
  });
});

describe("compositions", () => {
  it("oneOf with a zero weight never picks that augmentation", () => {
    const out = oneOf([reversal(), amplitudeScale({ low: 2, high: 2 })], { weights: [0, 1] })(ramp(5, 4), 1);
    expect(Array.from(out.x)).toEqual(Array.from(ramp(5, 4).x, (v) => 2 * v));
  });

  it("randomApply of a label mixer turns every row's labels soft (untouched rows one-hot)", () => {
    const out = randomApply(mixup(), { p: 0.5 })(ramp(8, 6), 4);
    expect(out.y).toBeInstanceOf(Float64Array);
    expect(out.y!.length).toBe(8 * 3);
    for (let i = 0; i < 8; i++) expect(Array.from(out.y!.subarray(i * 3, i * 3 + 3)).reduce((a, c) => a + c, 0)).toBeCloseTo(1, 12);
  });

  it("cutmix's label weight is the share of samples kept", () => {
    const n = 6;
    const x = Float64Array.from({ length: n * 10 }, (_, i) => 100 * Math.floor(i / 10) + (i % 10));
    const out = cutmix({ alpha: 1 })({ x, shape: [n, 10], y: Int32Array.from({ length: n }, (_, i) => i), numClasses: n }, 11);
    let mixed = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(out.x.subarray(i * 10, (i + 1) * 10));
      const kept = row.filter((v, j) => v === x[i * 10 + j]).length;
      const partner = Math.floor(row.find((v) => Math.floor(v / 100) !== i) ?? i * 100) / 100;
      if (Math.floor(partner) !== i) {
        mixed++;
        expect(out.y![i * n + i]).toBeCloseTo(kept / 10, 12);
        expect(out.y![i * n + Math.floor(partner)]).toBeCloseTo(1 - kept / 10, 12);
      }
    }
    expect(mixed).toBeGreaterThan(0);
  });
});

describe("expandWithAugmentations", () => {
  it("keeps the originals, appends `extra` augmented copies with their labels (notebook 9.5)", () => {
    const b = ramp(10, 8);
    const { batch, source } = expandWithAugmentations(b, sequence([circularShift(), amplitudeScale()]), 42, { extra: 25 });
    expect(batch.shape).toEqual([35, 8]);
    expect(batch.x.subarray(0, 80)).toEqual(b.x);
    for (let i = 0; i < 25; i++) {
      expect(batch.y![10 + i]).toBe(b.y![source[i]!]);
      // A shifted and scaled ramp: sorted values are the original's times s ∈ [0.8, 1.2].
      const row = Array.from(batch.x.subarray((10 + i) * 8, (11 + i) * 8)).sort((p, q) => p - q);
      const s = row[0]!;
      expect(s).toBeGreaterThanOrEqual(0.8);
      expect(s).toBeLessThanOrEqual(1.2);
      row.forEach((v, j) => expect(v).toBeCloseTo(s * (j + 1), 12));
    }
    expect(expandWithAugmentations(b, amplitudeScale(), 42, { extra: 25 }).batch.x).toEqual(
      expandWithAugmentations(b, amplitudeScale(), 42, { extra: 25 }).batch.x,
    );
  });

  it("pick: cycle makes exactly k copies of each example", () => {
    const { source } = expandWithAugmentations(ramp(4, 5), gaussianNoise(), 1, { extra: 8, pick: "cycle" });
    expect(Array.from(source)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
  });
});

describe("bad input", () => {
  it("names the augmentation and the argument", () => {
    const e = thrown(() => circularShift()({ x: new Float64Array(40), shape: [40] }, 0));
    expect(e).toBeInstanceOf(DatasetArgumentError);
    expect(e.name).toBe("AugmentationError");
    expect(e.augmentation).toBe("circularShift");
    expect(e.argument).toBe("shape");
    expect(e.message).toMatch(/^circularShift: shape: .*rank 1/);
  });

  it("rejects wrong rank, wrong length, non-finite values and bad labels", () => {
    const x = new Float64Array(8);
    expect(thrown(() => amplitudeScale()({ x, shape: [1, 1, 2, 4] }, 0)).argument).toBe("shape");
    expect(thrown(() => amplitudeScale()({ x, shape: [3, 4] }, 0)).argument).toBe("x");
    expect(thrown(() => amplitudeScale()({ x: Float64Array.from([1, Number.NaN]), shape: [1, 2] }, 0)).message).toMatch(/non-finite/);
    expect(thrown(() => amplitudeScale()({ x: Float64Array.from([1, Infinity]), shape: [1, 2] }, 0)).argument).toBe("x");
    expect(thrown(() => amplitudeScale()({ x, shape: [2, 4], y: new Int32Array(3) }, 0)).argument).toBe("y");
    expect(thrown(() => amplitudeScale()({ x: [1, 2] as unknown as Float64Array, shape: [1, 2] }, 0)).argument).toBe("x");
    expect(thrown(() => timeStretch()({ x: new Float64Array(2), shape: [2, 1] }, 0)).argument).toBe("shape");
  });

  it("a composition validates its batch once: bad input is still refused by it, a too-short signal by the part", () => {
    const seq = sequence([amplitudeScale(), timeStretch()]);
    const e = thrown(() => seq({ x: Float64Array.from([1, Number.NaN]), shape: [1, 2] }, 0));
    expect([e.augmentation, e.argument]).toEqual(["sequence", "x"]);
    const short = thrown(() => seq({ x: Float64Array.from([1, 2]), shape: [2, 1] }, 0));
    expect([short.augmentation, short.argument]).toEqual(["timeStretch", "shape"]);
    expect(thrown(() => oneOf([mixup()])({ x: new Float64Array(8), shape: [2, 4], y: Int32Array.from([0, 1]) }, 0)).argument).toBe("numClasses");
  });

  it("a user-written Augmentation inside a composition gets the batch through its public call", () => {
    const calls: SignalBatch[] = [];
    const negate = Object.assign((b: SignalBatch) => { calls.push(b); return { ...b, x: b.x.map((v) => -v) }; }, {
      augmentation: "negate", labelPreserving: true, mixesLabels: false,
    });
    const out = sequence([circularShift(), negate])(ramp(2, 5), 7);
    const shifted = circularShift()(ramp(2, 5), 7).x;
    expect(Array.from(out.x)).toEqual(Array.from(shifted, (v) => -v));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.shape).toEqual([2, 5]);
    // what it returns is validated before the next stage, which is named in the error
    const broken = Object.assign((b: SignalBatch) => ({ ...b, x: b.x.map(() => Number.NaN) }), {
      augmentation: "broken", labelPreserving: true, mixesLabels: false,
    });
    const e = thrown(() => sequence([broken, amplitudeScale()])(ramp(2, 5), 7));
    expect([e.augmentation, e.argument]).toEqual(["broken", "x"]);
  });

  it("rejects probabilities outside [0, 1]", () => {
    for (const p of [-0.1, 1.5, Number.NaN]) {
      const e = thrown(() => randomApply(reversal(), { p }));
      expect([e.augmentation, e.argument]).toEqual(["randomApply", "p"]);
    }
  });

  it("rejects label mixing of integer labels without a class count, and mixing without labels", () => {
    const e = thrown(() => mixup()({ x: new Float64Array(8), shape: [2, 4], y: Int32Array.from([0, 1]) }, 0));
    expect([e.augmentation, e.argument]).toEqual(["mixup", "numClasses"]);
    expect(thrown(() => cutmix()({ x: new Float64Array(8), shape: [2, 4] }, 0)).argument).toBe("y");
    // Soft labels carry their class count.
    expect(mixup()({ x: new Float64Array(8), shape: [2, 4], y: Float64Array.from([1, 0, 0, 1]) }, 0).y!.length).toBe(4);
  });

  it("rejects bad options, keys and seeds before drawing", () => {
    expect(thrown(() => amplitudeScale({ low: 2, high: 1 })).argument).toBe("high");
    expect(thrown(() => gaussianNoise({ sigma: -1 })).argument).toBe("sigma");
    expect(thrown(() => mixup({ alpha: 0 })).argument).toBe("alpha");
    expect(thrown(() => circularShift({ maxShift: 3 } as never)).argument).toBe("maxShift");
    expect(thrown(() => oneOf([reversal()], { weights: [-1] })).argument).toBe("weights[0]");
    expect(thrown(() => sequence([])).argument).toBe("augmentations");
    expect(thrown(() => reversal()(ramp(1, 4), { k0: -1, k1: 0 })).argument).toBe("random");
    expect(thrown(() => reversal()(ramp(1, 4), 1.5)).argument).toBe("random");
    const rng = new RandomState(1);
    const before = rng.getState();
    expect(() => amplitudeScale()({ x: Float64Array.from([Number.NaN]), shape: [1, 1] }, rng)).toThrow(AugmentationError);
    expect(rng.getState()).toEqual(before);
  });
});
