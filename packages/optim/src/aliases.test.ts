import { type Tensor, type Tree, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { expectAllclose, rng } from "../test/helpers.js";
import { adam, adamw, momentum, rmsprop, sgd } from "./aliases.js";
import { applyUpdates } from "./apply-updates.js";
import { OptionError } from "./errors.js";
import type { Transformation } from "./transformation.js";

// The references below are PyTorch's update rules (torch.optim docs, "Algorithm" boxes) written out
// independently on plain arrays; the elementwise loss gradient g(φ) = c ⊙ φ + d makes the model a
// separable quadratic, so one flat array per step is a complete reference state.

type P = { w: Tensor; b: Tensor };
const R = rng(7);
const W0 = Array.from({ length: 6 }, () => 2 * R() - 1);
const B0 = Array.from({ length: 3 }, () => 2 * R() - 1);
const C = Array.from({ length: 9 }, () => 0.5 + 2 * R());
const D = Array.from({ length: 9 }, () => R() - 0.5);
// leaf order of {b, w} is b then w (sorted keys): the flat reference uses the same order
const P0 = [...B0, ...W0];
const params0: P = { w: tensor(W0, { shape: [2, 3] }), b: tensor(B0) };
const gradOf = (p: readonly number[]): number[] => p.map((x, i) => C[i]! * x + D[i]!);
const gradTree = (p: P): P => {
  const g = gradOf([...p.b.data, ...p.w.data]);
  return { b: tensor(g.slice(0, 3)), w: tensor(g.slice(3), { shape: [2, 3] }) };
};
const STEPS = 6;

function runOpt(opt: Transformation<unknown>, threeArgs = true): number[] {
  let p: P = params0;
  let s = opt.init(p);
  for (let t = 0; t < STEPS; t++) {
    // the acceptance contract: update(grads, state, params) with no step argument
    const [u, ns] = threeArgs ? opt.update(gradTree(p), s, p) : opt.update(gradTree(p), s, p, t);
    s = ns;
    p = applyUpdates(p, u);
  }
  return [...p.b.data, ...p.w.data];
}

describe("sgd", () => {
  it("matches torch.optim.SGD (plain, momentum, Nesterov, coupled weight decay)", () => {
    for (const [mu, nesterov, wd] of [[0, false, 0], [0.9, false, 0], [0.9, true, 0], [0.8, false, 0.1], [0.5, true, 0.05]] as const) {
      const lr = 0.05;
      let p = [...P0];
      let buf: number[] | null = null;
      for (let t = 0; t < STEPS; t++) {
        let g = gradOf(p).map((gi, i) => gi + wd * p[i]!);
        if (mu !== 0) {
          buf = buf === null ? [...g] : buf.map((b, i) => mu * b + g[i]!);
          g = nesterov ? g.map((gi, i) => gi + mu * buf![i]!) : [...buf];
        }
        p = p.map((x, i) => x - lr * g[i]!);
      }
      const opt = sgd({ learningRate: lr, momentum: mu, nesterov, weightDecay: wd, weightDecayMask: true });
      expectAllclose(runOpt(opt), p, { rtol: 1e-13, atol: 1e-15 });
    }
  });

  it("takes the hand-computed momentum steps 0.1 then 0.19 on a unit gradient", () => {
    const opt = sgd({ learningRate: 0.1, momentum: 0.9 });
    const g = tensor([1]);
    let p = tensor([0]);
    let s = opt.init(p);
    const [u1, s1] = opt.update(g, s, p);
    p = applyUpdates(p, u1);
    s = s1;
    expectAllclose(p, [-0.1], { atol: 1e-15 });
    const [u2] = opt.update(g, s, p);
    expectAllclose(applyUpdates(p, u2), [-0.29], { atol: 1e-15 });
  });

  it("leaves biases alone with the default weight-decay mask", () => {
    const opt = sgd({ learningRate: 0.1, weightDecay: 0.5 });
    const zero: P = { w: tensor(new Float64Array(6), { shape: [2, 3] }), b: tensor([0, 0, 0]) };
    const [u] = opt.update(zero, opt.init(params0), params0);
    const out = u as P;
    expectAllclose(out.b, [0, 0, 0], { atol: 0 });
    expectAllclose(out.w, W0.map((w) => -0.1 * 0.5 * w), { rtol: 1e-15 });
  });

  it("rejects NaN, negative and missing learning rates with an OptionError naming learningRate", () => {
    for (const bad of [Number.NaN, -0.1, undefined, Infinity]) {
      const make = () => sgd({ learningRate: bad as number });
      expect(make).toThrow(OptionError);
      expect(make).toThrow(/learningRate/);
    }
    expect(() => sgd({ learningRate: 0.1, nesterov: true })).toThrow(/nesterov/);
    expect(() => sgd({ learningRate: 0.1, momentum: 1 })).toThrow(/momentum/);
  });
});

describe("momentum", () => {
  it("follows the book's eq. 6.11 m ← βm + (1 − β)g by default and PyTorch's with convention 'trace'", () => {
    const lr = 0.1, beta = 0.7;
    let p = [...P0], m = P0.map(() => 0);
    for (let t = 0; t < STEPS; t++) {
      const g = gradOf(p);
      m = m.map((mi, i) => beta * mi + (1 - beta) * g[i]!);
      p = p.map((x, i) => x - lr * m[i]!);
    }
    expectAllclose(runOpt(momentum({ learningRate: lr, beta })), p, { rtol: 1e-13, atol: 1e-15 });
    expectAllclose(runOpt(momentum({ learningRate: lr, beta, convention: "trace" })), runOpt(sgd({ learningRate: lr, momentum: beta })), { rtol: 0, atol: 0 });
  });
});

describe("adam", () => {
  it("matches torch.optim.Adam, including coupled weight decay", () => {
    for (const [lr, b1, b2, eps, wd] of [[1e-2, 0.9, 0.999, 1e-8, 0], [0.05, 0.8, 0.99, 1e-3, 0.1]] as const) {
      let p = [...P0], m = P0.map(() => 0), v = P0.map(() => 0);
      for (let t = 1; t <= STEPS; t++) {
        const g = gradOf(p).map((gi, i) => gi + wd * p[i]!);
        m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
        v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! * g[i]!);
        const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
        const stepSize = lr / bc1;
        p = p.map((x, i) => x - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / Math.sqrt(bc2) + eps));
      }
      const opt = adam({ learningRate: lr, b1, b2, eps, weightDecay: wd, weightDecayMask: true });
      expectAllclose(runOpt(opt), p, { rtol: 1e-12, atol: 1e-14 });
    }
  });

  it("moves by ≈ lr·sign(g) on its first step (hand-computed)", () => {
    const opt = adam({ learningRate: 0.01 });
    const p = tensor([1, -2]);
    const [u] = opt.update(tensor([0.5, -3]), opt.init(p), p);
    // m̂ = g, v̂ = g², so u = −lr·g/(|g| + 1e-8)
    expectAllclose(u, [-0.01 * (0.5 / (0.5 + 1e-8)), 0.01 * (3 / (3 + 1e-8))], { rtol: 1e-14 });
  });
});

describe("adamw", () => {
  it("matches torch.optim.AdamW (decay φ·(1 − αλ) then the Adam step)", () => {
    const lr = 0.02, wd = 0.3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    let p = [...P0], m = P0.map(() => 0), v = P0.map(() => 0);
    for (let t = 1; t <= STEPS; t++) {
      const g = gradOf(p);
      p = p.map((x) => x * (1 - lr * wd));
      m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
      v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! * g[i]!);
      const bc1 = 1 - b1 ** t, bc2 = 1 - b2 ** t;
      p = p.map((x, i) => x - ((lr / bc1) * m[i]!) / (Math.sqrt(v[i]!) / Math.sqrt(bc2) + eps));
    }
    expectAllclose(runOpt(adamw({ learningRate: lr, weightDecay: wd, weightDecayMask: true })), p, { rtol: 1e-12, atol: 1e-14 });
  });

  it("gives the same iterates whether or not update receives the step argument", () => {
    const opt = adamw({ learningRate: 0.02 });
    expectAllclose(runOpt(opt, true), runOpt(opt, false), { rtol: 0, atol: 0 });
  });
});

describe("rmsprop", () => {
  it("matches torch.optim.RMSprop (plain, centred, momentum, weight decay)", () => {
    for (const [centered, mu, wd] of [[false, 0, 0], [true, 0, 0], [false, 0.9, 0.01], [true, 0.5, 0]] as const) {
      const lr = 0.01, alpha = 0.99, eps = 1e-8;
      let p = [...P0], v = P0.map(() => 0), ga = P0.map(() => 0), buf = P0.map(() => 0);
      for (let t = 0; t < STEPS; t++) {
        const g = gradOf(p).map((gi, i) => gi + wd * p[i]!);
        v = v.map((vi, i) => alpha * vi + (1 - alpha) * g[i]! * g[i]!);
        let avg: number[];
        if (centered) {
          ga = ga.map((a, i) => alpha * a + (1 - alpha) * g[i]!);
          avg = v.map((vi, i) => Math.sqrt(vi - ga[i]! * ga[i]!) + eps);
        } else avg = v.map((vi) => Math.sqrt(vi) + eps);
        if (mu > 0) {
          buf = buf.map((b, i) => mu * b + g[i]! / avg[i]!);
          p = p.map((x, i) => x - lr * buf[i]!);
        } else p = p.map((x, i) => x - (lr * g[i]!) / avg[i]!);
      }
      const opt = rmsprop({ learningRate: lr, centered, momentum: mu, weightDecay: wd, weightDecayMask: true });
      expectAllclose(runOpt(opt), p, { rtol: 1e-12, atol: 1e-14 });
    }
  });
});

describe("aliases", () => {
  it("keep their state as plain data that survives a JSON round trip of the numbers", () => {
    const opt = adam({ learningRate: 0.01 });
    const [, s] = opt.update(gradTree(params0), opt.init(params0), params0);
    const leaves = (s as unknown[]).flatMap(function walk(x: unknown): unknown[] {
      if (Array.isArray(x)) return x.flatMap(walk);
      if (x !== null && typeof x === "object" && !("data" in x)) return Object.values(x).flatMap(walk);
      return [x];
    });
    expect(leaves.length).toBeGreaterThan(0);
    for (const l of leaves) expect(typeof l === "number" || (l as Tree & { data: unknown }).data instanceof Float64Array).toBe(true);
  });
});
