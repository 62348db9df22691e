import { bernoulli, mul, prngKey, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs } from "../test/helpers.js";
import { FitOptionsError } from "./errors.js";
import { mlp } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { accuracy, evaluate, predict } from "./predict.js";

const model = mlp({ widths: [4, 16, 3] });
const params = model.init(prngKey(1));
const x = blobs(6).x;
const dropout: Plugin = { name: "dropout", site: (h, s, ctx) => (ctx.active && s.kind === "hidden" ? mul(h, mul(bernoulli(ctx.key, 0.5, [...h.shape]), 2)) : h) };
const noise: Plugin = { name: "noise", site: (h, s, ctx) => (ctx.active && s.kind === "input" ? mul(h, 0) : h) };
const data = (t: ReturnType<typeof predict>) => Array.from(t.data);

describe("predict", () => {
  it("names a model that is not a Model (a plain function has an apply too) and an x that is not a Tensor", () => {
    const fn = (() => 0) as unknown as typeof model;
    expect(() => predict(fn, params, x)).toThrow(FitOptionsError);
    expect(() => predict(fn, params, x)).toThrow(/model/);
    expect(() => predict(model, params, "float" as never)).toThrow(/x: must be a Tensor|x.*Tensor/);
  });
  it("leaves stochastic layers off in eval mode: the output equals the bare model and ignores the key", () => {
    const bare = data(model.apply(params, x));
    expect(data(predict(model, params, x, { plugins: [dropout], key: prngKey(1) }))).toEqual(bare);
    expect(data(predict(model, params, x, { plugins: [dropout], key: prngKey(2) }))).toEqual(bare);
  });

  it("switches on only the plugins listed in activate (MC dropout flips nothing else)", () => {
    const bare = data(model.apply(params, x));
    const a = data(predict(model, params, x, { plugins: [dropout, noise], activate: ["dropout"], key: prngKey(1) }));
    const b = data(predict(model, params, x, { plugins: [dropout, noise], activate: ["dropout"], key: prngKey(2) }));
    expect(a).not.toEqual(bare);
    expect(a).not.toEqual(b);
    // the input-zeroing plugin stayed off: switched on, it makes every row the same bias-only output
    const inputsZeroed = data(predict(model, params, x, { plugins: [dropout, noise], activate: ["noise"] }));
    expect(inputsZeroed.slice(0, 3)).toEqual(inputsZeroed.slice(3, 6));
    expect(a.slice(0, 3)).not.toEqual(a.slice(3, 6));
  });

  it("is a pure function of the key in train mode", () => {
    const a = predict(model, params, x, { plugins: [dropout], mode: "train", key: prngKey(5) });
    const b = predict(model, params, x, { plugins: [dropout], mode: "train", key: prngKey(5) });
    expect(data(a)).toEqual(data(b));
  });

  it("rejects activating a plugin it was not given, and an unknown mode", () => {
    expect(() => predict(model, params, x, { plugins: [dropout], activate: ["drop"] })).toThrow(FitOptionsError);
    expect(() => predict(model, params, x, { mode: "test" as never })).toThrow(/mode/);
  });
});

describe("evaluate", () => {
  it("returns the loss on the whole set and the accuracy for labels", () => {
    const set = blobs(9, 4);
    const r = evaluate(model, params, set, { loss: "crossEntropy" });
    expect(r.loss).toBeGreaterThan(0);
    expect(r.accuracy).toBe(accuracy(model.apply(params, set.x), set.y));
  });

  it("computes accuracy for int labels and soft targets, and none for regression", () => {
    const logits = tensor([[2, 1], [0, 3], [5, 4]]);
    expect(accuracy(logits, tensor([0, 1, 1], { dtype: "int32" }))).toBeCloseTo(2 / 3, 15);
    expect(accuracy(logits, tensor([[0.9, 0.1], [0, 1], [0.2, 0.8]]))).toBeCloseTo(2 / 3, 15);
    expect(accuracy(tensor([1, 2]), tensor([1, 2]))).toBeUndefined();
    expect(evaluate(model, params, { x, y: model.apply(params, x) }).accuracy).toBeUndefined();
  });
});
