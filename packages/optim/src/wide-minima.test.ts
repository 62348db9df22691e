import { type Tensor, type Tree, abs, add, grad, matmul, mul, prngKey, sse, sum, tensor, treeScale, treeSquaredNorm } from "@regularize/core-autodiff";
import { type ObjectiveContext, fit, shallowNet } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { toyTrainX, toyTrainY } from "../test/fixtures/toy.js";
import { expectAllclose, flat } from "../test/helpers.js";
import { fromEigen, matVec, orthonormalize } from "../test/linalg.js";
import { sgd } from "./aliases.js";
import { applyUpdates } from "./apply-updates.js";
import { entropySgd, entropySgdObjective } from "./entropy-sgd.js";
import { OptionError } from "./errors.js";
import { floodedLoss, flooding } from "./flooding.js";
import { sam, samObjective } from "./sam.js";

const Q = orthonormalize([[1, 0.4, 0.1], [0.2, 1, -0.3], [0.3, 0.1, 1]]);
const A = fromEigen(Q, [0.5, 2, 6]);
const quad = (p: Tensor) => mul(sum(mul(p, matmul(tensor(A), p))), 0.5);
const phi = [0.8, -0.6, 0.3];
const norm = (v: readonly number[]) => Math.hypot(...v);
const fakeCtx = (key = prngKey(0)) => ({ key }) as unknown as ObjectiveContext;

// full-batch shallow net on the toy data, for checks through fit
const model = shallowNet();
const data = { x: toyTrainX, y: toyTrainY };
const sseOf = (p: Tree) => sse(model.apply(p as never, data.x), data.y);

describe("samObjective / sam", () => {
  it("has value L(φ + ε) and gradient ∇L(φ + ε) with ε = ρ·g/‖g‖", () => {
    const g = matVec(A, phi);
    const eps = g.map((x) => (0.1 * x) / (norm(g) + 1e-12));
    const shifted = phi.map((x, i) => x + eps[i]!);
    const obj = samObjective(quad, { rho: 0.1 });
    expectAllclose(obj(tensor(phi)), quad(tensor(shifted)), { rtol: 1e-14 });
    expectAllclose(grad(obj)(tensor(phi)), matVec(A, shifted), { rtol: 1e-13 });
  });

  it("scales ε by T = |φ| + η in adaptive mode: ε = ρ·T²g/‖Tg‖", () => {
    const g = matVec(A, phi);
    const T = phi.map((x) => Math.abs(x) + 0.01);
    const tg = g.map((x, i) => T[i]! * x);
    const eps = g.map((x, i) => (0.5 * T[i]! * T[i]! * x) / (norm(tg) + 1e-12));
    const shifted = phi.map((x, i) => x + eps[i]!);
    expectAllclose(grad(samObjective(quad, { adaptive: true }))(tensor(phi)), matVec(A, shifted), { rtol: 1e-13 });
  });

  it("as a plugin takes the same steps as gradient descent on samObjective", async () => {
    const lr = 0.01, steps = 5;
    const r = await fit({ model, data, loss: "sse", optimizer: sgd({ learningRate: lr }), steps, seed: 2, plugins: [sam({ rho: 0.05 })] });
    let p = (await fit({ model, data, loss: "sse", optimizer: sgd({ learningRate: lr }), steps: 0, seed: 2 })).params as Tree;
    for (let i = 0; i < steps; i++) p = applyUpdates(p, treeScale(grad(samObjective(sseOf, { rho: 0.05 }))(p), -lr));
    expectAllclose(r.params, p, { rtol: 1e-12, atol: 1e-14 });
    expect(() => sam({ rho: -1 })).toThrow(OptionError);
  });
});

describe("floodedLoss / flooding", () => {
  it("is L above the flood level and reflects the gradient below it", () => {
    const L = quad(tensor(phi)).item();
    const above = floodedLoss(quad, L / 2), below = floodedLoss(quad, 2 * L);
    expectAllclose(above(tensor(phi)), L, { rtol: 1e-15 });
    expectAllclose(below(tensor(phi)), 3 * L, { rtol: 1e-15 });
    expectAllclose(grad(above)(tensor(phi)), matVec(A, phi), { rtol: 1e-14 });
    expectAllclose(grad(below)(tensor(phi)), matVec(A, phi).map((x) => -x), { rtol: 1e-14 });
  });

  it("as a plugin wraps the objective (the logged loss floats at the level)", async () => {
    const r = await fit({ model, data, loss: "sse", optimizer: sgd({ learningRate: 0.01 }), steps: 1, seed: 2, plugins: [flooding({ level: 100 })] });
    const init = (await fit({ model, data, loss: "sse", optimizer: sgd({ learningRate: 0.01 }), steps: 0, seed: 2 })).params;
    const L = sseOf(init).item();
    expectAllclose(r.history.steps[0]!.loss, Math.abs(L - 100) + 100, { rtol: 1e-14 });
    expect(() => flooding({ level: Number.NaN })).toThrow(/level/);
  });
});

describe("entropySgdObjective / entropySgd", () => {
  it("has gradient γ(φ − μ) with μ from the inner Langevin loop, and value L(φ) (noise-free check)", () => {
    const gamma = 0.5, L = 7, lr = 0.05, alpha = 0.75;
    // the loop of Chaudhari et al.'s Algorithm 1, written independently on arrays
    let xp = [...phi], mu = [...phi];
    for (let l = 0; l < L; l++) {
      const g = matVec(A, xp);
      xp = xp.map((v, i) => v - lr * (g[i]! - gamma * (phi[i]! - v)));
      mu = mu.map((m, i) => (1 - alpha) * m + alpha * xp[i]!);
    }
    const obj = entropySgdObjective(quad, prngKey(1), { gamma, innerSteps: L, innerLr: lr, noise: 0, alpha });
    expectAllclose(grad(obj)(tensor(phi)), phi.map((v, i) => gamma * (v - mu[i]!)), { rtol: 1e-12, atol: 1e-15 });
    expectAllclose(obj(tensor(phi)), quad(tensor(phi)), { rtol: 1e-14 });
  });

  it("is reproducible per key and stochastic across keys", () => {
    const g1 = flat(grad(entropySgdObjective(quad, prngKey(4), { noise: 0.1 }))(tensor(phi)));
    const g2 = flat(grad(entropySgdObjective(quad, prngKey(4), { noise: 0.1 }))(tensor(phi)));
    const g3 = flat(grad(entropySgdObjective(quad, prngKey(5), { noise: 0.1 }))(tensor(phi)));
    expect(g1).toEqual(g2);
    expect(g1).not.toEqual(g3);
  });

  it("as a plugin draws its noise from the plugin's per-step key", () => {
    const plugin = entropySgd({ noise: 0.1, innerSteps: 3 });
    const a = flat(grad(plugin.objective!(quad as never, fakeCtx(prngKey(7))))(tensor(phi)));
    const b = flat(grad(entropySgdObjective(quad, prngKey(7), { noise: 0.1, innerSteps: 3 }))(tensor(phi)));
    expect(a).toEqual(b);
    expect(() => entropySgd({ innerSteps: 0 })).toThrow(/innerSteps/);
  });
});

describe("objective wrappers on trees", () => {
  it("SAM, flooding and entropy-SGD accept tree parameters", () => {
    const L = (p: { a: Tensor; b: Tensor }) => add(treeSquaredNorm(p), sum(abs(p.a)));
    const p = { a: tensor([0.5, -1]), b: tensor(2) };
    for (const obj of [samObjective(L), floodedLoss(L, 0.1), entropySgdObjective(L, prngKey(0), { innerSteps: 2 })]) {
      const g = grad(obj)(p);
      expect(flat(g).every(Number.isFinite)).toBe(true);
      expect(flat(g).length).toBe(3);
    }
  });
});
