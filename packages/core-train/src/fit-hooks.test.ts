import {
  type Tensor, type Tree, abs, add, bernoulli, mul, normal, sign, square, sub, sum, treeLeaves, treeMap, treeSquaredNorm,
} from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs, expectBitsEqual, treesDiffer } from "../test/helpers.js";
import { fit } from "./fit.js";
import { mlp } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { evaluate } from "./predict.js";
import { referenceSgd } from "./reference-sgd.js";
import type { GradientTransformation } from "./transform.js";

const model = mlp({ widths: [4, 6, 3] });
const data = blobs(12, 1);
const base = { model, data, loss: "crossEntropy" as const, batchSize: 4, seed: 2 };
const close = (a: Tree, b: Tree, tol = 1e-12) =>
  treeLeaves(a).forEach((l, j) => l.data.forEach((v, k) => expect(Math.abs(v - treeLeaves(b)[j]!.data[k]!)).toBeLessThan(tol)));

/** A sign-based preconditioner (signSGD): makes coupled L2 and decoupled decay differ. */
const signSgd = (lr: number): GradientTransformation<null> => ({ init: () => null, update: (g) => [treeMap((x) => mul(sign(x), -lr), g), null] });
const coupledL2 = (lambda: number): Plugin => ({
  name: "coupled-l2", enforce: "pre",
  transform: { init: () => null, update: (g, s, p) => [treeMap((gi, pi) => add(gi, mul(pi!, lambda)), g, p), s] },
});
const decoupledDecay = (lambda: number): Plugin => ({
  name: "decoupled-decay", enforce: "post",
  transform: { init: () => null, update: (u, s, p) => [treeMap((ui, pi) => sub(ui, mul(pi!, lambda)), u, p), s] },
});

describe("fit hooks", () => {
  it("adds penalties to the differentiated loss (λΣφ² ≡ adding 2λφ to the gradient under SGD)", async () => {
    const lambda = 0.01;
    const pen: Plugin = { name: "l2", penalty: (p) => mul(treeSquaredNorm(p), lambda) };
    const grad: Plugin = { name: "l2-grad", enforce: "pre", transform: { init: () => null, update: (g, s, p) => [treeMap((gi, pi) => add(gi, mul(pi!, 2 * lambda)), g, p), s] } };
    const a = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), epochs: 2, plugins: [pen] });
    const b = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), epochs: 2, plugins: [grad] });
    close(a.params, b.params);
    expect(a.history.steps[0]!.loss).toBeGreaterThan(a.history.steps[0]!.dataLoss);
  });

  it("runs pre transforms before the optimizer and the others after it (AdamW ≠ Adam+L2 falls out)", async () => {
    const opts = { ...base, epochs: 2 };
    // Under plain SGD, coupled L2 with λ and decoupled decay with λ' = αλ coincide …
    const l2Sgd = await fit({ ...opts, optimizer: referenceSgd({ lr: 0.1 }), plugins: [coupledL2(0.5)] });
    const wdSgd = await fit({ ...opts, optimizer: referenceSgd({ lr: 0.1 }), plugins: [decoupledDecay(0.05)] });
    close(l2Sgd.params, wdSgd.params);
    // … under a preconditioner they do not.
    const l2Sign = await fit({ ...opts, optimizer: signSgd(0.01), plugins: [coupledL2(0.5)] });
    const wdSign = await fit({ ...opts, optimizer: signSgd(0.01), plugins: [decoupledDecay(0.005)] });
    expect(treesDiffer(l2Sign.params, wdSign.params)).toBe(true);
  });

  it("wraps the objective with objective hooks, the first plugin innermost", async () => {
    const flood = (b: number): Plugin => ({ name: `flood${b}`, objective: (inner) => (p) => add(abs(sub(inner(p), b)), b) });
    const double: Plugin = { name: "double", objective: (inner) => (p) => mul(inner(p), 2) };
    const r = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 1, plugins: [flood(5), double] });
    const s = r.history.steps[0]!;
    expect(s.loss).toBeCloseTo(2 * (Math.abs(s.dataLoss - 5) + 5), 12);
  });

  it("applies site hooks in training but not in evaluation unless switched on", async () => {
    const zero: Plugin = { name: "zero-hidden", site: (h, site, ctx) => (ctx.active && site.kind === "hidden" ? mul(h, 0) : h) };
    const validation = blobs(6, 3);
    const r = await fit({ ...base, validation, optimizer: referenceSgd({ lr: 0.1 }), steps: 3, plugins: [zero] });
    // hidden units are zeroed in training, so the first layer never receives a gradient
    const init = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 0, plugins: [zero] });
    expectBitsEqual(r.params.layers[0]!, init.params.layers[0]!);
    // the validation loss is computed in eval mode, where the plugin is inactive
    expect(r.history.epochs.at(-1)!.valLoss).toBe(evaluate(model, r.params, validation, { loss: "crossEntropy" }).loss);
  });

  it("passes forwardParams-perturbed parameters to the model and gradients through them", async () => {
    const seen: number[] = [];
    const noise: Plugin = {
      name: "weight-noise",
      forwardParams: (p, ctx) => {
        seen.push(ctx.step);
        return ctx.active ? treeMap((w) => add(w, normal(ctx.key, [...w.shape], { std: 0.01 })), p) : p;
      },
    };
    const a = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 3, plugins: [noise] });
    const b = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 3 });
    expect(seen).toEqual([0, 1, 2]);
    expect(treesDiffer(a.params, b.params)).toBe(true);
    close(a.params, b.params, 0.05);
  });

  it("lets afterFit replace the returned parameters without touching the resumable state", async () => {
    let best: Tree | undefined;
    const restore: Plugin = { name: "restore", beforeFit: (ctx) => { best = ctx.params; }, afterFit: (ctx) => ctx.setParams(best!) };
    const r = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), epochs: 1, plugins: [restore] });
    expect(r.params).toBe(best);
    expect(treesDiffer(r.state.params, best!)).toBe(true);
  });

  it("rejects setParams with a different structure", async () => {
    const bad: Plugin = { name: "bad", afterStep: (ctx) => ctx.setParams({ w: (ctx.params as { layers: { w: Tensor }[] }).layers[0]!.w }) };
    await expect(fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 1, plugins: [bad] })).rejects.toMatchObject({ name: "PluginError", plugin: "bad", hook: "afterStep" });
  });

  it("lets beforeBatch replace the batch (augmentation, label noise)", async () => {
    const shapes: number[][] = [];
    const dup: Plugin = {
      name: "dup",
      beforeBatch: (b) => ({ x: add(b.x, 0), y: b.y, ...(b.indices ? { indices: b.indices } : {}) }),
      afterForward: (ctx) => shapes.push([...ctx.batch!.x.shape]),
    };
    const a = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 2, plugins: [dup] });
    const b = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 2 });
    expect(shapes).toEqual([[4, 4], [4, 4]]);
    expectBitsEqual(a.params, b.params);
  });

  it("gives penalty and objective hooks the batch, step, forward and dataLoss", async () => {
    const got: number[] = [];
    const activity: Plugin = {
      name: "activity",
      penalty: (p, ctx) => {
        got.push(ctx.step);
        const out = ctx.forward(p, ctx.batch.x);
        expect(ctx.dataLoss(p, ctx.batch).item()).toBeGreaterThan(0);
        return mul(sum(square(out)), 1e-4);
      },
    };
    await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 2, plugins: [activity], compile: false });
    expect(got).toEqual([0, 1]);
  });

  it("runs eagerly, with one notice naming the plugin, when a penalty reads a value into JS", async () => {
    const got: number[] = [];
    const notices: string[] = [];
    const activity: Plugin = {
      name: "activity",
      penalty: (p, ctx) => {
        got.push(ctx.step);
        expect(ctx.dataLoss(p, ctx.batch).item()).toBeGreaterThan(0);
        return mul(sum(square(ctx.forward(p, ctx.batch.x))), 1e-4);
      },
    };
    const r = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 3, plugins: [activity], onNotice: (m) => notices.push(m) });
    const eager = await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 3, plugins: [activity], compile: false });
    expect(r.compiled).toBe(false);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/plugin "activity" \(penalty\) cannot be recorded/);
    expect(r.notices).toEqual(notices);
    // the failed recording of step 0 ran the penalty once more, then every step ran eagerly
    expect(got.slice(0, 5)).toEqual([0, 0, 1, 2, 0]);
    expect(r.history.steps.map((s) => s.loss)).toEqual(eager.history.steps.map((s) => s.loss));
  });

  it("draws stochastic masks from the plugin's key, fresh each step", async () => {
    const masks: string[] = [];
    const drop: Plugin = {
      name: "drop",
      site: (h, site, ctx) => {
        if (!ctx.active || site.kind !== "hidden") return h;
        const m = bernoulli(ctx.key, 0.5, [...h.shape]);
        masks.push(Array.from(m.data).join(""));
        return mul(h, m);
      },
    };
    await fit({ ...base, optimizer: referenceSgd({ lr: 0.1 }), steps: 3, plugins: [drop] });
    expect(new Set(masks).size).toBe(3);
  });
});
