import { type Tree, grad, mul, sse, tensor, treeScale, treeSquaredNorm } from "@regularize/core-autodiff";
import { type Plugin, fit, shallowNet } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { toyTrainX, toyTrainY } from "../test/fixtures/toy.js";
import { expectAllclose, flat } from "../test/helpers.js";
import { sgd } from "./aliases.js";
import { applyUpdates } from "./apply-updates.js";
import { OptionError } from "./errors.js";
import { modifiedLossGD } from "./modified-loss.js";
import { modifiedLoss } from "./modified-loss-plugin.js";
import { sharpnessMonitor } from "./sharpness-monitor.js";
import { decoupledWeightDecay } from "./weight-decay-plugin.js";

// Full-batch fits of the 14-unit shallow net on the toy data (SSE loss): with one batch the step
// is plain gradient descent, so fit's trajectories can be checked against hand-written loops.
const model = shallowNet();
const data = { x: toyTrainX, y: toyTrainY };
const sseOf = (p: Tree) => sse(model.apply(p as never, data.x), data.y);
const base = { model, data, loss: "sse" as const, seed: 3, yieldEveryMs: 1e9 };
const initial = async () => (await fit({ ...base, optimizer: sgd({ learningRate: 0 }), steps: 0 })).params as Tree;

describe("modifiedLoss", () => {
  it("makes fit take gradient-descent steps on L + (α/4)‖∇L‖²", async () => {
    const lr = 0.005, steps = 6;
    const r = await fit({ ...base, optimizer: sgd({ learningRate: lr }), steps, plugins: [modifiedLoss({ alpha: lr })] });
    let p = await initial();
    for (let i = 0; i < steps; i++) p = applyUpdates(p, treeScale(grad(modifiedLossGD(sseOf, lr))(p), -lr));
    expectAllclose(r.params, p, { rtol: 1e-12, atol: 1e-14 });
    // the logged loss is the modified loss
    const p0 = await initial();
    expectAllclose(r.history.steps[0]!.loss, modifiedLossGD(sseOf, lr)(p0).item(), { rtol: 1e-13 });
    expect(() => modifiedLoss({ alpha: -1 })).toThrow(OptionError);
  });
});

describe("sharpnessMonitor", () => {
  it("logs the top Hessian eigenvalue and trace of the (quadratic) SSE loss every T steps", async () => {
    // SSE of a model linear in its parameters: H = 2·DᵀD with D the design matrix [1, relu(x − k/14)]
    const xs = flat(data.x);
    const D = xs.map((x) => [1, ...Array.from({ length: 14 }, (_, k) => Math.max(0, x - k / 14))]);
    const M = D[0]!.map((_, i) => D[0]!.map((_, j) => 2 * D.reduce((s, row) => s + row[i]! * row[j]!, 0)));
    // reference top eigenvalue: plain power iteration on M, to convergence
    let v = M.map((_, i) => 1 + i);
    let top = 0;
    for (let it = 0; it < 5000; it++) {
      const w = M.map((row) => row.reduce((s, m, j) => s + m * v[j]!, 0));
      const n = Math.hypot(...w);
      top = w.reduce((s, x, i) => s + x * v[i]!, 0);
      v = w.map((x) => x / n);
    }
    const trace = M.reduce((s, row, i) => s + row[i]!, 0);
    const samples = 200;
    const offDiag = M.reduce((s, row, i) => s + row.reduce((t, m, j) => t + (i === j ? 0 : m * m), 0), 0);
    const se = Math.sqrt((2 * offDiag) / samples);

    const r = await fit({ ...base, optimizer: sgd({ learningRate: 0.001 }), steps: 4, plugins: [sharpnessMonitor({ every: 2, iters: 300, samples })] });
    const rows = r.history.steps.filter((s) => s["sharpnessMonitor/topEigenvalue"] !== undefined);
    expect(rows.map((s) => s.step)).toEqual([1, 3]);
    for (const row of rows) {
      expectAllclose(row["sharpnessMonitor/topEigenvalue"]!, top, { rtol: 1e-6 });
      expect(Math.abs(row["sharpnessMonitor/hessianTrace"]! - trace)).toBeLessThan(4 * se);
    }
    expect(() => sharpnessMonitor({ every: 0 })).toThrow(/every/);
  });
});

describe("decoupledWeightDecay", () => {
  it("through fit equals SGD on L + λ'/(2α)·Σφ² (problem 9.5 end to end)", async () => {
    const alpha = 0.01, rate = 0.002, steps = 20;
    const l2: Plugin = { name: "l2", penalty: (p) => mul(treeSquaredNorm(p), rate / (2 * alpha)) };
    const a = await fit({ ...base, optimizer: sgd({ learningRate: alpha }), steps, plugins: [decoupledWeightDecay({ rate, mask: true })] });
    const b = await fit({ ...base, optimizer: sgd({ learningRate: alpha }), steps, plugins: [l2] });
    expectAllclose(a.params, b.params, { rtol: 1e-12, atol: 1e-14 });
  });

  it("subtracts λ'φ after the learning rate and leaves the shallow net's bias alone by default", () => {
    const p = { omega: tensor([1, -2]), beta: tensor(3) };
    const u = { omega: tensor([0.5, 0.5]), beta: tensor(0.5) };
    const plugin = decoupledWeightDecay({ rate: 0.1 });
    expect(plugin.enforce).toBe("post");
    const [out] = plugin.transform!.update(u, {}, p, 0);
    expectAllclose((out as typeof u).omega, [0.4, 0.7], { rtol: 1e-15 });
    expectAllclose((out as typeof u).beta, 0.5, { atol: 0 });
    expect(() => decoupledWeightDecay({ rate: 2 })).toThrow(/rate/);
  });
});
