import { describe, expect, it } from "vitest";
import { type Tensor, grad, matmul, prngKey, sse, sum, square, tensor, type Tree } from "@regularize/core-autodiff";
import { activityRegularization } from "./activity.js";
import { inputGradient } from "./input-gradient.js";
import { mlp } from "@regularize/core-train";
import { expectAllclose, finiteDiff, objectiveContext } from "../test/helpers.js";

const net = mlp({ widths: [3, 5, 2] });
const params = net.init(prngKey(11));
const batch = { x: tensor([[0.3, -0.2, 0.9], [1.1, 0.4, -0.5], [-0.7, 0.8, 0.2]]), y: tensor([[0.1, 0.2], [0.3, -0.4], [0.5, 0.0]]) };
type P = typeof params;

/** Flat values ↔ params (for finite differences over the first layer's weights). */
const withW0 = (x: Float64Array): P => ({ layers: [{ ...params.layers[0]!, w: tensor([Array.from(x.slice(0, 5)), Array.from(x.slice(5, 10)), Array.from(x.slice(10, 15))]) }, params.layers[1]!] });

describe("activityRegularization", () => {
  it("is λ·(1/N)·Σ h² of the hidden activations and differentiates through the network", () => {
    const plugin = activityRegularization({ lambda: 0.3 });
    const ctx = objectiveContext(net, [plugin], batch);
    const seen: Tensor[] = [];
    net.apply(params, batch.x, { mode: "train", site: (s, h) => (s.kind === "hidden" && seen.push(h), h) });
    expectAllclose(plugin.penalty!(params, ctx).item(), (0.3 / 3) * sum(square(seen[0]!)).item(), { rtol: 1e-12 });
    const g = grad((p: P) => plugin.penalty!(p, ctx))(params).layers[0]!.w;
    const fd = finiteDiff((x) => plugin.penalty!(withW0(x), ctx).item(), Float64Array.from(params.layers[0]!.w.data), 1e-6);
    expectAllclose(g.data, fd, { rtol: 1e-6, atol: 1e-9 });
  });

  it("records nothing outside its own penalty pass and only the named sites", () => {
    const plugin = activityRegularization({ lambda: 1, p: 1, sites: ["hidden7"] });
    const ctx = objectiveContext(net, [plugin], batch);
    expect(plugin.penalty!(params, ctx).item()).toBe(0);
    expect(() => activityRegularization({ lambda: 1, p: 3 as 2 })).toThrowError(/"p"/);
  });
});

describe("inputGradient", () => {
  it("'output' equals N·‖W‖²_F for a linear model f(x) = xW (∂f/∂x = Wᵀ)", () => {
    const lin = { name: "lin", init: () => ({ w: tensor([[1, 2], [3, 4], [5, 6]]) }), apply: (p: { w: Tensor }, x: Tensor) => matmul(x, p.w) };
    const plugin = inputGradient({ lambda: 0.5, of: "output" });
    const ctx = objectiveContext(lin as never, [plugin], batch);
    expectAllclose(plugin.penalty!({ w: tensor([[1, 2], [3, 4], [5, 6]]) } as Tree, ctx).item(), 0.5 * 3 * 91);
  });

  it("'loss' is λ·‖∂L/∂x‖² and its parameter gradient (double backprop) matches finite differences", () => {
    const plugin = inputGradient({ lambda: 0.2 });
    const ctx = objectiveContext(net, [plugin], batch);
    const gx = grad((x: Tensor) => sse(net.apply(params, x), batch.y))(batch.x);
    expectAllclose(plugin.penalty!(params, ctx).item(), 0.2 * sum(square(gx)).item(), { rtol: 1e-12 });
    const g = grad((p: P) => plugin.penalty!(p, ctx))(params).layers[0]!.w;
    const fd = finiteDiff((x) => plugin.penalty!(withW0(x), ctx).item(), Float64Array.from(params.layers[0]!.w.data), 1e-6);
    expectAllclose(g.data, fd, { rtol: 1e-5, atol: 1e-8 });
    expect(Array.from(g.data).some((v) => v !== 0)).toBe(true);

  });
});
