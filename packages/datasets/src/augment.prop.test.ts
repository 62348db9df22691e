import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { amplitudeScale, gaussianNoise, gaussianSmooth, windowing } from "./augment-amplitude.js";
import { oneOf, randomApply, sequence } from "./augment-compose.js";
import type { Augmentation, SignalBatch } from "./augment-core.js";
import { cutmix, mixup } from "./augment-mixing.js";
import { circularShift, cutout, reversal, timeStretch, timeWarp } from "./augment-time.js";
import { RandomState } from "./random-state.js";

const word = fc.integer({ min: 0, max: 0xffffffff });
const key = fc.record({ k0: word, k1: word });

/** Batches of n signals of length L (values distinct enough that every transform moves them). */
const batch = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), length: fc.integer({ min: 4, max: 48 }), seed: word })
  .map(({ n, length, seed }): SignalBatch => {
    const x = new RandomState(seed).standardNormal(n * length);
    const y = Int32Array.from({ length: n }, (_, i) => (i * 3 + seed) % 10);
    return { x, shape: [n, length], y, numClasses: 10 };
  });

const energy = (x: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let j = from; j < to; j++) s += x[j]! ** 2;
  return s;
};

/** Every augmentation, configured so that it always moves a generic signal. */
const ALL: Record<string, Augmentation> = {
  circularShift: circularShift({ min: 1 }),
  amplitudeScale: amplitudeScale(),
  timeStretch: timeStretch(),
  gaussianNoise: gaussianNoise(),
  gaussianSmooth: gaussianSmooth(),
  windowing: windowing({ low: 0.2, high: 1 }),
  timeWarp: timeWarp(),
  cutout: cutout({ minWidth: 1 }),
  mixup: mixup(),
  cutmix: cutmix(),
  sequence: sequence([circularShift(), amplitudeScale()]),
  randomApply: randomApply(gaussianNoise(), { p: 0.7 }),
  oneOf: oneOf([gaussianNoise(), amplitudeScale()]),
};

/** Every transform once, and compositions of them (each stage may write into the previous stage's array). */
const WITH_REVERSAL: Record<string, Augmentation> = {
  ...ALL,
  reversal: reversal(),
  longSequence: sequence([circularShift(), reversal(), gaussianSmooth(), windowing(), cutout(), timeWarp(), amplitudeScale(), gaussianNoise()]),
  nested: sequence([oneOf([circularShift(), reversal(), timeStretch()]), randomApply(sequence([cutout(), amplitudeScale()]), { p: 0.5 }), mixup()]),
};

describe("augmentation properties", () => {
  it("circularShift is a permutation of each signal (a rotation: same multiset, same cyclic order)", () => {
    fc.assert(
      fc.property(batch, key, (b, k) => {
        const out = circularShift()(b, k);
        const L = b.shape[1]!;
        for (let i = 0; i < b.shape[0]!; i++) {
          const src = Array.from(b.x.subarray(i * L, (i + 1) * L));
          const dst = Array.from(out.x.subarray(i * L, (i + 1) * L));
          expect([...dst].sort()).toEqual([...src].sort());
          const s = dst.indexOf(src[0]!);
          expect(dst).toEqual(src.map((_, j) => src[(j - s + L) % L]));
        }
      }),
    );
  });

  it("amplitudeScale with factor s multiplies every signal's energy by s²", () => {
    fc.assert(
      fc.property(batch, key, fc.double({ min: -3, max: 3, noNaN: true }), (b, k, s) => {
        const out = amplitudeScale({ low: s, high: s })(b, k);
        const L = b.shape[1]!;
        for (let i = 0; i < b.shape[0]!; i++) {
          const e0 = energy(b.x, i * L, (i + 1) * L);
          expect(energy(out.x, i * L, (i + 1) * L)).toBeCloseTo(s * s * e0, 9);
        }
      }),
    );
  });

  it("amplitudeScale keeps each energy ratio inside [low², high²]", () => {
    fc.assert(
      fc.property(batch, key, (b, k) => {
        const out = amplitudeScale({ low: 0.8, high: 1.2 })(b, k);
        const L = b.shape[1]!;
        for (let i = 0; i < b.shape[0]!; i++) {
          const ratio = energy(out.x, i * L, (i + 1) * L) / energy(b.x, i * L, (i + 1) * L);
          expect(ratio).toBeGreaterThanOrEqual(0.64 - 1e-12);
          expect(ratio).toBeLessThanOrEqual(1.44 + 1e-12);
        }
      }),
    );
  });

  it("timeStretch and timeWarp keep the shape, and factor 1 / strength 0 is the identity", () => {
    fc.assert(
      fc.property(batch, key, (b, k) => {
        expect(timeStretch()(b, k).shape).toEqual(b.shape);
        expect(timeStretch()(b, k).x.length).toBe(b.x.length);
        expect(timeWarp()(b, k).x.length).toBe(b.x.length);
        expect(timeStretch({ low: 1, high: 1 })(b, k).x).toEqual(b.x);
        expect(timeWarp({ strength: 0 })(b, k).x).toEqual(b.x);
      }),
    );
  });

  it("timeWarp keeps the end points and the range of each signal (monotone resampling)", () => {
    fc.assert(
      fc.property(batch, key, (b, k) => {
        const out = timeWarp({ strength: 0.8 })(b, k);
        const L = b.shape[1]!;
        for (let i = 0; i < b.shape[0]!; i++) {
          const src = b.x.subarray(i * L, (i + 1) * L);
          const dst = out.x.subarray(i * L, (i + 1) * L);
          expect(dst[0]).toBe(src[0]);
          expect(dst[L - 1]).toBe(src[L - 1]);
          expect(Math.max(...dst)).toBeLessThanOrEqual(Math.max(...src) + 1e-12);
          expect(Math.min(...dst)).toBeGreaterThanOrEqual(Math.min(...src) - 1e-12);
        }
      }),
    );
  });

  it("gaussianSmooth keeps the mean of each signal and never increases its variance", () => {
    fc.assert(
      fc.property(batch, key, (b, k) => {
        const out = gaussianSmooth({ low: 0.5, high: 2 })(b, k);
        const L = b.shape[1]!;
        for (let i = 0; i < b.shape[0]!; i++) {
          let s0 = 0;
          let s1 = 0;
          for (let j = 0; j < L; j++) {
            s0 += b.x[i * L + j]!;
            s1 += out.x[i * L + j]!;
          }
          // With a symmetric kernel, half-sample reflection makes the filter a symmetric doubly
          // stochastic matrix: the sum is kept and the variance never grows.
          expect(s1).toBeCloseTo(s0, 9);
          expect(energy(out.x, i * L, (i + 1) * L) - (s1 * s1) / L).toBeLessThanOrEqual(energy(b.x, i * L, (i + 1) * L) - (s0 * s0) / L + 1e-9);
        }
      }),
    );
  });

  it("reversal is an involution", () => {
    fc.assert(fc.property(batch, key, (b, k) => {
      expect(reversal()(reversal()(b, k), k).x).toEqual(b.x);
    }));
  });

  it("mixup and cutmix labels are convex combinations: every soft-label row sums to 1", () => {
    fc.assert(
      fc.property(batch, key, fc.constantFrom(mixup(), mixup({ alpha: 2 }), cutmix()), (b, k, aug) => {
        const out = aug(b, k);
        expect(out.y).toBeInstanceOf(Float64Array);
        expect(out.y!.length).toBe(b.shape[0]! * 10);
        for (let i = 0; i < b.shape[0]!; i++) {
          const row = Array.from(out.y!.subarray(i * 10, (i + 1) * 10));
          expect(row.reduce((a, c) => a + c, 0)).toBeCloseTo(1, 12);
          for (const v of row) expect(v).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it("mixup's mixed signals use the same weights as the mixed labels", () => {
    fc.assert(
      fc.property(batch, key, (b, k) => {
        // Partner and weight are recoverable from the labels when the batch has distinct one-hot labels.
        const n = b.shape[0]!;
        const L = b.shape[1]!;
        const y = Int32Array.from({ length: n }, (_, i) => i);
        const out = mixup({ alpha: 1 })({ ...b, y, numClasses: n }, k);
        for (let i = 0; i < n; i++) {
          const row = out.y!.subarray(i * n, (i + 1) * n);
          const lam = row[i]!;
          const partner = row.findIndex((v, c) => c !== i && v > 0);
          const p = partner === -1 ? i : partner;
          for (let j = 0; j < L; j++) {
            const expected = partner === -1 ? b.x[i * L + j]! : lam * b.x[i * L + j]! + (1 - lam) * b.x[p * L + j]!;
            expect(out.x[i * L + j]).toBeCloseTo(expected, 10);
          }
        }
      }),
    );
  });

  it("the same key gives the same bits; a RandomState seeded the same way gives them too", () => {
    fc.assert(
      fc.property(batch, key, fc.constantFrom(...Object.keys(ALL)), (b, k, name) => {
        const aug = ALL[name]!;
        const a = aug(b, k);
        expect(aug(b, { ...k }).x).toEqual(a.x);
        expect(aug(b, new RandomState([k.k0, k.k1])).x).toEqual(a.x);
        expect(aug(b, k).y).toEqual(a.y);
      }),
    );
  });

  it("never writes its input; with overwrite: true it gives the same bits, possibly in the input's array", () => {
    fc.assert(
      fc.property(batch, key, fc.constantFrom(...Object.keys(WITH_REVERSAL)), (b, k, name) => {
        const aug = WITH_REVERSAL[name]!;
        const before = Float64Array.from(b.x);
        const a = aug(b, k);
        expect(b.x).toEqual(before);
        expect(a.x).not.toBe(b.x);
        const given = Float64Array.from(b.x);
        const o = aug({ ...b, x: given, overwrite: true }, k);
        expect(Array.from(o.x)).toEqual(Array.from(a.x));
        expect(o.y).toEqual(a.y);
        expect("overwrite" in o).toBe(false);
      }),
    );
  });

  it("a long sequence (its stages writing into the previous stage's array) equals the stages called one by one", () => {
    fc.assert(
      fc.property(batch, word, (b, seed) => {
        const stages = [circularShift(), reversal(), gaussianSmooth(), windowing(), cutout(), timeWarp(), amplitudeScale(), gaussianNoise()];
        const rng = new RandomState(seed);
        const byHand = stages.reduce((acc, a) => a(acc, rng), b);
        expect(sequence(stages)(b, seed).x).toEqual(byHand.x);
      }),
    );
  });

  it("different keys give different outputs", () => {
    fc.assert(
      fc.property(batch, key, key, fc.constantFrom(...Object.keys(ALL)), (b, k1, k2, name) => {
        fc.pre(k1.k0 !== k2.k0 || k1.k1 !== k2.k1);
        const aug = ALL[name]!;
        // Signals of 6 × 48 random samples: a collision of every draw has negligible probability,
        // except for the discrete transforms on tiny batches; use the largest batch for those.
        const n = 6;
        const L = 48;
        const big: SignalBatch = { ...b, x: new RandomState(7).standardNormal(n * L), shape: [n, L], y: Int32Array.from({ length: n }, (_, i) => i), numClasses: 10 };
        expect(aug(big, k1).x).not.toEqual(aug(big, k2).x);
      }),
    );
  });

  it("randomApply with p = 0 is the identity and with p = 1 equals the inner augmentation on the same stream", () => {
    fc.assert(
      fc.property(batch, word, (b, seed) => {
        expect(randomApply(gaussianNoise(), { p: 0 })(b, seed).x).toEqual(b.x);
        const r1 = new RandomState(seed);
        const r2 = new RandomState(seed);
        const viaApply = randomApply(gaussianNoise(), { p: 1 })(b, r1);
        r2.randomSample(b.shape[0]!); // randomApply's per-example coin flips
        expect(viaApply.x).toEqual(gaussianNoise()(b, r2).x);
      }),
    );
  });

  it("sequence([a]) ≡ a and the sequence draws from one stream in order", () => {
    fc.assert(
      fc.property(batch, word, (b, seed) => {
        expect(sequence([amplitudeScale()])(b, seed).x).toEqual(amplitudeScale()(b, seed).x);
        const rng = new RandomState(seed);
        const twoSteps = amplitudeScale()(circularShift()(b, rng), rng);
        expect(sequence([circularShift(), amplitudeScale()])(b, seed).x).toEqual(twoSteps.x);
      }),
    );
  });
});
