import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, add, div, exp, grad, mul, neg, sin, slice, square, sse, sum, tensor, type Tree } from "@regularize/core-autodiff";
import { PenaltyOptionError } from "./errors.js";
import { l2, l2Penalty } from "./l2.js";
import { allParams } from "./paths.js";
import { GABOR_DATA, expectAllclose, finiteDiff, fitSteps, objectiveContext, type TestModel } from "../test/helpers.js";

const gaborX = tensor(GABOR_DATA.map((d) => d[0]));
const gaborY = tensor(GABOR_DATA.map((d) => d[1]));
/** Eq. 6.8: f(x; φ) = sin(φ0 + 0.06·φ1·x)·exp(−(φ0 + 0.06·φ1·x)²/32). */
const gabor: TestModel<{ phi: Tensor }> = {
  name: "gabor",
  init: () => ({ phi: tensor([0, 0]) }),
  apply: (p, x) => {
    const z = add(mul(x, mul(slice(p.phi, [1]), 0.06)), slice(p.phi, [0]));
    return mul(sin(z), exp(neg(div(square(z), 32))));
  },
};

const fig91 = { lambda: 0.2, center: { phi: tensor([0, 12.5]) }, mask: allParams };

describe("l2", () => {
  it("is λ·Σφ² over weight matrices only when no mask is given (biases skipped)", () => {
    const params = { w: tensor([[1, 2], [3, 4]]), b: tensor([10, 20]) };
    expect(l2Penalty(params, { lambda: 0.5 }).item()).toBe(0.5 * 30);
  });

  it("reproduces the figure 9.1 regularizer λ·(φ0² + (φ1 − 12.5)²) with a centre", () => {
    const v = l2Penalty({ phi: tensor([2, 10]) }, fig91).item();
    expectAllclose(v, 0.2 * (4 + 6.25));
  });

  it("shifts only the leaves a partial centre names", () => {
    const params = { a: { w: tensor([[1, 1]]) }, b: { w: tensor([[2, 2]]) } };
    const v = l2Penalty(params, { lambda: 1, center: { a: { w: tensor([[1, 0]]) } } }).item();
    expect(v).toBe(0 + 1 + 4 + 4);
  });

  it("has gradient 2λ(φ − c) (problem 9.2), analytically and by finite differences", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 2 }), fc.double({ min: 0, max: 3, noNaN: true }), (phi, lambda) => {
        const opts = { ...fig91, lambda };
        const g = grad((p: { phi: Tensor }) => l2Penalty(p, opts))({ phi: tensor(phi) }).phi;
        expectAllclose(g.data, [2 * lambda * phi[0]!, 2 * lambda * (phi[1]! - 12.5)], { rtol: 1e-12, atol: 1e-12 });
        const fd = finiteDiff((x) => l2Penalty({ phi: tensor(Array.from(x)) }, opts).item(), Float64Array.from(phi), 1e-4);
        expectAllclose(g.data, fd, { rtol: 1e-6, atol: 1e-8 });
      }),
    );
  });

  it("turns one GD step into φ ← (1 − 2αλ)φ − α∇L (problem 9.2)", async () => {
    const params = { w: tensor([[0.3, -1.2]]) };
    const batch = { x: tensor([[1, 2]]), y: tensor([[0.5]]) };
    const model: TestModel<{ w: Tensor }> = { name: "lin", init: () => params, apply: (p, x) => sumRows(mul(x, p.w)) };
    const alpha = 0.05, lambda = 0.7;
    const after = await fitSteps(model, params, batch, [l2({ lambda })], { steps: 1, lr: alpha }) as { w: Tensor };
    const gL = grad((p: { w: Tensor }) => sse(model.apply(p, batch.x), batch.y))(params).w;
    expectAllclose(after.w.data, Array.from(params.w.data, (w, i) => (1 - 2 * alpha * lambda) * w - alpha * gL.data[i]!), { rtol: 1e-14 });
  });

  it("moves figure 9.1's gradient descent from a local minimum into the global valley (notebook 9.1)", async () => {
    const batch = { x: gaborX, y: gaborY };
    const start = { phi: tensor([2.6, 8.5]) };
    const plain = await fitSteps(gabor, start, batch, [], { steps: 41, lr: 0.1 }) as { phi: Tensor };
    expectAllclose(plain.phi.data, [6.05, 12.84], { atol: 0.02 });
    const reg = await fitSteps(gabor, start, batch, [l2(fig91)], { steps: 41, lr: 0.1 }) as { phi: Tensor };
    expectAllclose(reg.phi.data, [0.1, 13.48], { atol: 0.02 });
  });

  it("exposes the penalty through the plugin hook with the book's options", () => {
    const plugin = l2(fig91);
    const ctx = objectiveContext(gabor, [plugin], { x: gaborX, y: gaborY });
    expectAllclose(plugin.penalty!({ phi: tensor([0, 12.5]) }, ctx).item(), 0);
    expect(plugin.name).toBe("l2");
  });

  it("rejects a negative λ and a mis-shaped centre, naming the option", () => {
    expect(() => l2({ lambda: -1 })).toThrowError(PenaltyOptionError);
    expect(() => l2({ lambda: -1 })).toThrowError(/lambda/);
    expect(() => l2Penalty({ w: tensor([[1, 2]]) }, { lambda: 1, center: { w: tensor([1, 2, 3]) } })).toThrowError(/center/);
  });

  it("keeps float32 parameters in float32", () => {
    const w = tensor([[1, 2]], { dtype: "float32" });
    expect(l2Penalty({ w } as Tree, { lambda: 1 }).dtype).toBe("float32");
  });
});

function sumRows(t: Tensor): Tensor {
  return sum(t, { axis: 1, keepdims: true });
}
