import { type Tensor, prngKey } from "@regularize/core-autodiff";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { FitOptionsError } from "./errors.js";
import {
  type Initializer, constantInit, glorotNormal, glorotUniform, kaimingNormal, kaimingUniform, normalInit, torchDefaultBias,
  torchDefaultWeight, uniformInit, zerosInit,
} from "./init.js";

const stats = (t: Tensor) => {
  const d = Array.from(t.data);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const variance = d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length;
  return { mean, variance, min: Math.min(...d), max: Math.max(...d) };
};
const draw = (init: Initializer, fanIn = 50, fanOut = 20, n = 20000) => init(prngKey(3), [n], { fanIn, fanOut }, "float64");

describe("initialisers", () => {
  const uniformCases: [string, Initializer, number][] = [
    ["kaimingUniform (PyTorch kaiming_uniform_ defaults)", kaimingUniform(), Math.sqrt(6 / 50)],
    ["kaimingUniform in fanOut mode", kaimingUniform({ mode: "fanOut" }), Math.sqrt(6 / 20)],
    ["torchDefaultWeight (kaiming_uniform a=√5)", torchDefaultWeight(), 1 / Math.sqrt(50)],
    ["torchDefaultBias", torchDefaultBias(), 1 / Math.sqrt(50)],
    ["glorotUniform", glorotUniform(), Math.sqrt(6 / 70)],
  ];
  for (const [name, init, bound] of uniformCases) {
    it(`${name} draws U(±${bound.toFixed(4)})`, () => {
      const s = stats(draw(init));
      expect(s.min).toBeGreaterThanOrEqual(-bound);
      expect(s.max).toBeLessThan(bound);
      expect(s.max).toBeGreaterThan(0.99 * bound);
      expect(s.min).toBeLessThan(-0.99 * bound);
      expect(s.variance / (bound ** 2 / 3)).toBeCloseTo(1, 1);
      expect(Math.abs(s.mean)).toBeLessThan(0.02 * bound);
    });
  }

  const normalCases: [string, Initializer, number][] = [
    ["kaimingNormal", kaimingNormal(), Math.sqrt(2 / 50)],
    ["glorotNormal", glorotNormal(), Math.sqrt(2 / 70)],
    ["normalInit σ = 0.5", normalInit({ std: 0.5 }), 0.5],
  ];
  for (const [name, init, std] of normalCases) {
    it(`${name} draws N(0, ${std.toFixed(4)}²)`, () => {
      const s = stats(draw(init));
      expect(Math.sqrt(s.variance) / std).toBeCloseTo(1, 1);
      expect(Math.abs(s.mean)).toBeLessThan(0.03 * std);
    });
  }

  it("fills constants and zeros whatever the key", () => {
    expect(zerosInit()(prngKey(1), [2, 2], { fanIn: 2, fanOut: 2 }, "float32").toFlatArray()).toEqual([0, 0, 0, 0]);
    expect(constantInit(1.5)(prngKey(2), [3], { fanIn: 1, fanOut: 1 }, "float64").toFlatArray()).toEqual([1.5, 1.5, 1.5]);
    const u = uniformInit({ low: 2, high: 3 })(prngKey(2), [100], { fanIn: 1, fanOut: 1 }, "float64");
    expect(stats(u).min).toBeGreaterThanOrEqual(2);
  });

  it("honours the dtype", () => {
    expect(kaimingUniform()(prngKey(1), [4], { fanIn: 4, fanOut: 4 }, "float32").dtype).toBe("float32");
  });

  test.prop([fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 500 })])("is a function of the key (same key ⇒ same draw, other key ⇒ other draw)", (seed, fanIn) => {
    const a = kaimingUniform()(prngKey(seed), [8], { fanIn, fanOut: 3 }, "float64").toFlatArray();
    const b = kaimingUniform()(prngKey(seed), [8], { fanIn, fanOut: 3 }, "float64").toFlatArray();
    const c = kaimingUniform()(prngKey(seed + 1), [8], { fanIn, fanOut: 3 }, "float64").toFlatArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("rejects a zero fan and a negative σ with a FitOptionsError", () => {
    expect(() => kaimingUniform()(prngKey(1), [2], { fanIn: 0, fanOut: 1 }, "float64")).toThrow(FitOptionsError);
    expect(() => normalInit({ std: -1 })).toThrow(FitOptionsError);
  });
});

describe("initializer option guards", () => {
  it("kaiming* refuse unknown keys, arrays and bad a/mode at construction", () => {
    expect(() => kaimingNormal({ activation: "gelu" } as never)).toThrow(/^kaimingNormal\.activation: is not an option of kaimingNormal/);
    expect(() => kaimingUniform([65536, 65536] as never)).toThrow(/^kaimingUniform: options must be an object/);
    expect(() => kaimingNormal({ a: NaN })).toThrow(/^kaimingNormal\.a: must be a finite number/);
    expect(() => kaimingUniform({ mode: "fan_in" as "fanIn" })).toThrow(/^kaimingUniform\.mode: must be "fanIn" or "fanOut"/);
    expect(() => kaimingNormal(undefined)).not.toThrow();
  });

  it("constantInit refuses a non-finite or non-number value", () => {
    for (const bad of [NaN, Infinity, "1", null, Symbol("s")]) expect(() => constantInit(bad as number), String(bad)).toThrow(FitOptionsError);
    expect(() => constantInit("1" as never)).toThrow(/^constantInit\.value: must be a finite number/);
  });
});
