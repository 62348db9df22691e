import { describe, expect, it } from "vitest";
import { blobs, recorder } from "../test/helpers.js";
import { fit } from "./fit.js";
import { mlp } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";

const base = { model: mlp({ widths: [4, 3] }), data: blobs(8), loss: "crossEntropy" as const, optimizer: referenceSgd({ lr: 0.1 }), batchSize: 4, seed: 1 };
const STEP = ["beforeBatch", "afterForward", "afterLoss", "beforeStep", "afterStep", "afterBatch"];
const strip = (log: string[]) => log.map((l) => l.split(":")[1]!);

describe("fit events", () => {
  it("fires beforeFit … afterFit in fastai order", async () => {
    const log: string[] = [];
    await fit({ ...base, epochs: 2, plugins: [recorder("r", log)] });
    const epoch = ["beforeEpoch", ...STEP, ...STEP, "afterEpoch"];
    expect(strip(log)).toEqual(["beforeFit", ...epoch, ...epoch, "afterFit"]);
  });

  it("skips the rest of the batch but runs afterBatch when a hook cancels the batch", async () => {
    const log: string[] = [];
    const r = await fit({
      ...base, epochs: 1,
      plugins: [recorder("r", log, (e, ctx) => { if (e === "afterForward" && ctx.step === 0) ctx.cancel("batch"); })],
    });
    expect(strip(log)).toEqual(["beforeFit", "beforeEpoch", "beforeBatch", "afterForward", "afterBatch", ...STEP, "afterEpoch", "afterFit"]);
    expect(r.state.step).toBe(2);
    expect(r.stopped).toBe("completed");
  });

  it("does not update the parameters when beforeStep cancels every batch", async () => {
    const { prngKey } = await import("@regularize/core-autodiff");
    const params = base.model.init(prngKey(3));
    const r = await fit({ ...base, params, epochs: 2, plugins: [{ name: "freeze", beforeStep: (ctx) => ctx.cancel("batch") }] });
    expect(r.params).toBe(params);
    expect(r.history.steps).toHaveLength(4); // losses are still recorded
  });

  it("ends the epoch after afterBatch and afterEpoch when a hook cancels the epoch", async () => {
    const log: string[] = [];
    await fit({ ...base, epochs: 2, plugins: [recorder("r", log, (e, ctx) => { if (e === "beforeBatch" && ctx.epoch === 0) ctx.cancel("epoch"); })] });
    expect(strip(log)).toEqual(["beforeFit", "beforeEpoch", "beforeBatch", "afterBatch", "afterEpoch", "beforeEpoch", ...STEP, ...STEP, "afterEpoch", "afterFit"]);
  });

  it("stops the fit but still runs afterBatch, afterEpoch and afterFit when a hook cancels the fit", async () => {
    const log: string[] = [];
    const r = await fit({ ...base, epochs: 5, plugins: [recorder("r", log, (e, ctx) => { if (e === "afterStep" && ctx.step === 2) ctx.cancel("fit"); })] });
    expect(strip(log).slice(-4)).toEqual(["afterStep", "afterBatch", "afterEpoch", "afterFit"]);
    expect(r.stopped).toBe("cancelled");
    expect(r.state.step).toBe(3);
  });

  it("skips the epochs but runs afterFit when beforeFit cancels the fit", async () => {
    const log: string[] = [];
    const r = await fit({ ...base, epochs: 3, plugins: [recorder("r", log, (e, ctx) => { if (e === "beforeFit") ctx.cancel("fit"); })] });
    expect(strip(log)).toEqual(["beforeFit", "afterFit"]);
    expect(r.stopped).toBe("cancelled");
  });

  it("lets every plugin see an after* event but stops a before* event at the first cancel", async () => {
    const log: string[] = [];
    const canceller: Plugin = { name: "a", beforeBatch: (_b, ctx) => ctx.cancel("batch"), afterEpoch: (ctx) => ctx.cancel("fit") };
    await fit({ ...base, epochs: 3, plugins: [canceller, recorder("b", log)] });
    expect(strip(log)).toEqual(["beforeFit", "beforeEpoch", "afterBatch", "afterBatch", "afterEpoch", "afterFit"]);
  });

  it("awaits async fit- and epoch-level hooks in order", async () => {
    const log: string[] = [];
    const slow = (name: string): Plugin => ({
      name,
      beforeFit: async () => { await new Promise((r) => setTimeout(r, 5)); log.push(`${name}:beforeFit`); },
      afterEpoch: async () => { await new Promise((r) => setTimeout(r, 1)); log.push(`${name}:afterEpoch`); },
      afterFit: async () => { log.push(`${name}:afterFit`); },
    });
    await fit({ ...base, epochs: 1, plugins: [slow("a"), slow("b")] });
    expect(log).toEqual(["a:beforeFit", "b:beforeFit", "a:afterEpoch", "b:afterEpoch", "a:afterFit", "b:afterFit"]);
  });

  it("orders plugins by enforce (pre, normal, post), then order, then registration", async () => {
    const log: string[] = [];
    const plugins = [
      recorder("post", log, undefined, { enforce: "post" }),
      recorder("n2", log, undefined, { order: 2 }),
      recorder("n1a", log, undefined, { order: 1 }),
      recorder("pre", log, undefined, { enforce: "pre", order: 10 }),
      recorder("n1b", log, undefined, { order: 1 }),
      recorder("n0", log),
    ];
    await fit({ ...base, epochs: 0, plugins });
    expect(log.filter((l) => l.endsWith(":beforeFit")).map((l) => l.split(":")[0])).toEqual(["pre", "n0", "n1a", "n1b", "n2", "post"]);
  });

  it("gives hooks the batch, loss, prediction, gradients and epoch metrics at the right events", async () => {
    const seen: Record<string, unknown> = {};
    const spy: Plugin = {
      name: "spy",
      beforeBatch: (batch, ctx) => { seen.batchRows = batch.x.shape[0]; seen.lossBefore = ctx.loss; },
      afterForward: (ctx) => { seen.pred = ctx.pred?.shape; seen.dataLoss = ctx.dataLoss; },
      afterLoss: (ctx) => { seen.loss = ctx.loss; seen.grads = ctx.grads !== undefined; },
      afterEpoch: (ctx) => { seen.metrics = Object.keys(ctx.metrics ?? {}).sort(); seen.event = ctx.event; seen.spe = ctx.stepsPerEpoch; seen.total = ctx.totalSteps; },
    };
    await fit({ ...base, validation: blobs(6, 9), epochs: 1, plugins: [spy] });
    expect(seen).toMatchObject({ batchRows: 4, lossBefore: undefined, pred: [4, 3], grads: true, event: "afterEpoch", spe: 2, total: 2 });
    expect(seen.loss).toBe(seen.dataLoss);
    expect(seen.metrics).toEqual(["trainDataLoss", "trainLoss", "valAccuracy", "valLoss"]);
  });

  it("puts ctx.log values in the step, epoch and summary records", async () => {
    const r = await fit({
      ...base, epochs: 1,
      plugins: [{
        name: "logger",
        beforeFit: (ctx) => ctx.log("started", 1),
        afterStep: (ctx) => ctx.log("twice", 2 * ctx.step),
        afterEpoch: (ctx) => ctx.log("lossTimes10", 10 * (ctx.metrics?.trainLoss ?? 0)),
      }],
    });
    expect(r.history.steps.map((s) => s.twice)).toEqual([0, 2]);
    expect(r.history.epochs[0]!.lossTimes10).toBeCloseTo(10 * r.history.epochs[0]!.trainLoss!, 12);
    expect(r.history.summary).toEqual({ started: 1 });
  });
});
