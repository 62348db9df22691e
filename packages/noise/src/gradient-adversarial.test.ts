import { describe, expect, it } from "vitest";
import { type Tensor, type Tree, abs, grad, matmul, max, prngKey, sign, sse, sub, tensor, treeLeaves } from "@regularize/core-autodiff";
import type { ObjectiveContext } from "@regularize/core-train";
import { adversarialExample, adversarialTraining } from "./adversarial.js";
import { gradientNoiseTransform } from "./gradient-noise.js";
import { expectAllclose } from "../test/helpers.js";

describe("gradientNoise", () => {
  it("adds N(0, η/(1+t)^γ) to the gradients (variance by Monte Carlo, 4 standard errors)", () => {
    const n = 20000, eta = 0.3, gamma = 0.55;
    const t = gradientNoiseTransform({ eta, gamma });
    const g = { w: tensor(new Array(n).fill(1)) };
    for (const step of [0, 9, 99]) {
      const [u] = t.update(g, null, g, step) as [{ w: Tensor }, null];
      const d = Array.from(u.w.data, (v) => v - 1);
      const v = d.reduce((a, b) => a + b * b, 0) / n;
      const s2 = eta / (1 + step) ** gamma;
      expect(Math.abs(v - s2)).toBeLessThan(4 * Math.sqrt(2 / n) * s2);
    }
  });

  it("is the identity for η = 0 and deterministic per (key, step)", () => {
    const g = { w: tensor([1, 2, 3]) };
    expect(gradientNoiseTransform({ eta: 0 }).update(g, null, g, 5)[0]).toBe(g);
    const t = gradientNoiseTransform({ eta: 1 });
    const a = treeLeaves(t.update(g, null, g, 4)[0])[0]!.data;
    expect(Array.from(treeLeaves(t.update(g, null, g, 4)[0])[0]!.data)).toEqual(Array.from(a));
    expect(Array.from(treeLeaves(t.update(g, null, g, 4, prngKey(1))[0])[0]!.data)).not.toEqual(Array.from(a));
    expect(() => gradientNoiseTransform({ eta: -1 })).toThrowError(/"eta"/);
  });
});

describe("adversarialTraining", () => {
  const params = { w: tensor([[1.5], [-2]]) };
  const batch = { x: tensor([[0.3, 0.1], [-0.5, 0.8]]), y: tensor([[1], [0]]) };
  const forward = (p: Tree, x: Tensor) => matmul(x, (p as typeof params).w);
  const dataLoss: ObjectiveContext["dataLoss"] = (p, b) => sse(forward(p, b.x), b.y);
  const ctx: ObjectiveContext = { batch, step: 0, key: prngKey(0), forward, dataLoss };

  it("FGSM moves x by ε·sign(∇ₓL) exactly", () => {
    const eps = 0.1;
    const gx = grad((x: Tensor) => dataLoss(params, { ...batch, x }))(batch.x);
    const xAdv = adversarialExample(params, batch, dataLoss, { epsilon: eps, steps: 1, stepSize: eps });
    expectAllclose(sub(xAdv, batch.x).data, Array.from(sign(gx).data, (s) => eps * s), { rtol: 1e-14 });
    expect(dataLoss(params, { ...batch, x: xAdv }).item()).toBeGreaterThan(dataLoss(params, batch).item());
  });

  it("PGD stays in the ε-ball and raises the loss at least as much as FGSM here", () => {
    const eps = 0.2;
    const fgsm = adversarialExample(params, batch, dataLoss, { epsilon: eps, steps: 1, stepSize: eps });
    const pgd = adversarialExample(params, batch, dataLoss, { epsilon: eps, steps: 10, stepSize: 0.05 });
    expect(max(abs(sub(pgd, batch.x))).item()).toBeLessThanOrEqual(eps + 1e-15);
    expect(dataLoss(params, { ...batch, x: pgd }).item()).toBeGreaterThanOrEqual(dataLoss(params, { ...batch, x: fgsm }).item() - 1e-12);
  });

  it("wraps the objective as inner + w·(L_adv − L_clean), leaving it alone for w = 0", () => {
    const inner = (p: Tree) => dataLoss(p, batch);
    const wrapped = adversarialTraining({ epsilon: 0.1, mix: 0.5 }).objective!(inner, ctx);
    const xAdv = adversarialExample(params, batch, dataLoss, { epsilon: 0.1, steps: 1, stepSize: 0.1 });
    expectAllclose(wrapped(params).item(), 0.5 * dataLoss(params, batch).item() + 0.5 * dataLoss(params, { ...batch, x: xAdv }).item(), { rtol: 1e-14 });
    expect(adversarialTraining({ epsilon: 0.1, mix: 0 }).objective!(inner, ctx)).toBe(inner);
    const g = (grad(wrapped)(params) as typeof params).w.data;
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    expect(() => adversarialTraining({ epsilon: 0 })).toThrowError(/"epsilon"/);
  });
});
