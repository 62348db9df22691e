import { describe, expect, it } from "vitest";
import { expectAllClose } from "../test/helpers.js";
import { DatasetArgumentError } from "./errors.js";
import { RandomState } from "./random-state.js";
import { NOTEBOOK_TWO_PI, fromDisplayUnits, makeToyData, mu, toDisplayUnits, trueFunction } from "./toy-data.js";

// Reference: CHAPTER9.md §1.1, "Notebook dataset (seed 1)", rounded to 6 decimals. Tolerance 1e-6 (+ rounding).
const X_SEED1 = [
  0.027801, 0.114688, 0.133341, 0.220156, 0.27645, 0.339489, 0.412417, 0.489704, 0.559784, 0.635921, 0.694613,
  0.779015, 0.81363, 0.925208, 0.935159,
];
const Y_SEED1 = [
  0.93182, 2.46617, 1.769386, 2.725345, 2.850461, 2.160701, 1.906322, 1.178985, 0.853258, 0.443039, 0.964807,
  0.473235, 0.740574, 0.296643, 0.417498,
];
const TOL = { atol: 1e-6 };

describe("makeToyData", () => {
  it("reproduces the notebooks' seed-1 data set with the notebook constant 2·3.1413", () => {
    const d = makeToyData();
    expect([d.n, d.dim]).toEqual([15, 1]);
    expectAllClose(d.x, X_SEED1, TOL, "x");
    expectAllClose(d.y, Y_SEED1, TOL, "y");
  });

  it("does not reproduce it with the exact 2π, which is why the notebook constant is the default", () => {
    const d = makeToyData({ twoPi: "exact" });
    expectAllClose(d.x, X_SEED1, TOL, "x");
    const worst = Math.max(...Array.from(d.y, (v, i) => Math.abs(v - Y_SEED1[i]!)));
    expect(worst).toBeGreaterThan(1e-4);
  });

  it("draws all uniforms before all normals from the legacy stream", () => {
    const rng = new RandomState(1);
    const u = rng.randomSample(15);
    const z = rng.standardNormal(15);
    const d = makeToyData();
    for (let i = 0; i < 15; i++) {
      expect(d.x[i]).toBe(i / 15 + ((i + 1) / 15 - i / 15) * u[i]!);
      expect(d.y[i]).toBe(trueFunction(d.x[i]!) + (0 + 0.3 * z[i]!));
    }
  });

  it("rejects bad options", () => {
    expect(() => makeToyData({ n: 0 })).toThrow(DatasetArgumentError);
    expect(() => makeToyData({ sigma: -0.1 })).toThrow(/sigma/);
    expect(() => makeToyData({ twoPi: "tau" as "exact" })).toThrow(/twoPi/);
    expect(() => makeToyData({ seed: 2 ** 32 })).toThrow(/seed/);
  });
});

describe("trueFunction", () => {
  it("is exp(sin(2πx)), peaking at e at x = 0.25 and bottoming at 1/e at x = 0.75", () => {
    expect(trueFunction(0.25, { twoPi: "exact" })).toBeCloseTo(Math.E, 14);
    expect(trueFunction(0.75, { twoPi: "exact" })).toBeCloseTo(1 / Math.E, 14);
    expect(trueFunction(0.25)).toBe(Math.exp(Math.sin(0.25 * NOTEBOOK_TWO_PI)));
    expect(mu).toBe(trueFunction);
  });

  it("maps arrays elementwise", () => {
    expect(Array.from(trueFunction([0, 0.5]))).toEqual([1, Math.exp(Math.sin(0.5 * NOTEBOOK_TWO_PI))]);
  });
});

describe("toDisplayUnits / fromDisplayUnits", () => {
  it("maps [1/e, e] onto [−0.6, 0.6] and back", () => {
    expect(toDisplayUnits(Math.E)).toBeCloseTo(0.6, 15);
    expect(toDisplayUnits(1 / Math.E)).toBeCloseTo(-0.6, 15);
    expect(fromDisplayUnits(toDisplayUnits(1.7))).toBeCloseTo(1.7, 14);
  });
});

describe("argument guards", () => {
  it("makeToyData and trueFunction refuse non-object options and unknown keys, naming them", () => {
    expect(() => makeToyData({ foo: 1 } as never)).toThrow(/^options\.foo: is not an option \(the options are n, sigma, seed, rng, twoPi\)/);
    expect(() => makeToyData([65536, 65536] as never)).toThrow(DatasetArgumentError);
    expect(() => makeToyData(null as never)).toThrow(/^options: must be an options object/);
    expect(() => trueFunction([0.5], "f32" as never)).toThrow(/^options: must be an options object/);
    expect(() => trueFunction([0.5], { axis: 1 } as never)).toThrow(/^options\.axis: is not an option/);
    expect(makeToyData({ n: 3, twoPi: "exact" }).n).toBe(3);
  });

  it("trueFunction refuses non-number entries instead of returning NaN", () => {
    expect(() => trueFunction(["a"] as never)).toThrow(/^x\[0\]: must be a number, got "a"/);
    expect(() => trueFunction({ axis: 9 } as never)).toThrow(/^x: must be a number or an array of numbers/);
    expect(() => mu(null as never)).toThrow(DatasetArgumentError);
    expect(trueFunction(new Float64Array([0]))[0]).toBe(1);
  });
});
