import { describe, expect, it } from "vitest";
import { type Tensor, add, grad, mul, prngKey, reshape, sse, sum, tensor } from "@regularize/core-autodiff";
import { inputNoise } from "./input-noise.js";
import { SEED1_X, SEED1_Y } from "../test/seed1.js";
import { expectAllclose, fitContext } from "../test/helpers.js";

// Problem 9.3 (errata version): y = φ0 + φ1·x with SSE; inputs x_i + ε_i, ε_i ~ N(0, σ_x²):
// E[L̃] = SSE(φ) + I·σ_x²·φ1², i.e. L2 on the slope only.
const X = tensor(SEED1_X), Y = tensor(SEED1_Y);
const I = SEED1_X.length;
const line = (phi: Tensor, x: Tensor) => add(mul(x, sliceAt(phi, 1)), sliceAt(phi, 0));
const sliceAt = (t: Tensor, i: number) => reshape(sum(mul(t, tensor(i === 0 ? [1, 0] : [0, 1]))), []);
const lossAt = (phi: Tensor, x: Tensor, y: Tensor) => sse(line(phi, x), y);
const tile = (v: readonly number[], m: number) => tensor(Float64Array.from({ length: v.length * m }, (_, k) => v[k % v.length]!));

describe("inputNoise (problem 9.3)", () => {
  const phi = tensor([0.8, -1.7]), sigma = 0.25;
  const expected = lossAt(phi, X, Y).item() + I * sigma ** 2 * 1.7 ** 2;

  it("reproduces E[L̃] = SSE + I·σ_x²·φ1² exactly with two-point noise ±σ_x (only two moments matter)", () => {
    // the loss is a sum of per-example terms, each quadratic in ε_i: averaging ε_i = ±σ is exact
    let avg = 0;
    SEED1_X.forEach((x, i) => {
      const li = (e: number) => lossAt(phi, tensor([x + e]), tensor([SEED1_Y[i]!])).item();
      avg += (li(sigma) + li(-sigma)) / 2;
    });
    expectAllclose(avg, expected, { rtol: 1e-14 });
    // and the expected gradient: ∂/∂φ1 gains 2Iσ_x²φ1, ∂/∂φ0 is unchanged
    const g = grad((p: Tensor) => lossAt(p, X, Y))(phi).data;
    let g0 = 0, g1 = 0;
    SEED1_X.forEach((x, i) => {
      for (const e of [sigma, -sigma]) {
        const gi = grad((p: Tensor) => lossAt(p, tensor([x + e]), tensor([SEED1_Y[i]!])))(phi).data;
        g0 += gi[0]! / 2;
        g1 += gi[1]! / 2;
      }
    });
    expectAllclose([g0, g1], [g[0]!, g[1]! + 2 * I * sigma ** 2 * -1.7], { rtol: 1e-13 });
  });

  it("agrees with the formula by Monte Carlo through the plugin (N = 10⁵ draws, 4 standard errors)", () => {
    const M = 6667; // replicas of the 15 points: ≈ 10⁵ noise draws in one beforeBatch
    const plugin = inputNoise({ sigma });
    const batch = { x: tile(SEED1_X, M), y: tile(SEED1_Y, M) };
    const noisy = plugin.beforeBatch!(batch, fitContext(phi, prngKey(93)))!;
    expect(noisy.y).toBe(batch.y);
    const r = add(line(phi, noisy.x), mul(noisy.y, -1)).data;
    const per = new Float64Array(M);
    for (let m = 0; m < M; m++) for (let i = 0; i < I; i++) per[m]! += r[m * I + i]! ** 2;
    const mean = per.reduce((a, b) => a + b, 0) / M;
    const sd = Math.sqrt(per.reduce((a, b) => a + (b - mean) ** 2, 0) / (M - 1));
    expect(Math.abs(mean - expected)).toBeLessThan((4 * sd) / Math.sqrt(M));
  });

  it("is the identity with σ = 0, fresh per key and a pure function of it", () => {
    const batch = { x: X, y: Y };
    expect(inputNoise({ sigma: 0 }).beforeBatch!(batch, fitContext(phi))).toBe(batch);
    const p = inputNoise({ sigma: 0.1 });
    const a = p.beforeBatch!(batch, fitContext(phi, prngKey(1)))!.x.data;
    expect(Array.from(p.beforeBatch!(batch, fitContext(phi, prngKey(1)))!.x.data)).toEqual(Array.from(a));
    expect(Array.from(p.beforeBatch!(batch, fitContext(phi, prngKey(2)))!.x.data)).not.toEqual(Array.from(a));
    expect(() => inputNoise({ sigma: Number.NaN })).toThrowError(/"sigma"/);
  });
});
