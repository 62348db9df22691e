import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, grad, tensor } from "@regularize/core-autodiff";
import { PenaltyOptionError } from "./errors.js";
import { l0Count } from "./l0-count.js";
import { lp, lpPenalty } from "./lp.js";
import { allParams } from "./paths.js";
import { expectAllclose, finiteDiff } from "../test/helpers.js";

// Problem 9.6: g_P(φ) = Σ|φ_d|^P, evaluated on a 2-vector "phi" as in the figure 9.1b-style grid.
const g = (phi: readonly number[], p: number): number => lpPenalty({ phi: tensor(phi) }, { lambda: 1, p, mask: allParams }).item();
// grid-like coordinates (k/1000) keep the powers clear of float underflow, which is not the property under test
const coord = fc.integer({ min: -1000, max: 1000 }).map((k) => k / 1000);
const vec2 = fc.tuple(coord, coord);

describe("lp (problem 9.6)", () => {
  it("is homogeneous of degree P: g(tφ) = |t|^P·g(φ)", () => {
    fc.assert(
      fc.property(vec2, fc.integer({ min: -400, max: 400 }).map((k) => k / 100), fc.constantFrom(0.5, 1, 2, 3.5), (phi, t, p) => {
        expectAllclose(g(phi.map((v) => t * v), p), Math.abs(t) ** p * g(phi, p), { rtol: 1e-12, atol: 0 });
      }),
    );
  });

  it("is midpoint convex for P ≥ 1 on random pairs", () => {
    fc.assert(
      fc.property(vec2, vec2, fc.constantFrom(1, 1.5, 2, 3), (a, b, p) => {
        const mid = a.map((v, i) => (v + b[i]!) / 2);
        expect(g(mid, p)).toBeLessThanOrEqual((g(a, p) + g(b, p)) / 2 + 1e-12);
      }),
    );
  });

  it("is not convex for P = ½: at the midpoint of (1,0) and (0,1) it is 2√0.5 > 1", () => {
    const mid = g([0.5, 0.5], 0.5);
    expectAllclose(mid, 2 * Math.sqrt(0.5), { rtol: 1e-15 });
    expect(mid).toBeGreaterThan((g([1, 0], 0.5) + g([0, 1], 0.5)) / 2);
  });

  it("has diamond level sets for P = 1: g₁ = c on |φ0| + |φ1| = c", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), fc.boolean(), (c, s, n0, n1) => {
        const phi = [(n0 ? -1 : 1) * s * c, (n1 ? -1 : 1) * (1 - s) * c];
        expectAllclose(g(phi, 1), c, { rtol: 1e-12, atol: 1e-15 });
      }),
    );
  });

  it("counts non-zeros for P = 0 with l0Count: g₀ ∈ {0, 1, 2} in 2-D", () => {
    expect(l0Count({ phi: tensor([0, 0]) }, { mask: allParams })).toBe(0);
    expect(l0Count({ phi: tensor([0, -0.3]) }, { mask: allParams })).toBe(1);
    expect(l0Count({ phi: tensor([2, -0.3]) }, { mask: allParams })).toBe(2);
    expect(l0Count({ phi: tensor([1e-9, 1]) }, { mask: allParams, atol: 1e-6 })).toBe(1);
    expect(l0Count({ w: tensor([[0, 1]]), b: tensor([5]) })).toBe(1);
  });

  it("has gradient λP|φ|^(P−1)sign(φ) (finite differences) and 0 at an exact zero", () => {
    fc.assert(
      fc.property(fc.tuple(fc.double({ min: 0.1, max: 2, noNaN: true }), fc.double({ min: -2, max: -0.1, noNaN: true })), fc.constantFrom(0.5, 1.5, 3), (phi, p) => {
        const gr = grad((q: { phi: Tensor }) => lpPenalty(q, { lambda: 0.7, p, mask: allParams }))({ phi: tensor(phi) }).phi;
        const fd = finiteDiff((x) => 0.7 * g(Array.from(x), p), Float64Array.from(phi), 1e-6);
        expectAllclose(gr.data, fd, { rtol: 1e-6, atol: 1e-8 });
      }),
    );
    const at0 = grad((q: { phi: Tensor }) => lpPenalty(q, { lambda: 1, p: 0.5, mask: allParams }))({ phi: tensor([0, 1]) }).phi;
    expect(Array.from(at0.data)).toEqual([0, 0.5]);
  });

  it("rejects P ≤ 0 naming the option", () => {
    expect(() => lp({ lambda: 1, p: 0 })).toThrowError(PenaltyOptionError);
    expect(() => lp({ lambda: 1, p: -1 })).toThrowError(/"p"/);
  });
});
