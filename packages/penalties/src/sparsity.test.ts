import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, grad, matmul, tensor } from "@regularize/core-autodiff";
import { elasticNet, elasticNetPenalty } from "./elastic-net.js";
import { PenaltyOptionError } from "./errors.js";
import { groupLasso, groupLassoPenalty, groupNorms, prunedGroups } from "./group-lasso.js";
import { l0Count } from "./l0-count.js";
import { l1, l1Penalty } from "./l1.js";
import { l1Prox, l1ProxTransform, softThreshold } from "./l1-prox.js";
import { l2Penalty } from "./l2.js";
import { allParams } from "./paths.js";
import { expectAllclose, fitSteps, type TestModel } from "../test/helpers.js";

// A small least-squares problem where only 2 of 6 inputs matter: y = 3·x0 − 2·x3.
const X = tensor(Array.from({ length: 12 }, (_, i) => Array.from({ length: 6 }, (_, j) => Math.sin(1.3 * i + 0.7 * j * j + j))));
const Y = tensor(Array.from(X.data).reduce<number[][]>((rows, _v, k) => (k % 6 === 0 ? [...rows, [3 * X.data[k]! - 2 * X.data[k + 3]!]] : rows), []));
const linearModel: TestModel<{ w: Tensor }> = { name: "lin", init: () => ({ w: tensor(new Array(6).fill([0.5])) }), apply: (p, x) => matmul(x, p.w) };

describe("l1", () => {
  it("is λ·Σ|φ| over weights with subgradient λ·sign(φ) (0 at 0)", () => {
    const w = tensor([[1, -2], [0, 3]]);
    expect(l1Penalty({ w, b: tensor([9]) }, { lambda: 0.5 }).item()).toBe(3);
    expect(Array.from(grad((p: { w: Tensor }) => l1Penalty(p, { lambda: 0.5 }))({ w }).w.data)).toEqual([0.5, -0.5, 0, 0.5]);
    expect(l1({ lambda: 1 }).name).toBe("l1");
  });
});

describe("elasticNet", () => {
  it("equals the sum of the L1 and L2 penalties", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }), (v) => {
        const params = { w: tensor([v.slice(0, 2), v.slice(2)]) };
        const e = elasticNetPenalty(params, { l1: 0.3, l2: 0.2 }).item();
        expectAllclose(e, l1Penalty(params, { lambda: 0.3 }).item() + l2Penalty(params, { lambda: 0.2 }).item(), { rtol: 1e-14, atol: 1e-15 });
      }),
    );
    expect(() => elasticNet({ l1: -1, l2: 0 })).toThrowError(/"l1"/);
  });
});

describe("l1Prox", () => {
  it("soft-thresholds: S_τ(v) = sign(v)·max(|v| − τ, 0)", () => {
    expect([softThreshold(1.5, 0.5), softThreshold(-1.5, 0.5), softThreshold(0.3, 0.5), softThreshold(-0.5, 0.5)]).toEqual([1, -1, 0, 0]);
  });

  it("sets parameters to exact zeros where subgradient L1 only hovers near zero", async () => {
    const lambda = 2, lr = 0.01;
    const prox = await fitSteps(linearModel, linearModel.init(null as never), { x: X, y: Y }, [l1Prox({ lambda, learningRate: lr, mask: allParams })], { steps: 800, lr }) as { w: Tensor };
    const sub = await fitSteps(linearModel, linearModel.init(null as never), { x: X, y: Y }, [l1({ lambda, mask: allParams })], { steps: 800, lr }) as { w: Tensor };
    const zeros = Array.from(prox.w.data).filter((v) => v === 0).length;
    expect(zeros).toBe(4);
    expect(l0Count(prox, { mask: allParams })).toBe(2);
    expect(l0Count(sub, { mask: allParams })).toBe(6);
    // the surviving weights are the true ones, shrunk towards 0
    expect(prox.w.data[0]).toBeGreaterThan(2.5);
    expect(prox.w.data[3]).toBeLessThan(-1.5);
  });

  it("passes masked-out leaves through and runs after the optimizer", () => {
    const t = l1ProxTransform({ lambda: 1, learningRate: 1 });
    const params = { w: tensor([[0.5, 2]]), b: tensor([0.5]) };
    const [u] = t.update({ w: tensor([[0, 0]]), b: tensor([0.1]) }, null, params, 0) as [{ w: Tensor; b: Tensor }, null];
    expect(Array.from(u.w.data)).toEqual([-0.5, -1]);
    expect(Array.from(u.b.data)).toEqual([0.1]);
    expect(l1Prox({ lambda: 1, learningRate: 1 }).enforce).toBe("post");
    expect(() => l1Prox({ lambda: 1, learningRate: 0 })).toThrowError(/learningRate/);
  });
});

describe("groupLasso", () => {
  it("sums the L2 norms of each unit's incoming weights W[:, j] (core-train's [inputs, units] layout)", () => {
    const w = tensor([[3, 0, 1], [4, 0, 1]]);
    expectAllclose(groupNorms(w, 0).data, [5, 0, Math.SQRT2]);
    expectAllclose(groupLassoPenalty({ layers: [{ w, b: tensor([1, 1, 1]) }] }, { lambda: 2 }).item(), 2 * (5 + Math.SQRT2));
    expectAllclose(groupLassoPenalty({ w }, { lambda: 1, axis: 1 }).item(), Math.sqrt(10) + Math.sqrt(17));
    expectAllclose(groupLassoPenalty({ w }, { lambda: 1, scaleBySize: true }).item(), Math.SQRT2 * (5 + Math.SQRT2));
  });

  it("has gradient λ·w/‖w‖ per group and 0 (not NaN) on a zero group", () => {
    const w = tensor([[3, 0], [4, 0]]);
    const g = grad((p: { w: Tensor }) => groupLassoPenalty(p, { lambda: 1 }))({ w }).w;
    expectAllclose(g.data, [0.6, 0, 0.8, 0]);
  });

  it("counts all-zero units with prunedGroups and rejects an out-of-range axis", () => {
    expect(prunedGroups({ w: tensor([[0, 1], [0, 2]]) })).toBe(1);
    expect(() => groupLassoPenalty({ w: tensor([[1]]) }, { lambda: 1, axis: 3 })).toThrowError(/axis/);
    expect(groupLasso({ lambda: 0.1 }).penalty).toBeTypeOf("function");
  });

  it("prunedGroups checks its options like groupLasso ({ batchsize: 2 } was ignored; fuzz, seed 31337)", () => {
    const w = { w: tensor([[0, 1], [0, 2]]) };
    expect(() => prunedGroups(w, { batchsize: 2 } as never)).toThrow(/^prunedGroups: option "batchsize"/);
    expect(() => prunedGroups(w, ["a"] as never)).toThrow(PenaltyOptionError);
    expect(() => prunedGroups(w, { axis: 1.5 })).toThrow(/^prunedGroups: option "axis"/);
    expect(() => prunedGroups(w, { mask: "w" as never })).toThrow(/^prunedGroups: option "mask"/);
    expect([prunedGroups(w, { axis: 1 }), prunedGroups(w, { axis: -2 }), prunedGroups(w, { mask: () => false })]).toEqual([0, 1, 0]);
  });
});
