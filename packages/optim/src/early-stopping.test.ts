import type { Tensor, Tree } from "@regularize/core-autodiff";
import { type FitResult, NonFiniteLossError, PluginError, type TrainState, deserializeState, fit, serializeState, shallowNet } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { toyTrainX, toyTrainY, toyValidation } from "../test/fixtures/toy.js";
import { expectSameBits } from "../test/helpers.js";
import { sgd } from "./aliases.js";
import { earlyStopping } from "./early-stopping.js";
import { OptionError } from "./errors.js";

// Figure 9.6's setting: the 14-unit simplified network, SGD with batch 5 and lr 0.05 on the
// sum-of-squares loss, 15 noisy training points; validation = 15 fresh points from the same
// generator. The validation loss bottoms out after ~2 000 steps and rises as the net overfits.
const data = { x: toyTrainX, y: toyTrainY };
const validation = toyValidation();
const base = { model: shallowNet(), data, loss: "sse" as const, batchSize: 5, seed: 1, yieldEveryMs: 1e9 };
const valLosses = (r: FitResult<Tree>) => r.history.steps.flatMap((s) => (s["earlyStopping/valLoss"] !== undefined ? [s["earlyStopping/valLoss"]] : []));
const valOf = (r: FitResult<Tree>, params: Tree) => {
  // the same number fit's evaluate computes: SSE of the model on the validation set
  const pred = shallowNet().apply(params as never, validation.x) as Tensor;
  return pred.toFlatArray().reduce((s, v, i) => s + (v - validation.y.data[i]!) ** 2, 0);
};

describe("earlyStopping", () => {
  it("restores the best validation parameters when patience never runs out", async () => {
    const es = earlyStopping({ every: 100, validation });
    const r = await fit({ ...base, optimizer: sgd({ learningRate: 0.05 }), steps: 4000, plugins: [es] });
    const best = es.best!;
    expect(es.stoppedEarly).toBe(false);
    expect(r.stopped).toBe("completed");
    // the validation loss has a minimum well inside the run and is higher at the end
    expect(best.step).toBeGreaterThan(0);
    expect(best.step).toBeLessThan(4000);
    expect(best.value).toBe(Math.min(...valLosses(r)));
    expect(valOf(r, r.state.params)).toBeGreaterThan(best.value * 1.05);
    // returned params are the best ones, not the last ones
    expectSameBits(r.params, best.params);
    expect(Math.abs(valOf(r, r.params) - best.value)).toBeLessThan(1e-12 * best.value);
    expect(r.history.summary["earlyStopping/bestStep"]).toBe(best.step);
    expect(r.history.summary["earlyStopping/stoppedEarly"]).toBe(0);
  });

  it("cancels the fit when patience runs out and still restores the best parameters", async () => {
    const es = earlyStopping({ every: 100, patience: 5 });
    const r = await fit({ ...base, validation, optimizer: sgd({ learningRate: 0.05 }), steps: 20000, plugins: [es] });
    expect(es.stoppedEarly).toBe(true);
    expect(r.stopped).toBe("cancelled");
    // the fit ended 5 evaluations (500 steps) after the best one
    expect(r.state.step).toBe(es.best!.step + 500);
    expectSameBits(r.params, es.best!.params);
    expect(r.history.summary["earlyStopping/stoppedEarly"]).toBe(1);
  });

  it("restores exactly the parameters of the best step (constructed metric with its minimum after 8 steps)", async () => {
    const es = earlyStopping({ every: 1, metric: (_p, ctx) => Math.abs(ctx.step + 1 - 8) });
    const r = await fit({ ...base, optimizer: sgd({ learningRate: 0.05 }), steps: 20, plugins: [es] });
    expect(es.best!.step).toBe(8);
    const eight = await fit({ ...base, optimizer: sgd({ learningRate: 0.05 }), steps: 8 });
    expectSameBits(r.params, eight.params);
  });

  it("keeps the initial parameters when validation only gets worse", async () => {
    const es = earlyStopping({ every: 1, metric: (_p, ctx) => ctx.step + 1 });
    const r = await fit({ ...base, optimizer: sgd({ learningRate: 0.05 }), steps: 5, plugins: [es] });
    expect(es.best!.step).toBe(0);
    const none = await fit({ ...base, optimizer: sgd({ learningRate: 0.05 }), steps: 0 });
    expectSameBits(r.params, none.params);
  });

  it("validates at epoch ends by default, reusing fit's valLoss", async () => {
    const es = earlyStopping();
    const r = await fit({ ...base, validation, optimizer: sgd({ learningRate: 0.05 }), epochs: 600, plugins: [es] });
    const vals = r.history.epochs.map((e) => e.valLoss!);
    expect(es.best!.value).toBe(Math.min(...vals));
    expect(es.best!.step % 3).toBe(0);
  });

  it("resumes from saveState bit for bit with early stopping active", async () => {
    const opts = { ...base, validation, optimizer: sgd({ learningRate: 0.05, momentum: 0.5 }), steps: 3000 };
    const full = earlyStopping({ every: 50, patience: 12 });
    const uninterrupted = await fit({ ...opts, plugins: [full] });
    const first = earlyStopping({ every: 50, patience: 12 });
    const part = await fit({ ...opts, steps: 1234, plugins: [first] });
    // through JSON, as a checkpoint file would be
    const restored = deserializeState(JSON.stringify(serializeState(part.state)));
    const second = earlyStopping({ every: 50, patience: 12 });
    const { seed: _seed, ...noSeed } = opts;
    const resumed = await fit({ ...noSeed, initialState: restored, plugins: [second] });
    expect(second.best!.step).toBe(full.best!.step);
    expect(second.best!.value).toBe(full.best!.value);
    expect(second.stoppedEarly).toBe(full.stoppedEarly);
    // the run crosses the interruption with a pending wait and stops on patience afterwards
    expect(full.stoppedEarly).toBe(true);
    expect(uninterrupted.state.step).toBeGreaterThan(1234);
    expect(resumed.state.step).toBe(uninterrupted.state.step);
    expectSameBits(resumed.params, uninterrupted.params);
    expectSameBits(resumed.state.params, uninterrupted.state.params);
    expect(resumed.history.summary).toEqual(uninterrupted.history.summary);
  });

  it("fails with a clear error without a validation set, and validates options", async () => {
    await expect(fit({ ...base, optimizer: sgd({ learningRate: 0.05 }), steps: 5, plugins: [earlyStopping({ every: 1 })] })).rejects.toThrow(PluginError);
    await expect(fit({ ...base, optimizer: sgd({ learningRate: 0.05 }), steps: 5, plugins: [earlyStopping({ every: 1 })] })).rejects.toThrow(/validation/);
    expect(() => earlyStopping({ patience: 0 })).toThrow(OptionError);
    expect(() => earlyStopping({ every: 1.5 })).toThrow(/every/);
    expect(() => earlyStopping({ metric: "loss" as never })).toThrow(/metric/);
    expect(() => earlyStopping().loadState({ nope: 1 })).toThrow(/loadState/);
  });
});

describe("earlyStopping when the run diverges", () => {
  // a learning rate that jumps to 1e6 after 40 steps makes the loss overflow a few steps later
  const diverging = () => sgd({ learningRate: (step: number) => (step < 40 ? 0.05 : 1e6) });

  it("restores the best parameters into the NonFiniteLossError (onError), whose state stays the last good one", async () => {
    const es = earlyStopping({ every: 5, validation });
    let err: unknown;
    try {
      await fit({ ...base, optimizer: diverging(), steps: 200, plugins: [es], onNotice: () => {} });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const e = err as NonFiniteLossError;
    expect(e.step).toBeGreaterThan(40);
    expect(es.best!.step).toBeLessThanOrEqual(45);
    expectSameBits(e.params, es.best!.params);
    expect(e.state.step).toBe(e.step);
    expect(e.history.summary["earlyStopping/bestStep"]).toBe(es.best!.step);
  });

  it("with checkFinite: false, a non-finite validation value stops the fit and the best parameters are returned", async () => {
    const es = earlyStopping({ every: 5, validation });
    const r = await fit({ ...base, optimizer: diverging(), steps: 400, plugins: [es], checkFinite: false, onNotice: () => {} });
    expect(r.stopped).toBe("cancelled");
    expect(es.stoppedEarly).toBe(true);
    expect(r.history.steps.some((s) => s["earlyStopping/diverged"] !== undefined)).toBe(true);
    expectSameBits(r.params, es.best!.params);
    expect(Number.isFinite(valOf(r, r.params))).toBe(true);
  });

  it("a schedule returning NaN fails with UsageError carrying a resumable state", async () => {
    let bad = true;
    const opt = () => sgd({ learningRate: (step: number) => (bad && step === 7 ? NaN : 0.05) });
    const es = earlyStopping({ every: 5, validation });
    let err: (Error & { state?: TrainState }) | undefined;
    try {
      await fit({ ...base, optimizer: opt(), steps: 20, plugins: [es], onNotice: () => {} });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe("UsageError");
    expect(err?.message).toMatch(/learningRate schedule returned NaN at step 7/);
    expect(err?.state?.step).toBe(7);
    bad = false;
    const resumed = await fit({ ...base, optimizer: opt(), steps: 20, plugins: [earlyStopping({ every: 5, validation })], initialState: err!.state!, onNotice: () => {} });
    const straight = await fit({ ...base, optimizer: opt(), steps: 20, plugins: [earlyStopping({ every: 5, validation })], onNotice: () => {} });
    expectSameBits(resumed.params, straight.params);
  });
});
