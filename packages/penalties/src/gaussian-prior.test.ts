import { describe, it } from "vitest";
import fc from "fast-check";
import { type Tensor, add, eye, grad, matmul, mul, reshape, solve, sse, tensor, transpose } from "@regularize/core-autodiff";
import { l2Penalty } from "./l2.js";
import { allParams } from "./paths.js";
import { SEED1_X, SEED1_Y, expectAllclose } from "../test/helpers.js";

// Problem 9.1: a Gaussian prior N(0, σ_φ²) on every parameter is L2 with λ = 1/(2σ_φ²).
const K = 14;
/** Design matrix rows [1, h_0(x), …, h_{K−1}(x)] of the §1.2 network (bias first). */
const design = (xs: readonly number[]): Tensor => tensor(xs.map((x) => [1, ...Array.from({ length: K }, (_, k) => Math.max(0, x - k / K))]));
const H = design(SEED1_X);
const y = tensor(SEED1_Y);
const predict = (phi: Tensor): Tensor => reshape(matmul(H, reshape(phi, [K + 1, 1])), [SEED1_X.length]);
const LOG2PI = Math.log(2 * Math.PI);

/** −log N(v; 0 or μ, s²) summed, written from the density (not from the L2 formula). */
function negLogNormal(v: readonly number[], mu: readonly number[], s2: number): number {
  return v.reduce((acc, vi, i) => acc + 0.5 * LOG2PI + 0.5 * Math.log(s2) + (vi - mu[i]!) ** 2 / (2 * s2), 0);
}

describe("Gaussian prior as L2 (problem 9.1)", () => {
  it("negative log joint − (NLL + ‖φ‖²/(2σ_φ²)) is the constant (J/2)·log(2πσ_φ²) for random φ", () => {
    const sigma2 = 0.09;
    fc.assert(
      fc.property(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: K + 1, maxLength: K + 1 }), fc.double({ min: 0.1, max: 100, noNaN: true }), (phi, sp2) => {
        const pred = Array.from(predict(tensor(phi)).data);
        const negLogJoint = negLogNormal(SEED1_Y, pred, sigma2) + negLogNormal(phi, phi.map(() => 0), sp2);
        const nll = negLogNormal(SEED1_Y, pred, sigma2);
        const penalty = l2Penalty({ phi: tensor(phi) }, { lambda: 1 / (2 * sp2), mask: allParams }).item();
        expectAllclose(negLogJoint - (nll + penalty), ((K + 1) / 2) * Math.log(2 * Math.PI * sp2), { rtol: 1e-9, atol: 1e-9 });
      }),
    );
  });

  it("puts the Bayesian posterior mean (figure 9.11) at the minimum of SSE + (σ²/σ_p²)‖φ‖², bias included", () => {
    const sigma2 = 0.09;
    for (const sp2 of [1000, 100, 10]) {
      // μ_post = (HᵀH/σ² + I/σ_p²)⁻¹ Hᵀy/σ²
      const Ht = transpose(H);
      const A = add(mul(matmul(Ht, H), 1 / sigma2), mul(eye(K + 1), 1 / sp2));
      const mu = reshape(solve(A, mul(matmul(Ht, reshape(y, [SEED1_X.length, 1])), 1 / sigma2)), [K + 1]);
      const objective = (p: { phi: Tensor }) => add(sse(predict(p.phi), y), l2Penalty(p, { lambda: sigma2 / sp2, mask: allParams }));
      const g = grad(objective)({ phi: mu }).phi;
      expectAllclose(g.data, new Array(K + 1).fill(0), { atol: 1e-7 });
      if (sp2 === 10) {
        // CHAPTER9 fig 9.11 reference: posterior mean at x = 0, 0.25, 0.5, 0.75, 1 for σ_p² = 10
        const at = reshape(matmul(design([0, 0.25, 0.5, 0.75, 1]), reshape(mu, [K + 1, 1])), [5]);
        expectAllclose(at.data, [1.3625, 2.4634, 1.2772, 0.6167, 0.2783], { atol: 6e-5 });
      }
    }
  });
});
