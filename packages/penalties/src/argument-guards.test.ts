import { tensor } from "@regularize/core-autodiff";
import { PluginError } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { PenaltyOptionError } from "./errors.js";
import { HARD_CONCRETE, hardConcreteNonZeroProb } from "./hard-concrete.js";
import { expectedL0, l0PrunedUnits } from "./l0-gates.js";
import { l0Count } from "./l0-count.js";
import { outputInputGradientNorm } from "./input-gradient.js";
import { softThreshold } from "./l1-prox.js";
import { lpSum } from "./lp.js";
import { PowerIterationVectors, lipschitzBound } from "./spectral-norm.js";
import { spectralNormalization } from "./constraints.js";

describe("argument guards of the penalty helpers", () => {
  it("lpSum requires P > 0 like lp and a Tensor (-2**31-1 was accepted; fuzz prescreen, seed 27182)", () => {
    for (const bad of [-(2 ** 31) - 1, 0, NaN]) expect(() => lpSum(tensor([1, 2]), bad), String(bad)).toThrow(/^lpSum: option "p" must be/);
    expect(() => lpSum([1, 2] as never, 2)).toThrow(/^lpSum: option "x" must be a Tensor/);
    expect(lpSum(tensor([0, -2, 3]), 2).item()).toBe(13);
  });

  it("softThreshold refuses non-numbers and a negative τ, and keeps NaN (it used to become 0)", () => {
    expect(() => softThreshold("f32" as never, 2)).toThrow(/^softThreshold: option "v" must be a number/);
    expect(() => softThreshold(1, -1)).toThrow(PenaltyOptionError);
    expect(() => softThreshold(1, NaN)).toThrow(/"tau" must be a number ≥ 0/);
    expect(softThreshold(NaN, 1)).toBeNaN();
    expect(softThreshold(3, 1)).toBe(2);
    expect(softThreshold(-0.5, 1)).toBe(0);
  });

  it("l0PrunedUnits and hardConcreteNonZeroProb refuse non-trees and bad constants", () => {
    for (const bad of ["f32", -3, null, undefined]) expect(() => l0PrunedUnits(bad as never), String(bad)).toThrow(/^l0PrunedUnits: option "params" must be a parameter tree/);
    expect(l0PrunedUnits({ w: tensor([1]) })).toBe(0);
    expect(() => l0PrunedUnits({ reduction: "avg" } as never)).toThrow(/must be a tree of tensors/);
    expect(() => hardConcreteNonZeroProb(tensor([0]), "x" as never)).toThrow(/^hardConcreteNonZeroProb: option "constants" must be \{ beta > 0, gamma < 0, zeta > 1 \}/);
    expect(() => l0PrunedUnits({}, { ...HARD_CONCRETE, zeta: 0.5 })).toThrow(PenaltyOptionError);
  });

  it("outputInputGradientNorm names a non-tensor x or a missing forward", () => {
    expect(() => outputInputGradientNorm({}, tensor([1]), true as never)).toThrow(/^outputInputGradientNorm: option "forward" must be a function/);
    expect(() => outputInputGradientNorm({}, [[0, 1]] as never, (() => tensor([1])) as never)).toThrow(/^outputInputGradientNorm: option "x" must be a Tensor/);
    // a forward returning the params (a tree) failed reading out.shape with a TypeError (fuzz, seed 31337)
    const p = [tensor([1, 2]), tensor([3, 4])];
    expect(() => outputInputGradientNorm(p, tensor([1, 2, 3], { dtype: "float32" }), ((params: unknown) => params) as never)).toThrow(/^outputInputGradientNorm: option "forward" must return the model's output Tensor, got an array/);
  });

  it("lipschitzBound and l0Count refuse an array, null or unknown keys as options; expectedL0 bad constants", () => {
    expect(() => lipschitzBound({ w: tensor([[1, 0], [0, 2]]) }, [null] as never)).toThrow(/^lipschitzBound: option "options" must be an object/);
    expect(() => lipschitzBound({ w: tensor([[1, 0], [0, 2]]) }, { batchsize: 2 } as never)).toThrow(/^lipschitzBound: option "batchsize" is not an option of lipschitzBound/);
    expect(() => l0Count({ w: tensor([[1]]) }, null as never)).toThrow(/^l0Count: option "options" must be an object/);
    expect(() => l0Count({ w: tensor([[1]]) }, { tol: 1 } as never)).toThrow(/^l0Count: option "tol" is not an option of l0Count/);
    expect(l0Count({ w: tensor([[1, 0]]) })).toBe(1);
    expect(() => expectedL0({}, (() => 1) as never)).toThrow(/^expectedL0: option "constants"/);
  });

  it("PowerIterationVectors checks its seed, step arguments and a loaded state", () => {
    for (const bad of [{ foo: 1 }, 1.5, NaN, -1]) expect(() => new PowerIterationVectors(bad as never), String(bad)).toThrow(PenaltyOptionError);
    const pv = new PowerIterationVectors(0);
    expect(() => pv.step({ foo: 1 } as never, tensor([[1]]), 1)).toThrow(/"path" must be a parameter path string/);
    expect(() => pv.step("w", 10 as never, 1)).toThrow(/"w" must be a Tensor/);
    expect(() => pv.step("w", tensor([[1]]), 0)).toThrow(/"iterations"/);
    for (const bad of [{ keepdims: 1 }, { vectors: [1] }, { vectors: { w: [NaN] } }, null]) expect(() => pv.load(bad), JSON.stringify(bad)).toThrow(/^PowerIterationVectors\.load: option "state" must be a saved state/);
    pv.step("w", tensor([[1, 2], [3, 4]]), 2);
    const saved = pv.save();
    pv.load(saved);
    expect(pv.save()).toEqual(saved);
  });

  it("spectralNormalization's afterStep and loadState name the plugin for a bad ctx or state", () => {
    const p = spectralNormalization();
    expect(() => p.afterStep!(undefined as never)).toThrow(PluginError);
    expect(() => p.afterStep!(undefined as never)).toThrow(/^plugin "spectralNormalization" failed in afterStep: ctx must be the context fit passes/);
    expect(() => p.loadState!({ lr: -1 })).toThrow(PenaltyOptionError);
  });
});
