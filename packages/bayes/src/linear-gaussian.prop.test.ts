import { fc, test } from "@fast-check/vitest";
import { add, eye, logdetSpd, matmul, mul, prngKey, solve, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { SEED1_X, SEED1_Y } from "../test/seed1.js";
import { BayesArgumentError, NotPositiveDefiniteError } from "./errors.js";
import { linearGaussian, maximizeEvidence } from "./linear-gaussian.js";
import { reluFeatures } from "./relu-features.js";

const H = reluFeatures(SEED1_X, 14);
const GRID = Array.from({ length: 41 }, (_, i) => i / 40);
const posterior = (sp2: number, s2 = 0.09, x = SEED1_X, y = SEED1_Y) => linearGaussian({ features: reluFeatures(x, 14), targets: y, noiseVariance: s2, priorVariance: sp2 });

/** Ridge φ = (HᵀH + λI)⁻¹Hᵀy by core-autodiff's LU solve (an independent path). */
function ridge(h: number[][], y: number[], lambda: number): number[] {
  const Ht = tensor(h);
  const A = add(matmul(Ht, Ht, { transA: true }), mul(eye(h[0]!.length), lambda));
  return Array.from(solve(A, matmul(Ht, tensor(y.map((v) => [v])), { transA: true })).data);
}

const logVar = fc.double({ min: -3, max: 3, noNaN: true }).map((e) => 10 ** e);

describe("linearGaussian properties", () => {
  test.prop([logVar, logVar], { numRuns: 40 })("posterior mean = ridge with λ = σ²/σ_p² (< 1e-9)", (sp2, s2) => {
    const mu = posterior(sp2, s2).mean;
    const r = ridge(H, SEED1_Y, s2 / sp2);
    const scale = Math.max(1, ...r.map(Math.abs));
    r.forEach((v, i) => expect(Math.abs(mu[i]! - v) / scale).toBeLessThan(1e-9));
  });

  test.prop([logVar, logVar], { numRuns: 25 })("log evidence = log N(y; 0, σ²I + σ_p²HHᵀ) computed directly", (sp2, s2) => {
    const Ht = tensor(H), n = H.length;
    const C = add(mul(matmul(Ht, Ht, { transB: true }), sp2), mul(eye(n), s2));
    const yt = tensor(SEED1_Y.map((v) => [v]));
    const quad = matmul(yt, solve(C, yt), { transA: true }).item();
    const direct = -0.5 * (n * Math.log(2 * Math.PI) + logdetSpd(C).item() + quad);
    expect(posterior(sp2, s2).logEvidence).toBeCloseTo(direct, 7);
  });

  test.prop([fc.integer({ min: 0, max: 14 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: -1, max: 4, noNaN: true }), logVar], { numRuns: 40 })(
    "adding a data point never raises the function variance anywhere", (drop, xNew, yNew, sp2) => {
      // start from 14 of the 15 points, add one new point
      const x = SEED1_X.filter((_, i) => i !== drop), y = SEED1_Y.filter((_, i) => i !== drop);
      const before = posterior(sp2, 0.09, x, y).predict(reluFeatures(GRID, 14)).variance;
      const after = posterior(sp2, 0.09, [...x, xNew], [...y, yNew]).predict(reluFeatures(GRID, 14)).variance;
      GRID.forEach((_, i) => expect(after[i]!).toBeLessThanOrEqual(before[i]! * (1 + 1e-10) + 1e-15));
    });

  it("tends to least squares as σ_p² → ∞ and to 0 (mean and variance) as σ_p² → 0", () => {
    const ls = ridge(H, SEED1_Y, 0);
    const far = posterior(1e12).mean;
    ls.forEach((v, i) => expect(Math.abs(far[i]! - v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(v))));
    const gaps = [1e4, 1e6, 1e8].map((sp2) => Math.max(...ls.map((v, i) => Math.abs(posterior(sp2).mean[i]! - v))));
    expect(gaps[1]!).toBeLessThan(gaps[0]!);
    expect(gaps[2]!).toBeLessThan(gaps[1]!);
    const tiny = posterior(1e-12);
    expect(Math.max(...Array.from(tiny.mean, Math.abs))).toBeLessThan(1e-9);
    expect(Math.max(...Array.from(tiny.predict(reluFeatures(GRID, 14)).variance))).toBeLessThan(1e-10);
  });

  it("Σ_post is symmetric positive definite and samples have its mean and covariance", () => {
    const post = posterior(10);
    const d = post.dim;
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) expect(post.covariance[i * d + j]).toBe(post.covariance[j * d + i]);
    const S = 20000;
    const samples = post.sample(prngKey(3), S);
    for (const j of [0, 7, 14]) {
      let m = 0, v = 0;
      for (const s of samples) m += s[j]! / S;
      for (const s of samples) v += (s[j]! - m) ** 2 / (S - 1);
      const sd = Math.sqrt(post.covariance[j * d + j]!);
      expect(Math.abs(m - post.mean[j]!)).toBeLessThan(5 * sd / Math.sqrt(S));
      expect(Math.abs(v / sd ** 2 - 1)).toBeLessThan(5 * Math.sqrt(2 / S));
    }
    // same key ⇒ same samples
    expect(Array.from(post.sample(prngKey(3), 2)[1]!)).toEqual(Array.from(samples[1]!));
  });

  it("includeNoise adds exactly σ² to the function variance", () => {
    const post = posterior(100);
    const f = post.predict(reluFeatures(GRID, 14)), y = post.predict(reluFeatures(GRID, 14), { includeNoise: true });
    GRID.forEach((_, i) => expect(y.variance[i]! - f.variance[i]!).toBeCloseTo(0.09, 14));
  });
});

describe("maximizeEvidence", () => {
  it("finds a stationary point of the log evidence that beats its neighbours", () => {
    const r = maximizeEvidence({ features: H, targets: SEED1_Y });
    expect(r.converged).toBe(true);
    const le = (lsp: number, ls: number) => posterior(Math.exp(lsp), Math.exp(ls)).logEvidence;
    const a = Math.log(r.priorVariance), b = Math.log(r.noiseVariance), h = 1e-4;
    expect(Math.abs((le(a + h, b) - le(a - h, b)) / (2 * h))).toBeLessThan(1e-6);
    expect(Math.abs((le(a, b + h) - le(a, b - h)) / (2 * h))).toBeLessThan(1e-6);
    for (const [da, db] of [[0.3, 0], [-0.3, 0], [0, 0.3], [0, -0.3]]) expect(le(a + da!, b + db!)).toBeLessThan(r.logEvidence);
    expect(r.effectiveParameters).toBeGreaterThan(0);
    expect(r.effectiveParameters).toBeLessThan(15);
  });

  it("keeps σ² fixed when asked and still maximises over σ_p²", () => {
    const r = maximizeEvidence({ features: H, targets: SEED1_Y, noiseVariance: 0.09, fix: "noiseVariance" });
    expect(r.noiseVariance).toBe(0.09);
    for (const f of [0.8, 1.25]) expect(posterior(r.priorVariance * f).logEvidence).toBeLessThan(r.logEvidence);
  });
});

describe("linearGaussian errors", () => {
  it("names the argument for non-positive variances and disagreeing shapes", () => {
    const bad = (o: object, arg: string) => {
      const e = (() => { try { linearGaussian({ features: H, targets: SEED1_Y, noiseVariance: 0.09, priorVariance: 10, ...o }); } catch (err) { return err; } })();
      expect(e).toBeInstanceOf(BayesArgumentError);
      expect((e as BayesArgumentError).name).toBe("BayesArgumentError");
      expect((e as BayesArgumentError).argument).toBe(arg);
    };
    bad({ noiseVariance: 0 }, "noiseVariance");
    bad({ priorVariance: -1 }, "priorVariance");
    bad({ priorVariance: Number.NaN }, "priorVariance");
    bad({ targets: SEED1_Y.slice(1) }, "targets");
    bad({ features: [[1, 2], [3]] }, "features");
    bad({ jitter: -1 }, "jitter");
    expect(() => posterior(10).predict([[1, 2]])).toThrow(/features.*15 parameters/);
  });

  it("reports a failed Cholesky and succeeds with an opt-in jitter", () => {
    // σ_p² huge and duplicated columns: the precision is singular to working precision
    const dup = H.map((r) => [...r, r[0]!]);
    const o = { features: dup, targets: SEED1_Y, noiseVariance: 1e-3, priorVariance: 1e300 };
    const e = (() => { try { linearGaussian(o); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(NotPositiveDefiniteError);
    expect((e as Error).message).toMatch(/Cholesky failed.*jitter/);
    const p = linearGaussian({ ...o, jitter: 1e-8 });
    expect(p.jitter).toBeGreaterThan(0);
  });
});
