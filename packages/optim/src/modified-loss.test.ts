import { type Tensor, add, grad, hvp, mean, mul, square, sub, sum, tensor, treeSquaredNorm, matmul, tanh } from "@regularize/core-autodiff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { valleyLoss } from "../test/fixtures/valley.js";
import { expectAllclose, flat } from "../test/helpers.js";
import { OptionError } from "./errors.js";
import { implicitGdTerm, implicitSgdTerm, modifiedLossGD, modifiedLossSGD } from "./modified-loss.js";

/** Central finite differences of a scalar function of a flat vector. */
function fdGrad(f: (x: number[]) => number, x: readonly number[], h = 1e-5): number[] {
  return x.map((_, i) => {
    const a = [...x], b = [...x];
    a[i]! += h;
    b[i]! -= h;
    return (f(a) - f(b)) / (2 * h);
  });
}

describe("modifiedLossGD", () => {
  it("is L + (α/4)‖∇L‖² in value", () => {
    const phi = tensor([-0.4, 0.3]);
    const g = flat(grad(valleyLoss)(phi));
    const expected = valleyLoss(phi).item() + (0.05 / 4) * (g[0]! ** 2 + g[1]! ** 2);
    expectAllclose(modifiedLossGD(valleyLoss, 0.05)(phi), expected, { rtol: 1e-14 });
    expectAllclose(implicitGdTerm(valleyLoss, 0.05)(phi), expected - valleyLoss(phi).item(), { rtol: 1e-12 });
  });

  it("has the exact gradient ∇L + (α/2)·H∇L (eq. 9.8), checked against hvp and finite differences", () => {
    fc.assert(
      fc.property(fc.double({ min: -0.8, max: 0.5, noNaN: true }), fc.double({ min: -0.8, max: 0.5, noNaN: true }), fc.double({ min: 0.001, max: 0.3, noNaN: true }), (a, b, alpha) => {
        const phi = tensor([a, b]);
        const g = grad(valleyLoss)(phi);
        const expected = add(g, mul(hvp(valleyLoss, phi, g), alpha / 2));
        const got = grad(modifiedLossGD(valleyLoss, alpha))(phi);
        expectAllclose(got, expected, { rtol: 1e-10, atol: 1e-12 });
        const fd = fdGrad((x) => modifiedLossGD(valleyLoss, alpha)(tensor(x)).item(), [a, b]);
        expectAllclose(got, fd, { rtol: 1e-5, atol: 1e-7 });
      }),
      { numRuns: 25 },
    );
  });

  it("works on trees of parameters (a tiny tanh network)", () => {
    type P = { w: Tensor; v: Tensor };
    const x = tensor([[0.5, -1], [1.5, 0.25], [-0.75, 0.5]]), y = tensor([[0.3], [-0.2], [0.8]]);
    const L = (p: P) => mean(square(sub(matmul(tanh(matmul(x, p.w)), p.v), y)));
    const p: P = { w: tensor([[0.4, -0.3], [0.2, 0.9]]), v: tensor([[1.1], [-0.6]]) };
    const alpha = 0.2;
    const got = grad(modifiedLossGD(L, alpha))(p);
    const g = grad(L)(p);
    const hg = hvp(L, p, g);
    expectAllclose(got, [...flat(add(g.v, mul(hg.v, alpha / 2))), ...flat(add(g.w, mul(hg.w, alpha / 2)))], { rtol: 1e-10, atol: 1e-13 });
  });

  it("validates alpha and loss", () => {
    expect(() => modifiedLossGD(valleyLoss, -0.1)).toThrow(OptionError);
    expect(() => modifiedLossGD(valleyLoss, Number.NaN)).toThrow(/alpha/);
    expect(() => modifiedLossGD(undefined as never, 0.1)).toThrow(/loss/);
  });
});

describe("modifiedLossSGD", () => {
  // per-example losses of a 1-D linear model; batches are index sets of a partition
  const xs = [0.1, -0.7, 1.2, 0.4, -1.5, 0.9], ys = [0.3, -0.2, 1.1, 0.0, -0.9, 1.4];
  const batchLoss = (idx: readonly number[]) => (p: Tensor) =>
    mean(square(sub(add(mul(tensor(idx.map((i) => xs[i]!)), sum(mul(p, tensor([1, 0])))), sum(mul(p, tensor([0, 1])))), tensor(idx.map((i) => ys[i]!)))));
  const batches = [[0, 3], [1, 4], [2, 5]].map(batchLoss);
  const full = batchLoss([0, 1, 2, 3, 4, 5]);

  it("equals L + (α/4)‖∇L‖² + (α/(4B))Σ‖∇L_b − ∇L‖² (eq. 9.9) with L the mean batch loss", () => {
    const phi = tensor([0.8, -0.1]), alpha = 0.3;
    const gb = batches.map((b) => flat(grad(b)(phi)));
    const gm = [0, 1].map((j) => gb.reduce((s, g) => s + g[j]!, 0) / 3);
    const spread = gb.reduce((s, g) => s + (g[0]! - gm[0]!) ** 2 + (g[1]! - gm[1]!) ** 2, 0);
    const expected = full(phi).item() + (alpha / 4) * (gm[0]! ** 2 + gm[1]! ** 2) + (alpha / 12) * spread;
    expectAllclose(modifiedLossSGD(batches, alpha)(phi), expected, { rtol: 1e-13 });
    expectAllclose(implicitSgdTerm(batches, alpha)(phi), (alpha / 12) * spread, { rtol: 1e-12 });
  });

  it("has an SGD term ≥ 0, equal to 0 for a single (full) batch and for identical batches", () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, alpha) => {
        const phi = tensor([a, b]);
        expect(implicitSgdTerm(batches, alpha)(phi).item()).toBeGreaterThanOrEqual(0);
        expect(implicitSgdTerm([full], alpha)(phi).item()).toBe(0);
        // (3g)/3 may differ from g in the last bit, hence a tolerance instead of exact 0
        expectAllclose(implicitSgdTerm([full, full, full], alpha)(phi), 0, { atol: 1e-28 });
        // with one batch the SGD modified loss is the GD one
        expectAllclose(modifiedLossSGD([full], alpha)(phi), modifiedLossGD(full, alpha)(phi), { rtol: 1e-14, atol: 1e-15 });
      }),
      { numRuns: 30 },
    );
  });

  it("is differentiable (double backprop through every batch gradient)", () => {
    const phi = tensor([0.8, -0.1]), alpha = 0.3;
    const got = grad(modifiedLossSGD(batches, alpha))(phi);
    const fd = fdGrad((x) => modifiedLossSGD(batches, alpha)(tensor(x)).item(), [0.8, -0.1]);
    expectAllclose(got, fd, { rtol: 1e-6, atol: 1e-8 });
    expect(treeSquaredNorm(got).item()).toBeGreaterThan(0);
  });

  it("rejects an empty list of batch losses", () => {
    expect(() => modifiedLossSGD([], 0.1)).toThrow(/batchLosses/);
  });
});
