import { type DataArray, type Tensor, type Tree, add, full, hostCheck, matmul, mul, prngKey, scalar, tensor, treeMap } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs, expectBitsEqual } from "../test/helpers.js";
import { FitOptionsError, NonFiniteLossError, PluginError, TrainError, fitFailure } from "./errors.js";
import { fit } from "./fit.js";
import type { FitOptions, FitResult } from "./fit-options.js";
import { crossEntropyLoss } from "./losses.js";
import { mlp, type MlpParams } from "./mlp.js";
import type { Model } from "./model.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";
import { deserializeState, serializeState } from "./serialize-state.js";
import type { GradientTransformation } from "./transform.js";
import type { TrainState } from "./train-state.js";

const base: FitOptions<MlpParams> = {
  model: mlp({ widths: [4, 5, 3] }), data: blobs(12, 1), loss: "crossEntropy",
  optimizer: referenceSgd({ lr: 0.1, momentum: 0.9 }), batchSize: 4, epochs: 3, seed: 1, onNotice: () => {},
};

async function rejection(p: Promise<unknown>): Promise<Error & { state?: TrainState; params?: Tree }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

/** Same final params, and a's step rows equal b's from a's first step on (a may be a resumed run). */
function sameRun(a: FitResult, b: FitResult): void {
  expectBitsEqual(a.params, b.params);
  const from = a.history.steps[0]?.step ?? 0;
  expect(a.history.steps.map((s) => [s.step, s.loss])).toEqual(b.history.steps.filter((s) => s.step >= from).map((s) => [s.step, s.loss]));
}

describe("fit options are checked before any work", () => {
  it("rejects a misspelled option naming it and the nearest valid name", async () => {
    const e = await rejection(fit({ ...base, batchsize: 2 } as FitOptions<MlpParams>));
    expect(e).toBeInstanceOf(FitOptionsError);
    expect(e.name).toBe("FitOptionsError");
    expect((e as FitOptionsError).option).toBe("batchsize");
    expect(e.message).toMatch(/batchsize: is not an option of fit \(did you mean "batchSize"\?\)/);
    const far = await rejection(fit({ ...base, zzzzzz: 1 } as FitOptions<MlpParams>));
    expect(far.message).not.toMatch(/did you mean/);
  });

  it("rejects a validation set whose examples do not match the training set, before the first epoch", async () => {
    let started = false;
    const spy: Plugin = { name: "spy", beforeFit: () => { started = true; } };
    const wide = { x: full([6, 5], 1), y: tensor([0, 1, 2, 0, 1, 2], { dtype: "int32" }) };
    const e = await rejection(fit({ ...base, validation: wide, plugins: [spy] }));
    expect(e).toBeInstanceOf(FitOptionsError);
    expect((e as FitOptionsError).option).toBe("validation.x");
    expect(e.message).toMatch(/shape \[5\] but the training set's are \[4\]/);
    const floatLabels = { x: full([6, 4], 1), y: full([6], 0) };
    expect(((await rejection(fit({ ...base, validation: floatLabels }))) as FitOptionsError).option).toBe("validation.y");
    expect(started).toBe(false);
  });
});

/** A transform that throws from inside the step (a kernel check on its count, as a schedule does) once, at `at`. */
function throwingTransform(at: number): { plugin: Plugin; disarm: () => void } {
  let armed = true;
  const check = (c: DataArray): void => {
    if (armed && c[0] === at) throw new TrainError(`schedule returned NaN at step ${at}`);
  };
  const t: GradientTransformation<{ count: Tensor }> = {
    init: () => ({ count: scalar(0) }),
    update: (u, s) => {
      hostCheck(check, [s.count]);
      return [u, { count: add(s.count, 1) }];
    },
  };
  return { plugin: { name: "sched", transform: t as GradientTransformation<unknown> }, disarm: () => { armed = false; } };
}

describe("a resumed state is checked against the run", () => {
  it("names a parameter whose shape is not the model's, and a negative counter", async () => {
    const r = await fit({ ...base, steps: 2 });
    const other = mlp({ widths: [4, 6, 3] });
    const e = await rejection(fit({ ...base, model: other as never, initialState: r.state }));
    expect(e.name).toBe("StateError");
    expect(e.message).toMatch(/initialState\.params layers\[0\]\.b: shape \[5\], the model's is \[6\]/);
    const neg = await rejection(fit({ ...base, initialState: { ...r.state, step: -1 } }));
    expect(neg.message).toMatch(/initialState\.step: must be a non-negative integer/);
  });
});

describe("every failure carries a resumable state", () => {
  for (const compile of [true, false]) {
    it(`a step that throws inside its update (a schedule's NaN) leaves params and optimizer state bit-identical and resumes exactly, compile ${compile}`, async () => {
      const { plugin, disarm } = throwingTransform(5);
      const opts = { ...base, compile, plugins: [plugin] };
      const e = await rejection(fit(opts));
      expect(e.message).toMatch(/schedule returned NaN at step 5/);
      const f = fitFailure(e)!;
      expect(f.state!.step).toBe(5);
      expect(e.state).toBe(f.state);
      const upTo5 = await fit({ ...opts, plugins: [throwingTransform(99).plugin], steps: 5 });
      expectBitsEqual(f.state!.params, upTo5.params);
      expectBitsEqual(e.params!, upTo5.params);
      expect(serializeState(f.state!)).toEqual(serializeState(upTo5.state));
      disarm();
      const resumed = await fit({ ...opts, initialState: deserializeState(JSON.stringify(serializeState(f.state!))) });
      sameRun(resumed, await fit({ ...opts, plugins: [throwingTransform(99).plugin] }));
    });
  }

  it("a plugin throwing in afterEpoch: PluginError with a state that re-runs the epoch's close and continues bit for bit", async () => {
    let fail = true;
    const seen: number[] = [];
    const flaky: Plugin = {
      name: "flaky",
      afterEpoch: (ctx) => {
        if (ctx.epoch === 1 && fail) throw new Error("disk full");
        seen.push(ctx.epoch);
      },
    };
    const e = await rejection(fit({ ...base, plugins: [flaky] }));
    expect(e).toBeInstanceOf(PluginError);
    expect(e).toMatchObject({ plugin: "flaky", hook: "afterEpoch" });
    expect(e.state).toMatchObject({ step: 6, epoch: 1, batchInEpoch: 3, inEpoch: true });
    fail = false;
    const resumed = await fit({ ...base, plugins: [flaky], initialState: e.state! });
    expect(seen).toEqual([0, 1, 2]);
    sameRun(resumed, await fit({ ...base, plugins: [{ name: "flaky", afterEpoch: () => {} }] }));
  });

  it("a hook failing after the update counts the applied step (afterStep), one failing before does not (beforeBatch)", async () => {
    const at = (hook: "afterStep" | "beforeBatch"): Plugin => ({ name: "h", [hook]: (...a: unknown[]) => { const ctx = a.at(-1) as { step: number }; if (ctx.step === 4) throw new Error("x"); } });
    const after = await rejection(fit({ ...base, plugins: [at("afterStep")] }));
    const before = await rejection(fit({ ...base, plugins: [at("beforeBatch")] }));
    expect(after.state!.step).toBe(5);
    expect(before.state!.step).toBe(4);
    const ref = await fit({ ...base, steps: 5 });
    expectBitsEqual(after.state!.params, ref.params);
  });

  it("a beforeEpoch that fails runs again on resume", async () => {
    let fail = true;
    const calls: number[] = [];
    const p: Plugin = { name: "be", beforeEpoch: (ctx) => { if (ctx.epoch === 2 && fail) throw new Error("no"); calls.push(ctx.epoch); } };
    const e = await rejection(fit({ ...base, plugins: [p] }));
    expect(e.state).toMatchObject({ epoch: 2, inEpoch: false });
    fail = false;
    await fit({ ...base, plugins: [p], initialState: e.state! });
    expect(calls).toEqual([0, 1, 2]);
  });

  it("onError runs on every plugin: setParams sets the error's params, the state stays the last good one; its own failure is a notice", async () => {
    const zeros = (p: Tree): Tree => treeMap((t: Tensor) => mul(t, 0), p);
    const order: string[] = [];
    const restorer: Plugin = { name: "restore", onError: (err, ctx) => { order.push(`restore:${(err as Error).name}`); ctx.setParams(zeros(ctx.params)); ctx.log("restored", 1); } };
    const broken: Plugin = { name: "broken", onError: () => { order.push("broken"); throw new Error("oops"); } };
    const nan: Plugin = { name: "nan", penalty: (_p, ctx) => scalar(ctx.step === 3 ? NaN : 0) };
    const notices: string[] = [];
    const e = (await rejection(fit({ ...base, plugins: [nan, broken, restorer], onNotice: (m) => notices.push(m) }))) as NonFiniteLossError;
    expect(e).toBeInstanceOf(NonFiniteLossError);
    expect(order).toEqual(["broken", "restore:NonFiniteLossError"]);
    expect(notices.some((m) => /plugin "broken" failed in onError: oops/.test(m))).toBe(true);
    const good = await fit({ ...base, plugins: [{ name: "nan", penalty: () => scalar(0) }], steps: 3 });
    expectBitsEqual(e.state.params, good.params);
    expectBitsEqual(e.params, zeros(good.params));
    expect(e.history.summary.restored).toBe(1);
  });

  it("wraps a non-Error thrown value so it can carry the state", async () => {
    const p: Plugin = { name: "str", afterBatch: (ctx) => { if (ctx.step === 2) throw "plain string"; } };
    const e = await rejection(fit({ ...base, plugins: [p] }));
    expect(e).toBeInstanceOf(PluginError);
    expect(fitFailure(e)?.state?.step).toBe(3);
  });
});

describe("non-finite parameters after a finite update", () => {
  // `spare` does not touch the loss: an optimizer pushing it past float64's range overflows the
  // parameter without a non-finite loss, gradient or update
  type P = { w: Tensor; spare: Tensor };
  const model: Model<P> = { name: "spare", init: () => ({ w: full([4, 3], 0.1), spare: full([2], 1) }), apply: (p, x) => matmul(x, p.w) };
  const pushSpare: GradientTransformation<null> = {
    init: () => null,
    update: (g) => [{ w: mul((g as P).w, -0.1), spare: full([2], 1.5e308) }, null],
  };
  for (const compile of [true, false]) {
    it(`are reported as a NonFiniteLossError on the parameter, keeping the last good state, compile ${compile}`, async () => {
      const opts = { model, data: blobs(12, 1), loss: crossEntropyLoss, optimizer: pushSpare, batchSize: 4, steps: 5, seed: 1, compile, onNotice: () => {} };
      const e = (await rejection(fit(opts))) as NonFiniteLossError;
      expect(e).toBeInstanceOf(NonFiniteLossError);
      expect(e).toMatchObject({ step: 1, source: "parameter", leaf: "spare", value: Infinity });
      expect(e.message).toMatch(/non-finite parameter of spare \(Infinity\) at step 1/);
      expect(Array.from((e.state.params as P).spare.data)).toEqual([1.5e308 + 1, 1.5e308 + 1]);
      expectBitsEqual(e.state.params, (await fit({ ...opts, steps: 1 })).params);
    });
  }
});

describe("a value read into JS inside the compiled step", () => {
  it("is detected while recording: the run goes eager with a notice naming the loss, same results as compile: false", async () => {
    // weights each batch by its label sum read in JS: a replay would keep the first batch's weight
    function labelWeightedLoss(pred: Tensor, b: { y: Tensor }): Tensor {
      const w = Array.from(b.y.data).reduce((a, v) => a + v, 0);
      return mul(crossEntropyLoss(pred, b as never), 1 + w * 1e-3);
    }
    const notices: string[] = [];
    const opts = { ...base, loss: labelWeightedLoss, onNotice: (m: string) => notices.push(m) };
    const c = await fit(opts), e = await fit({ ...opts, compile: false });
    expect(c.compiled).toBe(false);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/value read into JS while recording.*labelWeightedLoss/);
    sameRun(c, e);
  });

  it("a plugin reading the batch into JS is named too", async () => {
    const notices: string[] = [];
    const peek: Plugin = { name: "peek", penalty: function peekPenalty(p, ctx) { return mul(scalar(ctx.batch.x.data[0]!), mul((p as MlpParams).layers[0]!.w, 0).data.length > 0 ? 1e-3 : 0); } };
    const opts = { ...base, plugins: [peek], onNotice: (m: string) => notices.push(m) };
    const c = await fit(opts), e = await fit({ ...opts, compile: false });
    expect(c.compiled).toBe(false);
    expect(notices[0]).toMatch(/peekPenalty/);
    sameRun(c, e);
  });
});
