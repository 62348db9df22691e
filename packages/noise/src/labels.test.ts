import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, add, crossEntropy, grad, prngKey, softmax, tensor } from "@regularize/core-autodiff";
import { disturbLabel } from "./disturb-label.js";
import { labelSmoothing, labelSmoothingCrossEntropy, labelSmoothingLoss, smoothLabels } from "./label-smoothing.js";
import { noisyLabelLikelihood, noisyLabelLikelihoodLoss } from "./noisy-label-likelihood.js";
import { expectAllclose, fitContext } from "../test/helpers.js";

const D = 10;
const logitRow = fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: D, maxLength: D });
const label = tensor([3], { dtype: "int32" });
/** Logits with a gap g between the true class 3 and all others. */
const gapLogits = (g: number) => tensor([Array.from({ length: D }, (_, z) => (z === 3 ? g : 0))]);

describe("labelSmoothingCrossEntropy (problem 9.4, chapter-text version)", () => {
  it("is ordinary cross-entropy for ρ = 0", () => {
    fc.assert(fc.property(logitRow, (row) => {
      const l = tensor([row]);
      expectAllclose(labelSmoothingCrossEntropy(l, label, { rho: 0 }).item(), crossEntropy(l, label).item(), { rtol: 1e-14, atol: 1e-15 });
    }));
  });

  it("has gradient softmax(f) − q with respect to the logits", () => {
    fc.assert(fc.property(logitRow, fc.double({ min: 0, max: 0.9, noNaN: true }), (row, rho) => {
      const l = tensor([row]);
      const g = grad((z: Tensor) => labelSmoothingCrossEntropy(z, label, { rho, reduction: "sum" }))(l).data;
      const s = softmax(l, 1).data, q = smoothLabels(label, rho, D).data;
      expectAllclose(g, Array.from(s, (v, i) => v - q[i]!), { rtol: 1e-10, atol: 1e-13 });
    }));
  });

  it("is minimised at the logit gap log 81 with minimum H(q) ≈ 0.544805 for ρ = 0.1, D = 10", () => {
    const gap = Math.log((0.9 * 9) / 0.1);
    expectAllclose(gap, Math.log(81), { rtol: 1e-15 });
    const at = (g: number) => labelSmoothingCrossEntropy(gapLogits(g), label, { rho: 0.1 }).item();
    expectAllclose(at(gap), 0.544805, { atol: 5e-7 });
    expectAllclose(at(gap), -0.9 * Math.log(0.9) - 0.1 * Math.log(0.1 / 9), { rtol: 1e-13 });
    expect(at(gap - 0.01)).toBeGreaterThan(at(gap));
    expect(at(gap + 0.01)).toBeGreaterThan(at(gap));
    expectAllclose(grad((z: Tensor) => labelSmoothingCrossEntropy(z, label, { rho: 0.1 }))(gapLogits(gap)).data, new Array(D).fill(0), { atol: 1e-15 });
  });

  it("is invariant to adding a constant to every logit", () => {
    fc.assert(fc.property(logitRow, fc.double({ min: -50, max: 50, noNaN: true }), (row, c) => {
      const l = tensor([row]);
      expectAllclose(labelSmoothingCrossEntropy(add(l, c), label, { rho: 0.1 }).item(), labelSmoothingCrossEntropy(l, label, { rho: 0.1 }).item(), { rtol: 1e-10, atol: 1e-12 });
    }));
  });

  it("as a plugin turns int labels into the smoothed targets q (1 − ρ on the label, ρ/(D−1) elsewhere)", () => {
    const plugin = labelSmoothing({ rho: 0.1, classes: 4 });
    const batch = { x: tensor([[0], [1]]), y: tensor([2, 0], { dtype: "int32" }) };
    const out = plugin.beforeBatch!(batch, fitContext({}))!;
    expectAllclose(out.y.data, [0.1 / 3, 0.1 / 3, 0.9, 0.1 / 3, 0.9, 0.1 / 3, 0.1 / 3, 0.1 / 3], { rtol: 1e-15 });
    expect(out.x).toBe(batch.x);
    // a loss over the soft batch equals the dedicated loss
    const logits = tensor([[0.3, -1, 2, 0.5], [1, 0, 0, -2]]);
    expectAllclose(crossEntropy(logits, out.y).item(), labelSmoothingLoss({ rho: 0.1 })(logits, batch).item(), { rtol: 1e-14 });
    expect(() => labelSmoothing({ rho: 0.1 }).beforeBatch!(batch, fitContext({}))).toThrowError(/"classes"/);
    expect(() => labelSmoothing({ rho: 1 })).toThrowError(/"rho"/);
  });
});

describe("labelSmoothing with convention \"pytorch\" (torch.nn.CrossEntropyLoss(label_smoothing=ε))", () => {
  it("equals (1−ε)·(−log p_y) + (ε/D)·Σ_z −log p_z", () => {
    fc.assert(fc.property(logitRow, fc.double({ min: 0, max: 0.9, noNaN: true }), (row, eps) => {
      const l = tensor([row]);
      const p = softmax(l).data;
      const nll = Array.from(p, (v) => -Math.log(v));
      const torch = (1 - eps) * nll[3]! + (eps / D) * nll.reduce((a, b) => a + b, 0);
      expectAllclose(labelSmoothingCrossEntropy(l, label, { rho: eps, convention: "pytorch" }).item(), torch, { rtol: 1e-12, atol: 1e-13 });
    }));
  });
  it("gives the true class 1 − ε + ε/D and the others ε/D, for labels and soft targets alike", () => {
    // an array instead of a Tensor failed with a TypeError reading y.data (fuzz, seed 271828)
    expect(() => smoothLabels([1, 0] as never, 0.2, 4)).toThrow(/^smoothLabels: option "y" must be a Tensor of int32 labels/);
    const q = smoothLabels(tensor([1, 0], { dtype: "int32" }), 0.2, 4, "t", "pytorch");
    expectAllclose(q.data, [0.05, 0.85, 0.05, 0.05, 0.85, 0.05, 0.05, 0.05], { rtol: 1e-15 });
    expectAllclose(smoothLabels(tensor([[0, 1, 0, 0], [1, 0, 0, 0]]), 0.2, undefined, "t", "pytorch").data, Array.from(q.data), { rtol: 1e-15 });
    const plugin = labelSmoothing({ rho: 0.2, classes: 4, convention: "pytorch" });
    expectAllclose(plugin.beforeBatch!({ x: tensor([[0], [0]]), y: tensor([1, 0], { dtype: "int32" }) }, fitContext({}))!.y.data, Array.from(q.data), { rtol: 1e-15 });
  });
  it("rejects an unknown convention, naming the option", () => {
    expect(() => labelSmoothing({ rho: 0.1, classes: 3, convention: "torch" as never })).toThrow(/labelSmoothing.*convention/);
  });
});

describe("noisyLabelLikelihood (problem 9.4, answer-booklet version)", () => {
  it("is −log(0.9·s_y + (0.1/(D−1))·Σ_{z≠y} s_z) for ρ = 0.1", () => {
    fc.assert(fc.property(logitRow, (row) => {
      const l = tensor([row]);
      const s = softmax(l, 1).data;
      const rest = Array.from(s).reduce((a, v, z) => a + (z === 3 ? 0 : v), 0);
      expectAllclose(noisyLabelLikelihood(l, label).item(), -Math.log(0.9 * s[3]! + (0.1 / 9) * rest), { rtol: 1e-12, atol: 1e-14 });
    }));
  });

  it("has infimum −log 0.9 ≈ 0.105361, approached only as the gap diverges (no finite optimum)", () => {
    const at = (g: number) => noisyLabelLikelihood(gapLogits(g), label).item();
    expectAllclose(-Math.log(0.9), 0.105361, { atol: 5e-7 });
    let prev = Infinity;
    for (const g of [0, 2, Math.log(81), 8, 16, 32]) {
      const v = at(g);
      expect(v).toBeLessThan(prev);
      expect(v).toBeGreaterThan(-Math.log(0.9));
      prev = v;
    }
    expectAllclose(at(40), -Math.log(0.9), { rtol: 1e-12 });
    // unlike label smoothing, the gap log 81 is not a stationary point
    expect(grad((z: Tensor) => noisyLabelLikelihood(z, label))(gapLogits(Math.log(81))).data[3]).toBeLessThan(-1e-3);
    expectAllclose(noisyLabelLikelihoodLoss({ rho: 0.1 })(gapLogits(1), { x: tensor([0]), y: label }).item(), at(1));
  });
});

describe("disturbLabel", () => {
  const n = 20000, C = 5;
  const batch = { x: tensor(new Array(n).fill([0])), y: tensor(new Array(n).fill(2), { dtype: "int32" }) };

  it("changes a share α·(D−1)/D of the labels (4 standard errors), keeps them in range and leaves the batch untouched", () => {
    const alpha = 0.3;
    const out = disturbLabel({ alpha, classes: C }).beforeBatch!(batch, fitContext({}, prngKey(17)))!.y.data;
    const changed = Array.from(out).filter((v) => v !== 2).length / n;
    const p = (alpha * (C - 1)) / C;
    expect(Math.abs(changed - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    expect(Array.from(out).every((v) => v >= 0 && v < C)).toBe(true);
    expect(batch.y.data[0]).toBe(2);
  });

  it("is the identity for α = 0 and a pure function of the key", () => {
    expect(disturbLabel({ alpha: 0, classes: C }).beforeBatch!(batch, fitContext({}))).toBe(batch);
    const p = disturbLabel({ alpha: 0.5, classes: C });
    const a = p.beforeBatch!(batch, fitContext({}, prngKey(3)))!.y.data;
    expect(Array.from(p.beforeBatch!(batch, fitContext({}, prngKey(3)))!.y.data)).toEqual(Array.from(a));
    expect(() => disturbLabel({ alpha: 1.5, classes: C })).toThrowError(/"alpha"/);
    expect(() => disturbLabel({ alpha: 0.1, classes: 0 })).toThrowError(/"classes"/);
  });
});
