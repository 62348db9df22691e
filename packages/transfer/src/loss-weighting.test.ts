import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, type Tree, grad, prngKey, reshape, scalar, slice, tensor } from "@regularize/core-autodiff";
import { type TrainState, fit } from "@regularize/core-train";
import { sgd } from "@regularize/optim";
import { bits, finiteDiff, twoTaskProblem } from "../test/helpers.js";
import { gradNorm, gradNormStep } from "./grad-norm.js";
import { uncertaintyLogVarGradient, uncertaintyWeightedLoss, uncertaintyWeighting } from "./uncertainty-weighting.js";
import { under } from "./param-groups.js";

describe("uncertaintyWeightedLoss", () => {
  it("is Σ ½e^{−s}L + ½s and its s-gradient ½(1 − e^{−s}L) matches autodiff and finite differences", () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: 0.01, max: 5, noNaN: true }), { minLength: 2, maxLength: 3 }),
      fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
      (L, s0) => {
        const s = s0.slice(0, L.length);
        const f = (sv: readonly number[]) => uncertaintyWeightedLoss(L.map((l) => scalar(l)), sv).item();
        expect(f(s)).toBeCloseTo(L.reduce((a, l, t) => a + 0.5 * Math.exp(-s[t]!) * l + 0.5 * s[t]!, 0), 12);
        const analytic = uncertaintyLogVarGradient(L, s);
        const ad = grad((st: Tensor) => uncertaintyWeightedLoss(L.map((l) => scalar(l)), s.map((_, t) => sliceAt(st, t))))(tensor(s));
        const fd = finiteDiff((x) => f(Array.from(x)), Float64Array.from(s), 1e-6);
        analytic.forEach((g, t) => {
          expect(g).toBeCloseTo(ad.data[t]!, 12);
          expect(g).toBeCloseTo(fd[t]!, 7);
        });
      },
    ));
  });
});

function sliceAt(x: Tensor, t: number): Tensor {
  return reshape(slice(x, [[t, t + 1]]), []);
}

describe("uncertaintyWeighting plugin", () => {
  it("moves s toward log L (the optimum e^{s} = L) and logs it; records (compiled = eager); resumes bit-exactly from a checkpoint", async () => {
    const { mt, model, data } = twoTaskProblem(24);
    const opts = { model, data, loss: mt.loss, optimizer: sgd({ learningRate: 0.1 }), batchSize: 8 };
    const full = await fit({ ...opts, seed: 3, epochs: 6, plugins: [uncertaintyWeighting({ multiTask: mt, learningRate: 0.2 })] });
    expect(full.compiled).toBe(true);
    expect(full.notices).toEqual([]);
    const s = Array.from((full.state.stepStates!.uncertaintyWeighting as { logVars: Tensor }).logVars.data);
    expect(s.every((v) => v !== 0 && Number.isFinite(v))).toBe(true);
    expect(full.history.steps.at(-1)!["s.cls"]).toBe(s[0]);
    const eager = await fit({ ...opts, seed: 3, epochs: 6, compile: false, plugins: [uncertaintyWeighting({ multiTask: mt, learningRate: 0.2 })] });
    expect(bits(eager.params)).toEqual(bits(full.params));
    expect(eager.history.steps.map((r) => [r.loss, r["s.cls"], r["s.parity"]])).toEqual(full.history.steps.map((r) => [r.loss, r["s.cls"], r["s.parity"]]));
    let mid: TrainState | undefined;
    await fit({ ...opts, seed: 3, epochs: 3, plugins: [uncertaintyWeighting({ multiTask: mt, learningRate: 0.2 })], checkpointEvery: 9, onCheckpoint: (st) => { mid ??= st; } });
    const resumed = await fit({ ...opts, epochs: 6, initialState: mid!, plugins: [uncertaintyWeighting({ multiTask: mt, learningRate: 0.2 })] });
    expect(bits(resumed.params)).toEqual(bits(full.params));
    expect(bits(resumed.state.stepStates as never)).toEqual(bits(full.state.stepStates as never));
  });
});

describe("gradNormStep", () => {
  it("keeps Σ w = T, leaves balanced tasks alone and raises the weight of the task that trains slower", () => {
    expect(gradNormStep([1, 1], [2, 2], [1, 1], [1, 1], 1.5, 0.1)).toEqual([1, 1]);
    const w = gradNormStep([1, 1], [1, 1], [0.5, 1], [1, 1], 1.5, 0.1); // task 1 has not improved
    expect(w[0]! + w[1]!).toBeCloseTo(2, 14);
    expect(w[1]!).toBeGreaterThan(w[0]!);
    fc.assert(fc.property(fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }), (g) => {
      const ww = gradNormStep([1, 0.5, 1.5], g, [0.3, 0.7, 0.9], [1, 1, 1], 1.5, 0.05);
      expect(ww.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
      expect(ww.every((x) => x >= 0)).toBe(true);
    }));
  });
});

describe("gradNorm plugin", () => {
  it("learns task weights that sum to T from the shared layer's gradient norms; records (compiled = eager)", async () => {
    const { mt, model, data } = twoTaskProblem(24);
    const run = (compile: boolean) => fit({ model, data, loss: mt.loss, optimizer: sgd({ learningRate: 0.1 }), batchSize: 8, epochs: 3, seed: 1, compile, plugins: [gradNorm({ multiTask: mt, shared: under("trunk.layers[0].w") })] });
    const r = await run(true);
    expect(r.compiled).toBe(true);
    expect(r.notices).toEqual([]);
    const w = Array.from((r.state.stepStates!.gradNorm as { weights: Tensor }).weights.data);
    expect(w[0]! + w[1]!).toBeCloseTo(2, 12);
    expect(w[0]).not.toBe(1);
    expect(r.history.steps.at(-1)!["w.cls"]).toBe(w[0]);
    const e = await run(false);
    expect(bits(e.params)).toEqual(bits(r.params));
    // the first step's update is gradNormStep on that step's shared-layer gradient norms and losses (full batch)
    const params = model.init(prngKey(4));
    const one = await fit({ model, params, data, loss: mt.loss, optimizer: sgd({ learningRate: 0.1 }), batchSize: 24, steps: 1, seed: 1, plugins: [gradNorm({ multiTask: mt, shared: under("trunk.layers[0].w") })] });
    const ls = mt.taskLosses(model.apply(params, data.x), data).map((l) => l.item());
    const norms = mt.tasks.map((_, t) => {
      const g = grad((p: Tree) => mt.taskLosses(model.apply(p, data.x), data)[t]!)(params) as { trunk: { layers: { w: Tensor }[] } };
      return Math.sqrt(Array.from(g.trunk.layers[0]!.w.data).reduce((a, v) => a + v * v, 0));
    });
    const want = gradNormStep([1, 1], norms, ls, ls, 1.5, 0.025);
    Array.from((one.state.stepStates!.gradNorm as { weights: Tensor }).weights.data).forEach((v, t) => expect(v).toBeCloseTo(want[t]!, 10));
    expect(e.history.steps.map((x) => [x.loss, x["w.cls"], x["w.parity"]])).toEqual(r.history.steps.map((x) => [x.loss, x["w.cls"], x["w.parity"]]));
    expect(() => gradNorm({ multiTask: mt } as never)).toThrow(/gradNorm: shared/);
    await expect(fit({ model, data, loss: mt.loss, optimizer: sgd({ learningRate: 0.1 }), steps: 1, plugins: [gradNorm({ multiTask: mt, shared: under("nothing") })] })).rejects.toThrow(/selects no parameter/);
  });
});

