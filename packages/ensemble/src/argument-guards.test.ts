import { PluginError } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { EnsembleOptionError } from "./errors.js";
import { RunningTree, architectureMembers, ema, hyperparameterMembers, projectSimplex, seedMembers, swa } from "./index.js";
import { type Tensor, tensor } from "@regularize/core-autodiff";

describe("argument guards", () => {
  it("projectSimplex refuses non-finite or non-number entries instead of projecting NaN", () => {
    expect(() => projectSimplex([[1, 2], [3]] as never)).toThrow(/^projectSimplex: option "v\[0\]" must be a finite number/);
    expect(() => projectSimplex([1, NaN])).toThrow(EnsembleOptionError);
    expect(Array.from(projectSimplex([65536, 65536]))).toEqual([0.5, 0.5]);
  });

  it("seedMembers and hyperparameterMembers refuse a non-object base or grid (a string would be spread into keys)", () => {
    expect(() => seedMembers("f32" as never, [1])).toThrow(/^seedMembers: option "base" must be an object of member settings/);
    expect(() => hyperparameterMembers(0.5 as never, { lr: [1] })).toThrow(/option "base"/);
    expect(() => hyperparameterMembers({}, [[1, 2], [3]] as never)).toThrow(/^hyperparameterMembers: option "grid" must be an object/);
    expect(hyperparameterMembers({ a: 1 }, { lr: [1, 2] })).toEqual([{ a: 1, lr: 1 }, { a: 1, lr: 2 }]);
  });

  it("architectureMembers refuses a non-object base and malformed width lists", () => {
    expect(() => architectureMembers(2 ** 40 as never, [[40, 10]])).toThrow(/^architectureMembers: option "base"/);
    expect(() => architectureMembers({}, [-2, -3] as never)).toThrow(/^architectureMembers: option "widths\[0\]" must be a list of at least 2 positive integer widths/);
    expect(architectureMembers({ a: 1 }, [[40, 10]])).toEqual([{ a: 1, widths: [40, 10] }]);
  });

  it("RunningTree.set refuses a count that is not a non-negative integer", () => {
    const t = new RunningTree();
    for (const bad of [[2 ** 31], -1, 1.5, NaN]) expect(() => t.set(tensor([1]), bad as never), String(bad)).toThrow(/^RunningTree\.set: option "count"/);
    t.set(tensor([1]), 2);
    expect(t.count).toBe(2);
  });

  it("RunningTree.addToEma refuses a decay outside [0, 1], from the first call (\"mse\" was stored and NaN followed; fuzz, seed 4242)", () => {
    const t = new RunningTree();
    for (const bad of ["mse", NaN, -0.1, 1.5]) expect(() => t.addToEma("ema", tensor([1]), bad as never), String(bad)).toThrow(/^ema: option "decay"/);
    expect(t.empty).toBe(true);
    t.addToEma("ema", tensor([1]), 0.5);
    t.addToEma("ema", tensor([3]), 0.5);
    expect((t.tree() as Tensor).data[0]).toBe(2);
  });

  it("ema's hooks name the plugin and the hook for a bad ctx", () => {
    const p = ema({ decay: 0.9 });
    for (const bad of [undefined, 2 ** 40]) expect(() => p.beforeFit!(bad as never), String(bad)).toThrow(PluginError);
    expect(() => p.afterStep!(undefined as never)).toThrow(/^plugin "ema" failed in afterStep: ctx must be the context fit passes to afterStep \(an object with step, params\)/);
    const s = swa({ startEpoch: 0 });
    expect(() => s.beforeFit!(undefined as never)).toThrow(/^plugin "swa" failed in beforeFit/);
    expect(() => s.afterEpoch!(undefined as never)).toThrow(/^plugin "swa" failed in afterEpoch: ctx must be the context fit passes to afterEpoch \(an object with epoch, params\)/);
  });
});
