import { describe, expect, it } from "vitest";
import { expectAllclose } from "../test/helpers.js";
import { OptionError } from "./errors.js";
import {
  constantSchedule, cosineDecaySchedule, cyclicSchedule, exponentialDecaySchedule, joinSchedules, linearSchedule, linearWarmup,
  piecewiseConstantSchedule, stepSchedule, warmRestartsSchedule,
} from "./schedules.js";

const at = (s: (t: number) => number, ts: readonly number[]): number[] => ts.map(s);

describe("schedules", () => {
  it("constantSchedule is constant", () => {
    expect(at(constantSchedule(0.3), [0, 1, 1000])).toEqual([0.3, 0.3, 0.3]);
  });

  it("stepSchedule drops by γ exactly at multiples of stepSize (StepLR)", () => {
    expectAllclose(at(stepSchedule({ init: 1, stepSize: 10, gamma: 0.5 }), [0, 9, 10, 19, 20, 30]), [1, 1, 0.5, 0.5, 0.25, 0.125], { atol: 0 });
  });

  it("piecewiseConstantSchedule switches value at each boundary step", () => {
    expect(at(piecewiseConstantSchedule({ boundaries: [5, 8], values: [1, 0.1, 0.01] }), [0, 4, 5, 7, 8, 100])).toEqual([1, 1, 0.1, 0.1, 0.01, 0.01]);
    expect(() => piecewiseConstantSchedule({ boundaries: [5, 3], values: [1, 2, 3] })).toThrow(/boundaries\[1\]/);
    expect(() => piecewiseConstantSchedule({ boundaries: [5], values: [1] })).toThrow(/values/);
  });

  it("exponentialDecaySchedule is init·rate^(t/T), staircased, floored at endValue", () => {
    expectAllclose(at(exponentialDecaySchedule({ init: 2, decayRate: 0.5, transitionSteps: 10 }), [0, 5, 10, 20]), [2, 2 * 0.5 ** 0.5, 1, 0.5], { rtol: 1e-15 });
    expectAllclose(at(exponentialDecaySchedule({ init: 2, decayRate: 0.5, transitionSteps: 10, staircase: true }), [9, 10, 19]), [2, 1, 1], { rtol: 0 });
    expectAllclose(at(exponentialDecaySchedule({ init: 1, decayRate: 0.1, endValue: 0.05 }), [0, 1, 2, 50]), [1, 0.1, 0.05, 0.05], { rtol: 1e-15 });
  });

  it("cosineDecaySchedule starts at init, passes init(1+α)/2 halfway and ends at α·init", () => {
    const s = cosineDecaySchedule({ init: 0.1, decaySteps: 100, alpha: 0.2 });
    expectAllclose(at(s, [0, 50, 100, 150]), [0.1, 0.06, 0.02, 0.02], { rtol: 1e-14 });
  });

  it("warmRestartsSchedule restarts at η_max after periods T₀, T₀·m, …", () => {
    const s = warmRestartsSchedule({ init: 1, period: 10, periodMult: 2, minValue: 0.1 });
    // cycles: [0, 10), [10, 30), [30, 70)
    expectAllclose(at(s, [0, 5, 10, 20, 30, 50]), [1, 0.55, 1, 0.55, 1, 0.55], { rtol: 1e-14 });
    expect(s(9)).toBeLessThan(0.15);
  });

  it("cyclicSchedule is a triangle between base and max with period 2·stepSize", () => {
    const s = cyclicSchedule({ baseValue: 0.1, maxValue: 1, stepSize: 4 });
    expectAllclose(at(s, [0, 2, 4, 6, 8, 12]), [0.1, 0.55, 1, 0.55, 0.1, 1], { rtol: 1e-14 });
    const s2 = cyclicSchedule({ baseValue: 0, maxValue: 1, stepSize: 4, mode: "triangular2" });
    expectAllclose(at(s2, [4, 12, 20]), [1, 0.5, 0.25], { rtol: 1e-15 });
  });

  it("linearSchedule and linearWarmup hit their endpoints", () => {
    expectAllclose(at(linearSchedule({ init: 1, end: 0, transitionSteps: 4, transitionBegin: 2 }), [0, 2, 4, 6, 9]), [1, 1, 0.5, 0, 0], { atol: 0 });
    const cos = cosineDecaySchedule({ init: 0.01, decaySteps: 90 });
    const w = linearWarmup({ warmupSteps: 10, init: 0.001, then: cos });
    expectAllclose(at(w, [0, 5, 10, 55, 100]), [0.001, 0.0055, 0.01, 0.005, 0], { rtol: 1e-14, atol: 1e-18 });
    expectAllclose(at(linearWarmup({ warmupSteps: 4, then: 2 }), [0, 1, 4, 9]), [0, 0.5, 2, 2], { atol: 0 });
  });

  it("joinSchedules restarts the next schedule's count at each boundary", () => {
    const s = joinSchedules([constantSchedule(5), linearSchedule({ init: 1, end: 0, transitionSteps: 10 })], [3]);
    expectAllclose(at(s, [0, 2, 3, 8, 13]), [5, 5, 1, 0.5, 0], { atol: 1e-15 });
  });

  it("validate their options with OptionError naming the option", () => {
    const cases: [() => unknown, string][] = [
      [() => cosineDecaySchedule({ init: 0.1, decaySteps: 0 }), "decaySteps"],
      [() => cosineDecaySchedule({ init: Number.NaN, decaySteps: 10 }), "init"],
      [() => stepSchedule({ init: 1, stepSize: 2.5 }), "stepSize"],
      [() => warmRestartsSchedule({ init: 1, period: 10, periodMult: 0 }), "periodMult"],
      [() => cyclicSchedule({ baseValue: 0, maxValue: 1, stepSize: 2, mode: "exp" as never }), "mode"],
      [() => exponentialDecaySchedule({ init: 1, decayRate: 0 }), "decayRate"],
      [() => linearWarmup({ warmupSteps: 0, then: 1 }), "warmupSteps"],
      [() => joinSchedules([], []), "schedules"],
    ];
    for (const [make, option] of cases) {
      try {
        make();
        expect.fail(`expected an OptionError for ${option}`);
      } catch (e) {
        expect(e).toBeInstanceOf(OptionError);
        expect((e as OptionError).option).toBe(option);
      }
    }
  });
});
