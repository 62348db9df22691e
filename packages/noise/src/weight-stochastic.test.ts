import { describe, expect, it } from "vitest";
import { add, grad, matmul, prngKey, sse, tensor, treeLeaves } from "@regularize/core-autodiff";
import { type ForwardHookContext, type Plugin, mlp, predict } from "@regularize/core-train";
import { dropConnect } from "./drop-connect.js";
import { mcDropoutPredict } from "./mc-dropout.js";
import { dropout } from "./dropout.js";
import { weightNoise } from "./weight-noise.js";
import { expectAllclose } from "../test/helpers.js";

const ctx = (active: boolean, seed = 1): ForwardHookContext => ({ mode: active ? "train" : "eval", active, key: prngKey(seed), step: 0 });
const params = { layers: [{ w: tensor([[1, 2, 3], [4, 5, 6]]), b: tensor([0.5, 0.5, 0.5]) }] };

describe("dropConnect", () => {
  it("masks weight matrices only (each entry 0 or w/(1−p)), never biases", () => {
    const out = dropConnect({ rate: 0.5 }).forwardParams!(params, ctx(true)) as typeof params;
    Array.from(out.layers[0]!.w.data).forEach((v, i) => expect([0, 2 * params.layers[0]!.w.data[i]!]).toContain(v));
    expect(out.layers[0]!.b).toBe(params.layers[0]!.b);
  });

  it("uses W at test time (inverted) or W·(1−p) (weight scaling), and is the identity for rate 0", () => {
    expect(dropConnect({ rate: 0.5 }).forwardParams!(params, ctx(false))).toBe(params);
    const ws = dropConnect({ rate: 0.25, inference: "weight-scaling" }).forwardParams!(params, ctx(false)) as typeof params;
    expectAllclose(ws.layers[0]!.w.data, [0.75, 1.5, 2.25, 3, 3.75, 4.5]);
    expect(dropConnect({ rate: 0 }).forwardParams!(params, ctx(true))).toBe(params);
  });
});

describe("weightNoise", () => {
  it("perturbs the forward weights but sends the gradient to the unperturbed parameters", () => {
    const wn = weightNoise({ sigma: 0.1 });
    const x = tensor([[0.3, -0.7]]), y = tensor([[1, 0, -1]]);
    const f = (p: typeof params) => sse(add(matmul(x, p.layers[0]!.w), p.layers[0]!.b), y);
    const noisy = wn.forwardParams!(params, ctx(true)) as typeof params;
    expect(Array.from(noisy.layers[0]!.w.data)).not.toEqual(Array.from(params.layers[0]!.w.data));
    expect(noisy.layers[0]!.b).toBe(params.layers[0]!.b);
    // ∂/∂φ L(φ + ε) = ∇L evaluated at φ + ε (the perturbation is additive, its Jacobian is I)
    const g = grad((p: typeof params) => f(wn.forwardParams!(p, ctx(true)) as typeof params))(params);
    const gAtNoisy = grad(f)(noisy);
    treeLeaves(g).forEach((l, i) => expectAllclose(l.data, treeLeaves(gAtNoisy)[i]!.data, { rtol: 1e-14 }));
  });

  it("is the identity with σ = 0 and at test time, and deterministic per key", () => {
    expect(weightNoise({ sigma: 0 }).forwardParams!(params, ctx(true))).toBe(params);
    expect(weightNoise({ sigma: 1 }).forwardParams!(params, ctx(false))).toBe(params);
    const a = weightNoise({ sigma: 1 }).forwardParams!(params, ctx(true, 8)) as typeof params;
    const b = weightNoise({ sigma: 1 }).forwardParams!(params, ctx(true, 8)) as typeof params;
    expect(Array.from(a.layers[0]!.w.data)).toEqual(Array.from(b.layers[0]!.w.data));
    expect(() => weightNoise({ sigma: -1 })).toThrowError(/"sigma"/);
  });
});

describe("mcDropoutPredict", () => {
  const model = mlp({ widths: [2, 16, 1] });
  const p0 = model.init(prngKey(3));
  const x = tensor([[0.2, -0.4], [1, 0.5], [-0.3, 0.9]]);

  it("averages T dropout passes: with inverted dropout the mean of a linear readout approaches the eval output", () => {
    const dp = dropout({ rate: 0.3 });
    const r = mcDropoutPredict(model, p0, x, { samples: 400, key: prngKey(5), plugins: [dp] });
    expect(r.samples.shape).toEqual([400, 3, 1]);
    const evalOut = predict(model, p0, x, { plugins: [dp] }).data;
    Array.from(r.mean.data).forEach((m, i) => {
      const se = Math.sqrt(r.variance.data[i]! / 400);
      expect(Math.abs(m - evalOut[i]!)).toBeLessThan(4 * se + 1e-12);
    });
    expect(Array.from(r.variance.data).every((v) => v > 0)).toBe(true);
    const again = mcDropoutPredict(model, p0, x, { samples: 400, key: prngKey(5), plugins: [dp] });
    expect(Array.from(again.mean.data)).toEqual(Array.from(r.mean.data));
  });

  it("switches on only dropout-family plugins: another stochastic layer stays in eval behaviour", () => {
    const seen: boolean[] = [];
    const other: Plugin = { name: "otherStochastic", site: (h, _s, c) => (seen.push(c.active), h) };
    const wn = weightNoise({ sigma: 10 });
    const dp = dropout({ rate: 0.5 });
    const withOthers = mcDropoutPredict(model, p0, x, { samples: 5, key: prngKey(1), plugins: [dp, other, wn] });
    const alone = mcDropoutPredict(model, p0, x, { samples: 5, key: prngKey(1), plugins: [dp] });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((a) => a === false)).toBe(true);
    // weight noise with σ = 10 would change everything had it been switched on
    expect(Array.from(withOthers.mean.data)).toEqual(Array.from(alone.mean.data));
    expect(() => mcDropoutPredict(model, p0, x, { samples: 5, key: prngKey(1), plugins: [wn] })).toThrowError(/"plugins"/);
  });
});
