import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, grad, tensor, type Tree } from "@regularize/core-autodiff";
import { PenaltyOptionError } from "./errors.js";
import { l2sp, l2spPenalty } from "./l2-sp.js";
import { allParams } from "./paths.js";
import { expectAllclose, finiteDiff } from "../test/helpers.js";

type P = { trunk: { w: Tensor; b: Tensor }; head: { w: Tensor } };
const pre = { trunk: { w: tensor([[1, -2], [0.5, 3]]), b: tensor([0.1, 0.2]) } };
const params = (v: readonly number[]): P => ({
  trunk: { w: tensor([[v[0]!, v[1]!], [v[2]!, v[3]!]]), b: tensor([v[4]!, v[5]!]) },
  head: { w: tensor([[v[6]!], [v[7]!]]) },
});

describe("l2sp", () => {
  it("is α·Σ(φ − φ⁰)² on pretrained weights plus β·Σφ² on new weights, biases skipped by default", () => {
    const v = [2, -2, 0.5, 1, 9, 9, 3, -4];
    const got = l2spPenalty(params(v), { alpha: 0.5, beta: 0.25, pretrained: pre }).item();
    expect(got).toBeCloseTo(0.5 * (1 + 0 + 0 + 4) + 0.25 * (9 + 16), 12);
  });

  it("has gradient 2α(φ − φ⁰) and 2βφ, matching central finite differences (float64)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 8, maxLength: 8 }), fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), (v, alpha, beta) => {
        const opts = { alpha, beta, pretrained: pre, mask: allParams };
        const g = grad((p: P) => l2spPenalty(p, opts))(params(v));
        const flat = [...g.trunk.w.data, ...g.trunk.b.data, ...g.head.w.data];
        const p0 = [1, -2, 0.5, 3, 0.1, 0.2, 0, 0];
        const want = v.map((x, i) => 2 * (i < 6 ? alpha : beta) * (x - p0[i]!));
        expectAllclose(flat, want, { rtol: 1e-12, atol: 1e-12 });
        const fd = finiteDiff((x) => l2spPenalty(params(Array.from(x)), opts).item(), Float64Array.from(v), 1e-5);
        expectAllclose(flat, fd, { rtol: 1e-6, atol: 1e-7 });
      }),
      { numRuns: 30 },
    );
  });

  it("is zero at the pretrained point when β = 0 and copies the anchor at creation", () => {
    const anchor = { trunk: { w: tensor([[1, 2], [3, 4]]) } } as Tree;
    const plugin = l2sp({ alpha: 1, pretrained: anchor });
    (anchor as { trunk: { w: Tensor } }).trunk.w.data[0] = 100;
    const p = { trunk: { w: tensor([[1, 2], [3, 4]]) } };
    expect(plugin.penalty!(p, undefined as never).item()).toBe(0);
  });

  it("rejects negative α, a non-tree anchor and a mis-shaped anchor with a typed error", () => {
    expect(() => l2sp({ alpha: -1, pretrained: pre })).toThrow(PenaltyOptionError);
    expect(() => l2sp({ alpha: 1, pretrained: null as never })).toThrow(/pretrained/);
    const bad = { trunk: { w: tensor([1, 2]) } };
    expect(() => l2spPenalty(params([0, 0, 0, 0, 0, 0, 0, 0]), { alpha: 1, pretrained: bad })).toThrow(/pretrained.*shape/);
  });
});

describe("l2sp({ pretrained: \"initial\" })", () => {
  it("anchors at the fit's starting parameters and keeps that anchor when a fit resumes", async () => {
    const { fit, mlp } = await import("@regularize/core-train");
    const { referenceSgd } = await import("@regularize/core-train/testing");
    const { normal, prngKey, tensor: t } = await import("@regularize/core-autodiff");
    const model = mlp({ widths: [3, 4, 2] });
    const data = { x: normal(prngKey(1), [12, 3]), y: t(Int32Array.from({ length: 12 }, (_, i) => i % 2), { dtype: "int32" }) };
    const base = { model, data, loss: "crossEntropy" as const, optimizer: referenceSgd({ lr: 0.1 }), batchSize: 4 };
    const full = await fit({ ...base, seed: 1, epochs: 4, plugins: [l2sp({ alpha: 0.5, pretrained: "initial" })] });
    const init = model.init((await import("@regularize/core-autodiff")).foldInString(prngKey(1), "init"));
    const anchor = (full.state.plugins.l2sp as { anchor: Tree }).anchor;
    expect(l2spPenalty(init, { alpha: 1, pretrained: anchor, mask: allParams }).item()).toBe(0);
    let mid: import("@regularize/core-train").TrainState | undefined;
    await fit({ ...base, seed: 1, epochs: 2, checkpointEvery: 5, onCheckpoint: (s) => { mid ??= s; }, plugins: [l2sp({ alpha: 0.5, pretrained: "initial" })] });
    const resumed = await fit({ ...base, epochs: 4, initialState: mid!, plugins: [l2sp({ alpha: 0.5, pretrained: "initial" })] });
    expect(Array.from((resumed.params as { layers: { w: Tensor }[] }).layers[0]!.w.data)).toEqual(Array.from((full.params as { layers: { w: Tensor }[] }).layers[0]!.w.data));
  });
});
