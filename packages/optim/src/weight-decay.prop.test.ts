import { type Tensor, add, grad, matmul, mul, square, sub, sum, tensor } from "@regularize/core-autodiff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expectAllclose, flat } from "../test/helpers.js";
import { addDecayedWeights } from "./add-decayed-weights.js";
import { adam, adamw, sgd } from "./aliases.js";
import { applyUpdates } from "./apply-updates.js";
import { chain } from "./chain.js";
import { scaleByLearningRate } from "./scale.js";
import type { Transformation } from "./transformation.js";

// Problem 9.5: one decoupled step φ ← (1 − λ')φ − α∇L is one SGD step on L + (λ'/(2α))·Σφ².
// The optax-style decoupled form is chain(addDecayedWeights({ weightDecay: λ }), scaleByLearningRate(α)),
// i.e. λ' = αλ; below λ = λ'/α.

const coef = fc.double({ min: -2, max: 2, noNaN: true });
const quadArb = fc.record({
  m: fc.array(coef, { minLength: 9, maxLength: 9 }),
  b: fc.array(coef, { minLength: 3, maxLength: 3 }),
  phi0: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
  alpha: fc.double({ min: 1e-3, max: 0.2, noNaN: true }),
  lambdaPrime: fc.double({ min: 0, max: 0.2, noNaN: true }),
});

/** L(φ) = ½‖Mφ‖² − bᵀφ: a random convex quadratic (A = MᵀM). */
function quadratic(m: readonly number[], b: readonly number[]): (phi: Tensor) => Tensor {
  const M = tensor([...m], { shape: [3, 3] }), bt = tensor([...b]);
  return (phi) => sub(mul(sum(square(matmul(M, phi))), 0.5), sum(mul(bt, phi)));
}

function run<T extends Tensor | Record<string, Tensor>>(opt: Transformation<unknown>, loss: (p: T) => Tensor, p0: T, steps: number): T[] {
  let p = p0, s = opt.init(p0);
  const path = [p0];
  for (let i = 0; i < steps; i++) {
    const [u, ns] = opt.update(grad(loss)(p), s, p);
    p = applyUpdates(p, u);
    s = ns;
    path.push(p);
  }
  return path;
}

describe("weight decay ≡ L2 under SGD (problem 9.5)", () => {
  it("one decoupled step equals (1 − λ')φ − α∇L and one SGD step on L + λ'/(2α)·Σφ²", () => {
    fc.assert(
      fc.property(quadArb, ({ m, b, phi0, alpha, lambdaPrime }) => {
        const L = quadratic(m, b);
        const phi = tensor(phi0);
        const g = flat(grad(L)(phi));
        const decoupled = chain(addDecayedWeights({ weightDecay: lambdaPrime / alpha }), scaleByLearningRate(alpha));
        const [u] = decoupled.update(grad(L)(phi), decoupled.init(phi), phi);
        const stepped = flat(applyUpdates(phi, u));
        expectAllclose(stepped, phi0.map((x, i) => (1 - lambdaPrime) * x - alpha * g[i]!), { rtol: 1e-12, atol: 1e-13 });
        const l2 = (p: Tensor) => add(L(p), mul(sum(square(p)), lambdaPrime / (2 * alpha)));
        const plain = sgd({ learningRate: alpha });
        const [u2] = plain.update(grad(l2)(phi), plain.init(phi), phi);
        expectAllclose(stepped, applyUpdates(phi, u2), { rtol: 1e-12, atol: 1e-13 });
      }),
      { numRuns: 60 },
    );
  });

  it("whole SGD trajectories coincide for random quadratics, α and λ'", () => {
    fc.assert(
      fc.property(quadArb, ({ m, b, phi0, alpha, lambdaPrime }) => {
        const L = quadratic(m, b);
        const l2 = (p: Tensor) => add(L(p), mul(sum(square(p)), lambdaPrime / (2 * alpha)));
        const steps = 25;
        const a = run(chain(addDecayedWeights({ weightDecay: lambdaPrime / alpha }), scaleByLearningRate(alpha)), L, tensor(phi0), steps);
        const c = run(sgd({ learningRate: alpha }), l2, tensor(phi0), steps);
        // also sgd's own weightDecay (coupled, PyTorch) with wd = λ'/α
        const d = run(sgd({ learningRate: alpha, weightDecay: lambdaPrime / alpha }), L, tensor(phi0), steps);
        a.forEach((p, i) => {
          // errors compound over steps; relative to the iterate scale
          const scale = Math.max(1, ...flat(c[i]!).map(Math.abs));
          expectAllclose(p, c[i]!, { atol: 1e-10 * scale });
          expectAllclose(p, d[i]!, { atol: 1e-10 * scale });
        });
      }),
      { numRuns: 40 },
    );
  });

  it("holds for a small linear model with biases, whose default mask leaves the bias undecayed", () => {
    fc.assert(
      fc.property(
        fc.array(coef, { minLength: 8, maxLength: 8 }),
        fc.array(coef, { minLength: 4, maxLength: 4 }),
        fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (xs, ys, alpha, lambdaPrime) => {
          const X = tensor(xs, { shape: [4, 2] }), Y = tensor(ys, { shape: [4, 1] });
          type P = { w: Tensor; b: Tensor };
          const L = (p: P) => sum(square(sub(add(matmul(X, p.w), p.b), Y)));
          // the equivalent penalty touches only w: the bias is 1-D, the default mask skips it
          const l2 = (p: P) => add(L(p), mul(sum(square(p.w)), lambdaPrime / (2 * alpha)));
          const p0: P = { w: tensor([[0.5], [-0.25]]), b: tensor([0.1]) };
          const a = run(chain(addDecayedWeights({ weightDecay: lambdaPrime / alpha }), scaleByLearningRate(alpha)), L, p0, 15);
          const c = run(sgd({ learningRate: alpha }), l2, p0, 15);
          a.forEach((p, i) => expectAllclose(p, c[i]!, { rtol: 1e-9, atol: 1e-11 }));
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("Adam + L2 ≠ AdamW", () => {
  it("gives different iterates on an ill-conditioned quadratic (witness)", () => {
    // gradients of very different scale: Adam normalises the coupled L2 term away on the steep
    // coordinate, while AdamW shrinks both coordinates by the same factor (1 − αλ)
    const L = (p: Tensor) => mul(sum(mul(tensor([100, 0.01]), square(p))), 0.5);
    const lr = 0.01, lambda = 0.1, p0 = tensor([1, 1]);
    const coupled = run(adam({ learningRate: lr, weightDecay: lambda }), L, p0, 10);
    const decoupled = run(adamw({ learningRate: lr, weightDecay: lambda }), L, p0, 10);
    const a = flat(coupled[10]!), b = flat(decoupled[10]!);
    expect(Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!)).toBeGreaterThan(5e-3);
    // first step by hand: Adam+L2 moves each coordinate by ≈ lr; AdamW by ≈ lr + lr·λ·φ
    expectAllclose(coupled[1]!, [1 - lr, 1 - lr], { rtol: 1e-6 });
    expectAllclose(decoupled[1]!, [1 - lr - lr * lambda, 1 - lr - lr * lambda], { rtol: 1e-6 });
  });

  it("coincide when λ = 0 (the difference is the decay, not the preconditioner)", () => {
    const L = (p: Tensor) => sum(square(p));
    const a = run(adam({ learningRate: 0.01 }), L, tensor([1, -2]), 5);
    const b = run(adamw({ learningRate: 0.01, weightDecay: 0 }), L, tensor([1, -2]), 5);
    expectAllclose(a[5]!, b[5]!, { rtol: 0, atol: 0 });
  });
});
