import type { GradientTransformation } from "@regularize/core-train";
import { fit, mlp } from "@regularize/core-train";
import { type Tree, Tensor, add, addScaledNormal, foldIn, matmul, mul, normal, prngKey, sub, tensor, treeFlatten } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { SEED1_X, SEED1_Y } from "../test/seed1.js";
import { BayesArgumentError } from "./errors.js";
import { choleskyFactor, choleskySolve, symmetricEigen } from "./dense.js";
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

const exact = linearGaussian({ features: H, targets: SEED1_Y, noiseVariance: S2, priorVariance: SP2 });

// λ_max(A) ≈ 349/N; ε·λ_max = 0.02 on the per-example scale: the Euler bias of the variance, ≈ ελ/2 ≤ 1% in the stiffest direction
const LMAX = 349 / N;
const EPS = 0.02 / LMAX;
const STEPS = 120_000, BURN_IN = 5_000;

/**
 * The discretised chain's exact law (not the continuous posterior's): with the full-batch gradient
 * A·e (e = φ − μ, μ = A⁻¹b) the chain is a linear Gaussian process. SGLD: e' = (I − εA)e + s·ξ, s² = 2εT/N,
 * per eigen-direction λ of A an AR(1) with ρ = 1 − ελ and variance s²/(1 − ρ²) = (T/(Nλ))·2/(2 − ελ).
 * SGHMC: v' = (1 − α)v − εA·e + s·ξ, e' = e + v', s² = 2αεT/N, per λ a VAR(1) in (e, v) whose stationary
 * covariance solves P = F·P·Fᵀ + s²·11ᵀ. From the autocovariances c(h) of e (h < n) in each coordinate:
 * the stationary variance C(0), the variance of the sample mean over n steps (1/n)(C(0) + 2Σ(1 − h/n)C(h)),
 * and that of the mean square about μ, (2/n)(C(0)² + 2Σ(1 − h/n)C(h)²) (Isserlis; Gaussian noise).
 */
function chainLaw(kind: { friction?: number }, eps: number, T: number, n: number) {
  const Ad = A.data as Float64Array;
  const { values: lam, vectors: Q } = symmetricEigen(Ad, D);
  const alpha = kind.friction ?? 1, sgld = kind.friction === undefined, s2 = (2 * alpha * eps * T) / N;
  const c = Array.from(lam, (l) => {
    const out = new Float64Array(n);
    if (sgld) {
      const rho = 1 - eps * l, v = s2 / (1 - rho * rho);
      for (let h = 0, x = v; h < n && Math.abs(x) > 1e-30; h++, x *= rho) out[h] = x;
      return out;
    }
    // F = [[1 − ελ, 1 − α], [−ελ, 1 − α]]; P = F P Fᵀ + s²·11ᵀ as a 3×3 system in (p11, p12, p22)
    const [fa, fb, fc, fd] = [1 - eps * l, 1 - alpha, -eps * l, 1 - alpha];
    const M = [[1 - fa * fa, -2 * fa * fb, -fb * fb], [-fa * fc, 1 - (fa * fd + fb * fc), -fb * fd], [-fc * fc, -2 * fc * fd, 1 - fd * fd]];
    const p = solve3(M, [s2, s2, s2]);
    // c(h) = [F^h P]₁₁, the rows of F^h P by the recurrence X ← F·X
    let x11 = p[0]!, x12 = p[1]!, x21 = p[1]!, x22 = p[2]!;
    for (let h = 0; h < n && Math.abs(x11) + Math.abs(x21) > 1e-30; h++) {
      out[h] = x11;
      [x11, x12, x21, x22] = [fa * x11 + fb * x21, fa * x12 + fb * x22, fc * x11 + fd * x21, fc * x12 + fd * x22];
    }
    return out;
  });
  return Array.from({ length: D }, (_, j) => {
    let c0 = 0, sm = 0, sq = 0;
    for (let h = 0; h < n; h++) {
      let C = 0;
      for (let i = 0; i < D; i++) C += Q[j * D + i]! ** 2 * c[i]![h]!;
      if (h === 0) { c0 = C; continue; }
      if (C === 0) break;
      sm += (1 - h / n) * C;
      sq += (1 - h / n) * C * C;
    }
    return { variance: c0, seMean: Math.sqrt((c0 + 2 * sm) / n), seMeanSquare: Math.sqrt((2 * (c0 * c0 + 2 * sq)) / n) };
  });
}

function solve3(M: number[][], r: number[]): number[] {
  const a = M.map((row, i) => [...row, r[i]!]);
  for (let k = 0; k < 3; k++) {
    const piv = a.slice(k).reduce((best, row, i) => (Math.abs(row[k]!) > Math.abs(a[best]![k]!) ? k + i : best), k);
    [a[k], a[piv]] = [a[piv]!, a[k]!];
    for (let i = k + 1; i < 3; i++) { const f = a[i]![k]! / a[k]![k]!; for (let j = k; j < 4; j++) a[i]![j]! -= f * a[k]![j]!; }
  }
  const x = [0, 0, 0];
  for (let k = 2; k >= 0; k--) x[k] = (a[k]![3]! - a[k]!.slice(k + 1, 3).reduce((s, v, i) => s + v * x[k + 1 + i]!, 0)) / a[k]![k]!;
  return x;
}

/**
 * z-scores of the chain's sample means (about the closed-form mean μ) and mean squares about μ against the
 * chain's exact law: exactly N(0, 1) for the mean under Gaussian noise, close to it for the mean square
 * (a sum of thousands of effectively independent squares). Worst |z| over the D coordinates.
 */
function chainZ(xs: Float64Array[], law: ReturnType<typeof chainLaw>) {
  const n = xs.length;
  let zMean = 0, zVar = 0;
  for (let j = 0; j < D; j++) {
    let m = 0, q = 0;
    for (const x of xs) { const e = x[j]! - exact.mean[j]!; m += e; q += e * e; }
    zMean = Math.max(zMean, Math.abs(m / n / law[j]!.seMean));
    zVar = Math.max(zVar, Math.abs((q / n - law[j]!.variance) / law[j]!.seMeanSquare));
  }
  return { zMean, zVar };
}

const LAW = {
  sgld1: chainLaw({}, EPS, 1, STEPS - BURN_IN),
  sgldHalf: chainLaw({}, EPS, 0.5, STEPS - BURN_IN),
  sghmc1: chainLaw({ friction: 0.05 }, EPS / 10, 1, STEPS - BURN_IN),
  sghmcHalf: chainLaw({ friction: 0.05 }, EPS / 10, 0.5, STEPS - BURN_IN),
};

/** The chain's law against the closed form: mean μ = the posterior mean; variance T·Σ_post within `bias`, and T = 0.5 halving it exactly. */
function checkLaw(law1: ReturnType<typeof chainLaw>, lawHalf: ReturnType<typeof chainLaw>, bias: number) {
  const mu = Array.from(solveSpd(A.data as Float64Array, b.data as Float64Array));
  mu.forEach((m, j) => expect(Math.abs(m - exact.mean[j]!)).toBeLessThan(1e-9 * (1 + Math.abs(exact.mean[j]!))));
  law1.forEach((l, j) => {
    const r = l.variance / exact.covariance[j * D + j]!;
    expect(r).toBeGreaterThanOrEqual(1 - 1e-9);
    expect(r).toBeLessThanOrEqual(1 + bias);
    expect(lawHalf[j]!.variance / l.variance).toBeCloseTo(0.5, 12);
  });
}

function solveSpd(a: Float64Array, rhs: Float64Array): Float64Array {
  const { L } = choleskyFactor("test", "A", a, D);
  return choleskySolve(L, D, rhs);
}

function expectChain(xs: Float64Array[], law: ReturnType<typeof chainLaw>, report: string) {
  const { zMean, zVar } = chainZ(xs, law);
  console.log(`${report}: worst |z| over ${D} coordinates: mean ${zMean.toFixed(2)}, mean square ${zVar.toFixed(2)}`);
  expect(zMean).toBeLessThan(5);
  expect(zVar).toBeLessThan(5);
}

describe("sgld on the figure-9.11 model", () => {
  it("the discretised chain's exact law: mean = the posterior mean, variance = T·Σ_post within ελ_max/(2 − ελ_max) ≈ 1%, halved at T = 0.5", () => {
    checkLaw(LAW.sgld1, LAW.sgldHalf, (EPS * LMAX) / (2 - EPS * LMAX) + 1e-9);
  });
  it("samples it: sample means and mean squares within 5 exact standard errors (T = 1 and T = 0.5)", () => {
    expectChain(chain(sgld({ learningRate: EPS, dataSize: N, seed: 1 }), STEPS, BURN_IN, exact.mean), LAW.sgld1, "sgld T=1");
    expectChain(chain(sgld({ learningRate: EPS, dataSize: N, temperature: 0.5, seed: 3 }), STEPS, BURN_IN, exact.mean), LAW.sgldHalf, "sgld T=0.5");
  });
});

describe("sgld with Rademacher noise (±sd: same mean and variance, the simplified weak Euler scheme)", () => {
  // the same second moments, so the same exact mean, variance and standard errors (the mean square's SE from
  // Isserlis is a little conservative here: two-point noise has a negative fourth cumulant)
  it("samples the chain's exact law: sample means and mean squares within 5 exact standard errors (T = 1 and T = 0.5)", () => {
    expectChain(chain(sgld({ learningRate: EPS, dataSize: N, seed: 11, noise: "rademacher" }), STEPS, BURN_IN, exact.mean), LAW.sgld1, "sgld rademacher T=1");
    expectChain(chain(sgld({ learningRate: EPS, dataSize: N, temperature: 0.5, seed: 12, noise: "rademacher" }), STEPS, BURN_IN, exact.mean), LAW.sgldHalf, "sgld rademacher T=0.5");
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
  it("the discretised chain's exact law: mean = the posterior mean, variance = T·Σ_post within 1%, halved at T = 0.5", () => {
    checkLaw(LAW.sghmc1, LAW.sghmcHalf, 0.01);
  });
  it("samples it: sample means and mean squares within 5 exact standard errors (T = 1 and T = 0.5)", () => {
    expectChain(chain(sghmc({ learningRate: EPS / 10, dataSize: N, friction: 0.05, seed: 3 }), STEPS, BURN_IN, exact.mean), LAW.sghmc1, "sghmc T=1");
    expectChain(chain(sghmc({ learningRate: EPS / 10, dataSize: N, friction: 0.05, temperature: 0.5, seed: 4 }), STEPS, BURN_IN, exact.mean), LAW.sghmcHalf, "sghmc T=0.5");
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

describe("SG-MCMC inside fit: the compiled step equals the eager step bit for bit", () => {
  it.each([
    ["sgld", () => sgld({ learningRate: EPS, dataSize: N })],
    ["sgld, Threefry-2x32-13", () => sgld({ learningRate: EPS, dataSize: N, threefryRounds: 13 })],
    ["sghmc", () => sghmc({ learningRate: EPS / 10, dataSize: N, friction: 0.1 })],
    // a schedule: the step's scalars come from callbacks replayed at the runtime count (a constant rate needs none)
    ["sgld, a step-size schedule", () => sgld({ learningRate: (c: number) => EPS / (1 + c / 10), dataSize: N })],
  ] as const)("%s", async (_name, optimizer) => {
    const x = tensor(H.map((r) => r.slice(0, 14))), y = tensor(SEED1_Y.map((v) => [v]));
    const opts = { model: mlp({ widths: [14, 8, 1] }), data: { x, y }, loss: gaussianNllLoss(S2), plugins: [gaussianPrior({ variance: SP2, dataSize: N })], batchSize: 5, steps: 40, seed: 3 };
    const c = await fit({ ...opts, optimizer: optimizer() }), e = await fit({ ...opts, optimizer: optimizer(), compile: false });
    expect(c.compiled).toBe(true);
    expect(e.compiled).toBe(false);
    const bits = (t: Tree) => treeFlatten(t)[0].flatMap((v) => Array.from(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength)));
    expect(bits(c.params as Tree).length).toBeGreaterThan(0);
    expect(bits(c.params as Tree)).toEqual(bits(e.params as Tree));
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
    expect(arg(() => sgld({ learningRate: 1e-3, dataSize: 15, threefryRounds: 12 as never }))).toBe("threefryRounds");
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
  it("the step is a·g + sd·z with the documented a and sd (sgld: −ε, √(2εT/N); sgMcmcNoise: 1, √(2T/(Nε))), float64 and float32, Threefry-20 and -13", () => {
    const eps = 0.01, n = 50, T = 0.7, key = prngKey(77);
    for (const dtype of ["float64", "float32"] as const) {
      const g = { a: mul(normal(prngKey(1), [33, 5], { dtype }), 0.3), b: normal(prngKey(2), [7], { dtype }) };
      const leaves = [g.a, g.b];
      const cases: { t: GradientTransformation<unknown>; a: number; sd: number; unit: boolean; rounds?: 13 }[] = [
        { t: sgld({ learningRate: eps, dataSize: n, temperature: T }) as GradientTransformation<unknown>, a: -eps, sd: Math.sqrt((2 * eps * T) / n), unit: false },
        { t: sgMcmcNoise({ learningRate: eps, dataSize: n, temperature: T }).transform as GradientTransformation<unknown>, a: 1, sd: Math.sqrt((2 * T) / (n * eps)), unit: true },
        { t: sgld({ learningRate: eps, dataSize: n, temperature: T, threefryRounds: 13 }) as GradientTransformation<unknown>, a: -eps, sd: Math.sqrt((2 * eps * T) / n), unit: false, rounds: 13 },
      ];
      for (const c of cases) {
        const [u] = c.t.update(g, c.t.init(g), g, 0, key);
        ["a", "b"].forEach((name, i) => {
          // Threefry-2x32-13: z is the 13-round draw (addScaledNormal with scale 0, std 1), else normal's
          const z = c.rounds === 13 ? addScaledNormal(foldIn(key, i), leaves[i]!, 0, 1, { rounds: 13 }) : normal(foldIn(key, i), leaves[i]!.shape, { dtype });
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
