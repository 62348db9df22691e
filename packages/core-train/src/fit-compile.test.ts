import { type Tensor, add, astype, bernoulli, div, mul, prngKey, scalar, sum, tensor, treeMap } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs, expectBitsEqual } from "../test/helpers.js";
import { NonFiniteLossError } from "./errors.js";
import { fit } from "./fit.js";
import type { FitOptions, FitResult } from "./fit-options.js";
import { mlp, type MlpParams } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";

const model = mlp({ widths: [4, 6, 3] });
const base: FitOptions<MlpParams> = {
  model, data: blobs(12, 1), loss: "crossEntropy", optimizer: referenceSgd({ lr: 0.1, momentum: 0.9 }),
  batchSize: 4, steps: 9, seed: 3, onNotice: () => {},
};

function sameRun(a: FitResult, b: FitResult): void {
  expectBitsEqual(a.params, b.params);
  expect(a.history.steps.map((s) => [s.loss, s.dataLoss, s.gradNorm])).toEqual(b.history.steps.map((s) => [s.loss, s.dataLoss, s.gradNorm]));
}

// a dropout-like site hook drawing from its key, and a penalty: the common recordable plugins
const drop: Plugin = {
  name: "drop",
  site: (h, _s, ctx) => (ctx.active ? div(mul(h, bernoulli(ctx.key, 0.8, [...h.shape], { dtype: h.dtype === "float32" ? "float32" : "float64" })), 0.8) : h),
};
const w0 = (p: unknown): Tensor => (p as MlpParams).layers[0]!.w;
const pen: Plugin = { name: "pen", penalty: (p) => mul(sum(mul(w0(p), w0(p))), 1e-3) };

// a penalty whose weight grows by one each step: the count is step state (a tensor), not a JS number
const growing: Plugin = {
  name: "growing",
  stepState: { init: () => ({ c: scalar(1) }) },
  penalty: (p, ctx) => {
    const c = (ctx.state as { c: Tensor }).c;
    ctx.setState!({ c: add(c, 1) });
    return mul(mul(sum(mul(w0(p), w0(p))), 1e-3), astype(c, w0(p).dtype));
  },
};

describe("fit compiled", () => {
  it("threads a plugin's stepState through the recording: replays bit-identically to compile: false, commits it with the update", async () => {
    const c = await fit({ ...base, plugins: [growing] }), e = await fit({ ...base, plugins: [growing], compile: false });
    expect(c.compiled).toBe(true);
    expect(c.notices).toEqual([]);
    sameRun(c, e);
    expect((c.state.stepStates!.growing as { c: Tensor }).c.item()).toBe(1 + base.steps!);
    // a step cancelled before its update keeps the state as it was
    const skip: Plugin = { name: "skip", beforeStep: (ctx) => { if (ctx.step === 0) ctx.cancel("batch"); } };
    const s = await fit({ ...base, plugins: [growing, skip] });
    expect((s.state.stepStates!.growing as { c: Tensor }).c.item()).toBe(base.steps!);
  });

  for (const dtype of ["float64", "float32"] as const) {
    it(`records once and replays bit-identically to compile: false, with plugins, ${dtype}`, async () => {
      const data = { x: astype(base.data.x, dtype), y: base.data.y };
      const params = treeMap((t: Tensor) => astype(t, dtype), model.init(prngKey(5))) as MlpParams;
      const opts = { ...base, data, params, plugins: [drop, pen] };
      const c = await fit(opts), e = await fit({ ...opts, compile: false });
      expect(c.compiled).toBe(true);
      expect(c.notices).toEqual([]);
      expect(e.compiled).toBe(false);
      sameRun(c, e);
    });
  }

  it("records the step as two halves around mid-step hooks, which see the step's grads", async () => {
    const seen: number[] = [];
    const watcher: Plugin = { name: "watch", afterLoss: (ctx) => { seen.push(w0(ctx.grads).data[0]!); } };
    const c = await fit({ ...base, plugins: [drop, watcher] }), e = await fit({ ...base, plugins: [drop, watcher], compile: false });
    expect(c.compiled).toBe(true);
    sameRun(c, e);
    expect(seen.slice(0, 9)).toEqual(seen.slice(9));
  });

  it("runs eagerly with one notice when a plugin reads ctx.step while recorded", async () => {
    const notices: string[] = [];
    const stepwise: Plugin = { name: "stepwise", penalty: (p, ctx) => mul(sum(w0(p)), ctx.step * 1e-3) };
    const c = await fit({ ...base, plugins: [stepwise], onNotice: (m) => notices.push(m) });
    const e = await fit({ ...base, plugins: [stepwise], compile: false });
    expect(c.compiled).toBe(false);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/plugin "stepwise" read ctx\.step/);
    sameRun(c, e);
  });

  it("runs eagerly with a notice naming a plugin that declares compile: false", async () => {
    const notices: string[] = [];
    const c = await fit({ ...base, plugins: [{ name: "opaque", compile: false, penalty: () => scalar(0) }], onNotice: (m) => notices.push(m) });
    expect(c.compiled).toBe(false);
    expect(notices).toEqual([expect.stringMatching(/plugin "opaque" declares compile: false/)]);
  });

  it("stops a compiled run on a NaN with the last good parameters intact (the replay throws before writing them)", async () => {
    // the NaN comes from the data, so the step itself stays recordable
    const x = base.data.x.toFlatArray() as number[];
    const poisoned = { x: tensor(x.map((v, i) => (i === 4 * 9 ? NaN : v)), { shape: [12, 4] }), y: base.data.y };
    let err: unknown;
    try {
      await fit({ ...base, data: poisoned, shuffle: false, steps: 12 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteLossError);
    const good = await fit({ ...base, data: poisoned, shuffle: false, steps: 2, compile: false });
    expect((err as NonFiniteLossError).step).toBe(2);
    expectBitsEqual((err as NonFiniteLossError).params, good.params);
  });

  it("reports steps per second in progress", async () => {
    const rates: number[] = [];
    await fit({ ...base, steps: 20, progressEvery: 5, onProgress: (p) => rates.push(p.stepsPerSecond) });
    expect(rates.length).toBeGreaterThanOrEqual(4);
    expect(rates.every((r) => Number.isFinite(r) && r > 0)).toBe(true);
  });
});
