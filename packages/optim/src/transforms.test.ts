import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { expectAllclose } from "../test/helpers.js";
import { countValue } from "./count.js";
import { chain } from "./chain.js";
import { clip } from "./clip.js";
import { clipByGlobalNorm } from "./clip-by-global-norm.js";
import { emaMomentum } from "./ema-momentum.js";
import { OptionError, UsageError } from "./errors.js";
import { scaleByAdam } from "./scale-by-adam.js";
import { scaleByRms } from "./scale-by-rms.js";
import { scale, scaleByLearningRate } from "./scale.js";
import { traceMomentum } from "./trace-momentum.js";

describe("clip", () => {
  it("clamps every element to [−maxDelta, maxDelta]", () => {
    const [u] = clip({ maxDelta: 0.5 }).update(tensor([-2, 0.1, 0.7]), {});
    expectAllclose(u, [-0.5, 0.1, 0.5], { atol: 0 });
    expect(() => clip({ maxDelta: -1 })).toThrow(OptionError);
  });
});

describe("clipByGlobalNorm", () => {
  it("rescales to the max norm over all tensors and leaves small updates alone", () => {
    const t = clipByGlobalNorm({ maxNorm: 2.5 });
    const [u] = t.update({ a: tensor([3]), b: tensor([4]) }, {});
    expectAllclose(u, [1.5, 2], { rtol: 1e-15 });
    const small = { a: tensor([0.3]), b: tensor([0.4]) };
    expect(t.update(small, {})[0]).toBe(small);
    expect(() => clipByGlobalNorm({ maxNorm: 0 })).toThrow(/maxNorm/);
  });
  it("with eps: 1e-6 scales by maxNorm / (norm + 1e-6), as torch.nn.utils.clip_grad_norm_", () => {
    // torch: total_norm = 5, clip_coef = 2.5 / (5 + 1e-6) < 1, grads *= clip_coef.
    const [u] = clipByGlobalNorm({ maxNorm: 2.5, eps: 1e-6 }).update({ a: tensor([3]), b: tensor([4]) }, {});
    const coef = 2.5 / (5 + 1e-6);
    expectAllclose(u, [3 * coef, 4 * coef], { rtol: 1e-15 });
    // A norm just under maxNorm is scaled too when norm + eps exceeds it (torch's clamp of the coefficient at 1).
    const [v] = clipByGlobalNorm({ maxNorm: 1, eps: 1e-6 }).update({ a: tensor([1 - 1e-7]) }, {});
    expectAllclose(v, [(1 - 1e-7) / (1 - 1e-7 + 1e-6)], { rtol: 1e-15 });
    expect(() => clipByGlobalNorm({ maxNorm: 1, eps: -1 })).toThrow(/eps/);
  });
});

describe("scaleByLearningRate", () => {
  it("follows a schedule through its own step count and rejects a NaN schedule value at run time", () => {
    const t = scaleByLearningRate((c) => [0.1, 0.2, Number.NaN][c]!);
    let s = t.init(tensor([0]));
    const [u0, s1] = t.update(tensor([1]), s);
    const [u1, s2] = t.update(tensor([1]), s1);
    expectAllclose([...u0.data, ...u1.data], [-0.1, -0.2], { atol: 0 });
    expect(countValue(s2.count)).toBe(2);
    s = s2;
    expect(() => t.update(tensor([1]), s)).toThrow(UsageError);
  });

  it("rejects a negative learning rate naming the option", () => {
    expect(() => scaleByLearningRate(-1)).toThrow(/learningRate/);
    expect(() => scale(Number.NaN)).toThrow(/factor/);
  });
});

describe("traceMomentum and emaMomentum", () => {
  it("implement v ← βv + g and m ← βm + (1 − β)g with their Nesterov outputs (hand-computed)", () => {
    const g1 = tensor([1]), g2 = tensor([3]);
    const tr = traceMomentum({ beta: 0.5, nesterov: true });
    const [a1, s1] = tr.update(g1, tr.init(g1));
    const [a2] = tr.update(g2, s1);
    // v1 = 1 → out 1 + 0.5; v2 = 0.5 + 3 = 3.5 → out 3 + 1.75
    expectAllclose([...a1.data, ...a2.data], [1.5, 4.75], { atol: 1e-15 });
    const em = emaMomentum({ beta: 0.5 });
    const [b1, t1] = em.update(g1, em.init(g1));
    const [b2] = em.update(g2, t1);
    // m1 = 0.5, m2 = 0.25 + 1.5
    expectAllclose([...b1.data, ...b2.data], [0.5, 1.75], { atol: 1e-15 });
    const emn = emaMomentum({ beta: 0.5, nesterov: true });
    const [c1] = emn.update(g1, emn.init(g1));
    // m1 = 0.5 → out 0.5·0.5 + 0.5·1
    expectAllclose(c1, [0.75], { atol: 1e-15 });
  });

  it("reject a state initialised for other parameters", () => {
    const t = traceMomentum();
    expect(() => t.update({ a: tensor([1]), b: tensor([2]) }, t.init(tensor([1])))).toThrow(UsageError);
  });
});

describe("scaleByAdam", () => {
  it("puts epsRoot inside and eps outside the square root", () => {
    const t = scaleByAdam({ eps: 0.5, epsRoot: 0.75 });
    const [u] = t.update(tensor([0.5]), t.init(tensor([0])));
    // m̂ = 0.5, v̂ = 0.25: 0.5/(√(0.25 + 0.75) + 0.5)
    expectAllclose(u, [0.5 / 1.5], { rtol: 1e-14 });
  });
});

describe("scaleByRms", () => {
  it("places eps outside the root (PyTorch) or inside with epsInSqrt (optax)", () => {
    const g = tensor([2]);
    const out = scaleByRms({ decay: 0.75, eps: 0.5 }).update(g, scaleByRms({ decay: 0.75 }).init(g))[0];
    const inside = scaleByRms({ decay: 0.75, eps: 0.5, epsInSqrt: true }).update(g, scaleByRms({ decay: 0.75 }).init(g))[0];
    // v = 0.25·4 = 1
    expectAllclose([...out.data, ...inside.data], [2 / 1.5, 2 / Math.sqrt(1.5)], { rtol: 1e-15 });
  });
});

describe("hyperparams", () => {
  it("report the scheduled learning rate of the step about to be taken through chain and masked", () => {
    const opt = chain(traceMomentum(), scaleByLearningRate((c) => 0.1 / (c + 1)));
    let s = opt.init(tensor([0]));
    expect(opt.hyperparams!(s)).toEqual({ lr: 0.1 });
    s = opt.update(tensor([1]), s)[1];
    expect(opt.hyperparams!(s)).toEqual({ lr: 0.05 });
    expect(chain(scale(2)).hyperparams).toBeUndefined();
  });
});

describe("chain", () => {
  it("rejects a state of the wrong arity and non-transform members", () => {
    const t = chain(scale(2), scale(3));
    expect(() => t.update(tensor([1]), [{}] as never)).toThrow(UsageError);
    expect(() => chain({} as never)).toThrow(OptionError);
  });
});
