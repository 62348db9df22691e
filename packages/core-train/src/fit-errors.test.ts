import { abs, full, mul, prngKey, scalar, sqrt, sum, tensor, treeMap, type Tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs, expectBitsEqual } from "../test/helpers.js";
import { FitOptionsError, NonFiniteLossError, PluginError } from "./errors.js";
import { fit } from "./fit.js";
import type { FitOptions } from "./fit-options.js";
import { mlp, type MlpParams } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";

const base: FitOptions<MlpParams> = {
  model: mlp({ widths: [4, 5, 3] }), data: blobs(12, 1), loss: "crossEntropy",
  optimizer: referenceSgd({ lr: 0.1, momentum: 0.9 }), batchSize: 4, epochs: 3, seed: 1,
};

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

describe("fit errors", () => {
  it("stops on a NaN loss with the last good parameters and a resumable state", async () => {
    const nanAt3: Plugin = { name: "nan", penalty: (_p, ctx) => scalar(ctx.step === 3 ? NaN : 0) };
    const err = await rejection(fit({ ...base, plugins: [nanAt3] }));
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect(e).toMatchObject({ step: 3, source: "loss", leaf: undefined });
    expect(e.message).toMatch(/non-finite loss \(NaN\) at step 3/);
    const good = await fit({ ...base, plugins: [{ name: "nan", penalty: () => scalar(0) }], steps: 3 });
    expectBitsEqual(e.params, good.params);
    expectBitsEqual(e.state.params, good.params);
    expect(e.state.optimizer).toEqual(good.state.optimizer);
    expect(e.state.step).toBe(3);
    expect(e.history.steps).toHaveLength(3);
  });

  it("names the parameter leaf whose gradient is not finite", async () => {
    // √|0·w| has value 0 but an infinite slope, so ∂/∂w = ∞·0 = NaN
    const kink: Plugin = { name: "kink", penalty: (p) => sum(sqrt(abs(mul((p as MlpParams).layers[1]!.w, 0)))) };
    const e = (await rejection(fit({ ...base, plugins: [kink] }))) as NonFiniteLossError;
    expect(e).toBeInstanceOf(NonFiniteLossError);
    expect(e).toMatchObject({ step: 0, source: "gradient", leaf: "layers[1].w" });
  });

  it("does not apply a step whose update is not finite and leaves the optimizer state as it was", async () => {
    const blowUp: Plugin = {
      name: "blow-up",
      transform: { init: () => 0, update: (u, s: number, _p, step) => [step === 2 ? treeMap((x) => full(x.shape, Infinity), u) : u, s + 1] },
    };
    const e = (await rejection(fit({ ...base, plugins: [blowUp] }))) as NonFiniteLossError;
    expect(e).toMatchObject({ step: 2, source: "update", value: Infinity });
    expect(e.leaf).toMatch(/^layers\[\d\]\.[bw]$/);
    expect(e.state.transforms["blow-up"]).toBe(2);
    const good = await fit({ ...base, steps: 2, plugins: [{ ...blowUp }] });
    expectBitsEqual(e.params, good.params);
    expect(e.state.optimizer).toEqual(good.state.optimizer);
  });

  it("keeps going through NaN when checkFinite is false", async () => {
    const nan: Plugin = { name: "nan", penalty: (_p, ctx) => scalar(ctx.step === 0 ? NaN : 0) };
    const r = await fit({ ...base, plugins: [nan], steps: 2, checkFinite: false });
    expect(r.history.steps[0]!.loss).toBeNaN();
  });

  const bad: [string, Partial<FitOptions<MlpParams>>, string][] = [
    ["batchSize 0", { batchSize: 0 }, "batchSize"],
    ["a fractional batchSize", { batchSize: 2.5 }, "batchSize"],
    ["a negative epoch count", { epochs: -1 }, "epochs"],
    ["neither epochs nor steps", { epochs: undefined as never }, "epochs"],
    ["x and y of different lengths", { data: { x: blobs(12).x, y: tensor([0, 1], { dtype: "int32" }) } }, "data"],
    ["a validation set of different lengths", { validation: { x: blobs(6).x, y: tensor([0], { dtype: "int32" }) } }, "validation"],
    ["an unknown loss", { loss: "hinge" as never }, "loss"],
    ["a missing optimizer", { optimizer: undefined as never }, "optimizer"],
    ["both key and seed", { key: prngKey(1), seed: 1 }, "seed"],
    ["duplicate plugin names", { plugins: [{ name: "a" }, { name: "a" }] }, "plugins[1].name"],
    ["an empty plugin name", { plugins: [{ name: "" }] }, "plugins[0].name"],
    ["a bad enforce", { plugins: [{ name: "a", enforce: "first" as never }] }, "plugins[0].enforce"],
    ["a transform without update", { plugins: [{ name: "a", transform: { init: () => 0 } as never }] }, "plugins[0].transform"],
  ];
  for (const [what, patch, option] of bad) {
    it(`rejects ${what} before any work with a FitOptionsError naming "${option}"`, async () => {
      let started = false;
      const spy: Plugin = { name: "spy-start", beforeFit: () => { started = true; } };
      const plugins = [...(patch.plugins ?? []), spy];
      const e = await rejection(fit({ ...base, ...patch, plugins } as FitOptions<MlpParams>));
      expect(e).toBeInstanceOf(FitOptionsError);
      expect((e as FitOptionsError).option).toBe(option);
      expect(started).toBe(false);
    });
  }

  it("wraps an exception thrown by a hook in a PluginError naming the plugin and hook", async () => {
    const boom: Plugin = { name: "boom", afterLoss: () => { throw new RangeError("nope"); } };
    const e = (await rejection(fit({ ...base, plugins: [boom] }))) as PluginError;
    expect(e).toBeInstanceOf(PluginError);
    expect(e).toMatchObject({ plugin: "boom", hook: "afterLoss" });
    expect(e.message).toBe(`plugin "boom" failed in afterLoss: nope`);
    expect(e.cause).toBeInstanceOf(RangeError);
  });

  it("rejects an async batch-level hook instead of silently dropping its promise", async () => {
    const asyncStep: Plugin = { name: "async-step", afterStep: (async () => {}) as never };
    await expect(fit({ ...base, plugins: [asyncStep] })).rejects.toThrow(/plugin "async-step" failed in afterStep: returned a promise; batch-level hooks must be synchronous/);
    const asyncBatch: Plugin = { name: "async-batch", beforeBatch: (async () => {}) as never };
    await expect(fit({ ...base, plugins: [asyncBatch] })).rejects.toMatchObject({ plugin: "async-batch", hook: "beforeBatch" });
  });

  it("rejects a penalty that is not a scalar", async () => {
    const vec: Plugin = { name: "vec", penalty: (p) => (p as MlpParams).layers[0]!.w as Tensor };
    await expect(fit({ ...base, plugins: [vec] })).rejects.toMatchObject({ name: "PluginError", plugin: "vec", hook: "penalty" });
  });
});
