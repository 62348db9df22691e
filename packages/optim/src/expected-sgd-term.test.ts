import { type Tensor, add, mean, mul, square, sub, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { expectAllclose, rng } from "../test/helpers.js";
import { OptionError } from "./errors.js";
import { expectedSgdTerm } from "./expected-sgd-term.js";
import type { Loss } from "./loss.js";
import { implicitSgdTerm } from "./modified-loss.js";

// A linear model y ≈ w·x + c on I = 12 points; ℓ_i is the squared error of example i.
const R = rng(11);
const I = 12;
const xs = Array.from({ length: I }, () => 4 * R() - 2);
const ys = xs.map((x) => 0.7 * x - 0.3 + (R() - 0.5));
type P = { w: Tensor; c: Tensor };
const predict = (p: P, idx: readonly number[]) => add(mul(tensor(idx.map((i) => xs[i]!)), p.w), p.c);
const batchLoss = (idx: readonly number[]): Loss<P> => (p) => mean(square(sub(predict(p, idx), tensor(idx.map((i) => ys[i]!)))));
const perExample: Loss<P>[] = xs.map((_, i) => batchLoss([i]));
const all = xs.map((_, i) => i);
const vectorForm = (p: P) => square(sub(predict(p, all), tensor(ys)));
const phi: P = { w: tensor(0.2), c: tensor(0.5) };

/** A uniformly random partition of 0…I−1 into batches of size b (Fisher–Yates from a seeded rng). */
function randomPartition(next: () => number, b: number): number[][] {
  const perm = [...all];
  for (let i = perm.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  return Array.from({ length: perm.length / b }, (_, k) => perm.slice(k * b, (k + 1) * b));
}

describe("expectedSgdTerm", () => {
  it("equals the Monte Carlo average of the SGD term over random equal partitions (within 4 standard errors)", () => {
    const alpha = 0.4;
    for (const b of [2, 3, 4]) {
      const closed = expectedSgdTerm(perExample, alpha, b)(phi).item();
      const next = rng(100 + b);
      const draws: number[] = [];
      for (let k = 0; k < 200; k++) draws.push(implicitSgdTerm(randomPartition(next, b).map(batchLoss), alpha)(phi).item());
      const m = draws.reduce((s, v) => s + v, 0) / draws.length;
      const se = Math.sqrt(draws.reduce((s, v) => s + (v - m) ** 2, 0) / (draws.length - 1) / draws.length);
      expect(Math.abs(m - closed)).toBeLessThan(4 * se);
      expect(se).toBeLessThan(0.1 * closed);
    }
  });

  it("is (α/(4I))·Σ‖∇ℓ_i − ∇L‖² for b = 1, i.e. the SGD term of the partition into singletons", () => {
    const singletons = all.map((i) => [i]).map(batchLoss);
    expectAllclose(expectedSgdTerm(perExample, 0.3, 1)(phi), implicitSgdTerm(singletons, 0.3)(phi), { rtol: 1e-13 });
  });

  it("is ≥ 0, and 0 for full batch", () => {
    expect(expectedSgdTerm(perExample, 0.3, 5)(phi).item()).toBeGreaterThan(0);
    expect(expectedSgdTerm(perExample, 0.3, I)(phi).item()).toBe(0);
  });

  it("accepts one function returning the vector of per-example losses (vjp per example)", () => {
    expectAllclose(expectedSgdTerm(vectorForm, 0.3, 4)(phi), expectedSgdTerm(perExample, 0.3, 4)(phi), { rtol: 1e-13 });
  });

  it("validates batchSize and alpha", () => {
    expect(() => expectedSgdTerm(perExample, 0.3, 0)).toThrow(OptionError);
    expect(() => expectedSgdTerm(perExample, -1, 2)).toThrow(/alpha/);
    expect(() => expectedSgdTerm(perExample, 0.3, 13)(phi)).toThrow(/batchSize/);
  });
});
