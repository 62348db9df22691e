import { describe, expect, it } from "vitest";
import { add, eye, matmul, mul, prngKey, reshape, solve, sse, tensor, transpose } from "@regularize/core-autodiff";
import { type ShallowNetParams, fit, predict, shallowNet } from "@regularize/core-train";
import { dropout } from "./dropout.js";
import { FIG99_X, FIG99_Y, expectAllclose, sgd } from "../test/helpers.js";

// Figure 9.9 (CHAPTER9 §2): dropout removes a kink that costs nothing on the training data.
const K = 14;
const model = shallowNet({ K });
const x = tensor(FIG99_X);
const y = tensor(FIG99_Y);
const gapX = tensor([0.5, 8 / 14, 9 / 14]);
const h = (v: number, k: number) => Math.max(0, v - k / K);

/** Min-norm least squares as the limit of a vanishing ridge on [β, ω] (the design has rank 12 of 15). */
function minNormLeastSquares(): ShallowNetParams {
  const A = tensor(FIG99_X.map((v) => [1, ...Array.from({ length: K }, (_, k) => h(v, k))]));
  const At = transpose(A);
  const phi = solve(add(matmul(At, A), mul(eye(K + 1), 1e-11)), matmul(At, reshape(y, [FIG99_X.length, 1]))).data;
  return { beta: tensor(phi[0]!), omega: tensor(Array.from(phi.slice(1))) };
}

const sseOf = (p: ShallowNetParams, plugins = [] as ReturnType<typeof dropout>[]): number => sse(predict(model, p, x, { plugins }), y).item();
const gapValues = (p: ShallowNetParams, plugins = [] as ReturnType<typeof dropout>[]): number[] => Array.from(predict(model, p, gapX, { plugins }).data);
const withOmega = (p: ShallowNetParams, f: (w: number[]) => number[]): ShallowNetParams => ({ ...p, omega: tensor(f(Array.from(p.omega.data))) });

describe("figure 9.9: dropout removes the kink", () => {
  const ls = minNormLeastSquares();
  // panel a: least squares + a·(e7 − 2e8 + e9), a = 25 — a bump of height a/14 at x = 8/14 that is 0 at every data point
  const a = 25;
  const kinked = withOmega(ls, (w) => w.map((v, k) => v + (k === 7 ? a : k === 8 ? -2 * a : k === 9 ? a : 0)));

  it("builds the kinked fit: same SSE as least squares (≈ 0.054), a peak at x = 8/14", () => {
    const lsSse = sseOf(ls);
    expectAllclose(lsSse, 0.054, { atol: 0.003 });
    expectAllclose(sseOf(kinked), lsSse, { rtol: 1e-6 });
    const [g7, g8, g9] = gapValues(kinked) as [number, number, number];
    expectAllclose([g7, g8, g9], [0.75, 2.27, 0.44], { atol: 0.05 });
    expect(g8).toBeGreaterThan(g7 + 1);
  });

  it("turning off hidden unit 8 sends the curve up to the right (panel b)", () => {
    const off = withOmega(kinked, (w) => w.map((v, k) => (k === 8 ? 0 : v)));
    const at1 = (p: ShallowNetParams) => predict(model, p, tensor([1])).item();
    // the right-hand side gains slope −ω₈ ≈ +2a
    expectAllclose(at1(off) - at1(kinked), -kinked.omega.data[8]! * (1 - 8 / 14), { rtol: 1e-12 });
    expect(at1(off) - at1(kinked)).toBeGreaterThan(15);
    expect(sseOf(off)).toBeGreaterThan(100 * sseOf(kinked));
  });

  it("2000 iterations of dropout over units 7/8/9 flatten the kink; the weight-scaling rule keeps SSE ≈ 0.06 (panel c)", async () => {
    // recipe: each iteration drops exactly one of units 7, 8, 9 (uniformly), full-batch GD on the SSE
    const dp = dropout({ rate: 1 / 3, units: [7, 8, 9], sampling: "fixed-count", sharedMask: true, inference: "weight-scaling" });
    const { params } = await fit({ model, params: kinked, data: { x, y }, loss: "sse", optimizer: sgd(0.01), plugins: [dp], steps: 2000, key: prngKey(9), shuffle: false });
    const scaled = gapValues(params, [dp]);
    // monotone gap values, no peak in the middle
    expect(scaled[0]!).toBeGreaterThan(scaled[1]!);
    expect(scaled[1]!).toBeGreaterThan(scaled[2]!);
    expectAllclose(scaled, [0.98, 0.61, 0.4], { atol: 0.05 });
    const scaledSse = sseOf(params, [dp]);
    expect(scaledSse).toBeLessThan(0.08);
    expect(scaledSse).toBeGreaterThan(sseOf(ls));
    // without the (1 − p) = 2/3 scaling the un-dropped network mis-fits the right-hand data
    expect(sseOf(params)).toBeGreaterThan(1);
    console.info(`fig 9.9: gap values ${scaled.map((v) => v.toFixed(3)).join(" / ")}, SSE weight-scaled ${scaledSse.toFixed(4)}, unscaled ${sseOf(params).toFixed(3)}, LS ${sseOf(ls).toFixed(4)}`);
  });
});

