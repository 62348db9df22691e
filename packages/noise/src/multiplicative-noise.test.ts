import { describe, expect, it } from "vitest";
import { prngKey, tensor } from "@regularize/core-autodiff";
import type { ForwardHookContext, Site } from "@regularize/core-train";
import { betaDropout, gaussianDropout, uniformDropout } from "./multiplicative-noise.js";
import { RandomStream, sampleBeta, sampleGamma } from "./random-stream.js";

const hidden: Site = { name: "hidden0", index: 1, kind: "hidden" };
const ctx = (active: boolean, seed = 1): ForwardHookContext => ({ mode: active ? "train" : "eval", active, key: prngKey(seed), step: 0 });
const n = 40000;
const ones = tensor([new Array(n).fill(1)]);

function moments(v: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0, s2 = 0;
  for (let i = 0; i < v.length; i++) { s += v[i]!; s2 += v[i]! ** 2; }
  const mean = s / v.length;
  return { mean, variance: s2 / v.length - mean * mean };
}

describe("multiplicative dropout variants", () => {
  it.each([
    ["gaussianDropout", gaussianDropout({ rate: 0.4 }), 0.4 / 0.6],
    ["uniformDropout", uniformDropout({ rate: 0.4 }), 0.4 / 0.6],
    ["betaDropout", betaDropout({ rate: 0.4, concentration: 2 }), 0.4 / (0.6 * 3)],
  ])("%s has mean-1 noise with the stated variance (Monte Carlo, 4 standard errors)", (_name, plugin, variance) => {
    const { mean, variance: v } = moments(plugin.site!(ones, hidden, ctx(true)).data);
    expect(Math.abs(mean - 1)).toBeLessThan(4 * Math.sqrt(variance / n));
    // the sample variance's standard error is ≈ √(2/n)·σ² for near-Gaussian noise; 6 SE leaves room for the tails
    expect(Math.abs(v - variance)).toBeLessThan(6 * Math.sqrt(2 / n) * variance + 0.01 * variance);
  });

  it("is the identity at test time and with rate 0, and deterministic per key", () => {
    const h = tensor([[1, -2, 3]]);
    for (const make of [gaussianDropout, uniformDropout, betaDropout]) {
      expect(make({ rate: 0.5 }).site!(h, hidden, ctx(false))).toBe(h);
      expect(make({ rate: 0 }).site!(h, hidden, ctx(true))).toBe(h);
      const p = make({ rate: 0.5 });
      expect(Array.from(p.site!(h, hidden, ctx(true, 5)).data)).toEqual(Array.from(p.site!(h, hidden, ctx(true, 5)).data));
    }
  });
});

describe("sampleGamma / sampleBeta", () => {
  it("match the Gamma(a) mean a and the Beta(a, b) mean a/(a+b) (4 standard errors)", () => {
    for (const a of [0.3, 1, 4.5]) {
      const s = new RandomStream(prngKey(Math.round(a * 10)));
      const draws = Float64Array.from({ length: 20000 }, () => sampleGamma(s, a));
      expect(Math.abs(moments(draws).mean - a)).toBeLessThan(4 * Math.sqrt(a / draws.length));
    }
    const s = new RandomStream(prngKey(99));
    const b = Float64Array.from({ length: 20000 }, () => sampleBeta(s, 0.6, 0.4));
    const varB = (0.6 * 0.4) / 2;
    expect(Math.abs(moments(b).mean - 0.6)).toBeLessThan(4 * Math.sqrt(varB / b.length));
  });
});
