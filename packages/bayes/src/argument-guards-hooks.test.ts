import { PluginError } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { gaussianNllLoss, klAnnealing, posteriorSamples, reluFeatures, sghmc, sgld } from "./index.js";
import { BayesArgumentError, MemoryLimitError } from "./errors.js";
import { prngKey, tensor } from "@regularize/core-autodiff";

describe("sgld/sghmc update and hyperparams: argument guards", () => {
  it("name the transform and the state or grads argument", () => {
    for (const t of [sgld({ learningRate: 0.01, dataSize: 10 }), sghmc({ learningRate: 0.01, dataSize: 10 })]) {
      const params = { w: tensor([1, 2]) };
      const state = t.init(params);
      expect(() => t.update(params, "mse" as never, params, 0)).toThrow(/argument "state" update: must be what init returned/);
      expect(() => t.update(params, undefined as never, params, 0)).toThrow(BayesArgumentError);
      expect(() => t.update(null as never, state, params, 0, prngKey(0))).toThrow(/argument "grads"/);
      expect(() => t.hyperparams!({} as never, 0)).toThrow(/argument "state" hyperparams/);
    }
  });
});

describe("number guards describe any value", () => {
  it("a null-prototype object in a number argument is named, not a TypeError from the message", () => {
    expect(() => klAnnealing(Object.create(null) as never)).toThrow(/argument "steps" must be an integer ≥ 1, got an object/);
    expect(() => gaussianNllLoss(Object.create(null) as never)).toThrow(BayesArgumentError);
    expect(() => reluFeatures({} as never, 2)).toThrow(/argument "x" must be an array of numbers/);
  });

  it("error constructors called with a null-prototype object or a Symbol still build their message (fuzz, seed 271828)", () => {
    const e = new MemoryLimitError(Object.create(null) as never, (() => 1) as never, ["a"] as never, Object.create(null) as never);
    expect(e.message).toMatch(/^an object.*: .* would need a/);
    expect(new BayesArgumentError(Symbol("s") as never, Object.create(null) as never, "m").fn).toBe("Symbol(s)");
  });

  it("klAnnealing's schedule names a step that is not a non-negative integer (an object gave NaN or a TypeError)", () => {
    const s = klAnnealing(4);
    expect([s(0), s(1), s(3), s(10)]).toEqual([0.25, 0.5, 1, 1]);
    for (const [k, bad] of [Object.create(null), { x: 1 }, -1, 1.5, NaN].entries()) expect(() => s(bad as never), `case ${k}`).toThrow(/^klAnnealing: argument "step" must be an integer ≥ 0/);
  });
});

describe("gaussianNllLoss: argument guard", () => {
  it("names the batch argument of the returned loss", () => {
    const loss = gaussianNllLoss(1);
    expect(() => loss(tensor([1]), undefined as never)).toThrow(BayesArgumentError);
    expect(() => loss(tensor([1]), 0.5 as never)).toThrow(/argument "batch" must be the batch \{ x, y \}/);
    expect(loss(tensor([1]), { x: tensor([0]), y: tensor([3]) }).item()).toBe(2);
  });
});

describe("posteriorSamples hooks: argument guards", () => {
  it("name the plugin and the hook for a bad ctx or a state it did not save", () => {
    const p = posteriorSamples();
    expect(() => p.beforeFit!(undefined as never)).toThrow(PluginError);
    expect(() => p.afterStep!({ dtype: "int32" } as never)).toThrow(/^plugin "posteriorSamples" failed in afterStep: ctx must be the context fit passes to afterStep \(an object with step, params\)/);
    for (const bad of [undefined, {}, { samples: [1], steps: [] }]) expect(() => p.loadState!(bad), JSON.stringify(bad)).toThrow(/failed in loadState: not a state saved by posteriorSamples/);
    p.loadState!({ samples: [], steps: [] });
    expect(p.result().samples).toEqual([]);
  });
});
