import { fit, mlp } from "@regularize/core-train";
import { Tensor, grad, prngKey, tensor, sse, div, normal } from "@regularize/core-autodiff";
import { sgd } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import { SEED1_X, SEED1_Y } from "../test/seed1.js";
import { BayesArgumentError, MemoryLimitError, NotPositiveDefiniteError } from "./errors.js";
import { laplace } from "./laplace.js";
import { linearGaussian } from "./linear-gaussian.js";
import { gaussianNllLoss, gaussianPrior } from "./log-posterior.js";
import { reluFeatures } from "./relu-features.js";

// The figure-9.11 model as a core-train mlp on the 14 fixed ReLU features (its bias is the book's β).
const S2 = 0.09, SP2 = 10, N = 15, D = 15;
const H = reluFeatures(SEED1_X, 14);
const data = { x: tensor(H.map((r) => r.slice(0, 14))), y: tensor(SEED1_Y.map((v) => [v])) };
const model = mlp({ widths: [14, 1] });
const exact = linearGaussian({ features: H, targets: SEED1_Y, noiseVariance: S2, priorVariance: SP2 });
// a short MAP fit (not converged: the Newton step polishes the mode)
const trained = await fit({ model, data, loss: gaussianNllLoss(S2), optimizer: sgd({ learningRate: 0.05 }), plugins: [gaussianPrior({ variance: SP2, dataSize: N })], steps: 300, seed: 1 });

/** θ of "all" is in tree-leaf order (b, then w); the closed form has (ω_0…ω_13, β). */
const fromLeafOrder = (k: number) => (k === 0 ? 14 : k - 1);

function expectClosedForm(mean: Float64Array, cov: Float64Array, order: (k: number) => number, T = 1) {
  for (let k = 0; k < D; k++) {
    expect(Math.abs(mean[k]! - exact.mean[order(k)]!)).toBeLessThan(1e-9);
    for (let m = 0; m < D; m++) expect(Math.abs(cov[k * D + m]! - T * exact.covariance[order(k) * D + order(m)]!)).toBeLessThan(1e-9);
  }
}

describe("laplace on the figure-9.11 model (Gaussian likelihood): the closed form to 1e-9", () => {
  for (const curvature of ["ggn", "hessian"] as const) {
    it(`equals it with all parameters, full structure, ${curvature}`, () => {
      const la = laplace({ model, params: trained.params, data, likelihood: "gaussian", noiseVariance: S2, structure: "full", curvature, priorPrecision: 1 / SP2, newtonSteps: 1 });
      expectClosedForm(la.meanVector(), la.covarianceMatrix(), fromLeafOrder);
      expect(la.logMarginalLikelihood()).toBeCloseTo(exact.logEvidence, 9);
    });
  }
  for (const structure of ["full", "kron"] as const) {
    it(`equals it on the last layer (here every parameter), ${structure}`, () => {
      const la = laplace({ model, params: trained.params, data, likelihood: "gaussian", noiseVariance: S2, subset: "lastLayer", structure: "full", priorPrecision: 1 / SP2, newtonSteps: 1 });
      expectClosedForm(la.meanVector(), la.covarianceMatrix(), (k) => k);
      if (structure === "kron") {
        // Kronecker A ⊗ G is exact for one output and a Gaussian likelihood: centre it on the mode found above
        const kr = laplace({ model, params: la.mean, data, likelihood: "gaussian", noiseVariance: S2, subset: "lastLayer", structure: "kron", priorPrecision: 1 / SP2 });
        expectClosedForm(kr.meanVector(), kr.covarianceMatrix(), (k) => k);
        expect(kr.logMarginalLikelihood()).toBeCloseTo(exact.logEvidence, 9);
      }
    });
  }

  it("diagonal keeps the diagonal of the precision; T = 0.5 halves the covariance", () => {
    const la = laplace({ model, params: trained.params, data, likelihood: "gaussian", noiseVariance: S2, structure: "full", priorPrecision: 1 / SP2, newtonSteps: 1 });
    const full = la.covarianceMatrix();
    const dg = laplace({ model, params: la.mean, data, likelihood: "gaussian", noiseVariance: S2, structure: "diagonal", priorPrecision: 1 / SP2 }).covarianceMatrix();
    const prec = H[0]!.map((_, j) => H.reduce((s, r) => s + r[j]! ** 2, 0) / S2 + 1 / SP2);
    for (let k = 0; k < D; k++) expect(dg[k * D + k]).toBeCloseTo(1 / prec[fromLeafOrder(k)]!, 12);
    const cold = laplace({ model, params: la.mean, data, likelihood: "gaussian", noiseVariance: S2, structure: "full", priorPrecision: 1 / SP2, temperature: 0.5 }).covarianceMatrix();
    cold.forEach((v, k) => expect(v).toBeCloseTo(0.5 * full[k]!, 12));
  });

  it("linearised predictive = closed-form mean and function variance (+ σ² on request); sampled agrees within Monte-Carlo error", () => {
    const la = laplace({ model, params: trained.params, data, likelihood: "gaussian", noiseVariance: S2, structure: "full", priorPrecision: 1 / SP2, newtonSteps: 1 });
    const at = [0, 0.25, 0.5, 0.75, 1];
    const xs = tensor(reluFeatures(at, 14).map((r) => r.slice(0, 14)));
    const want = exact.predict(reluFeatures(at, 14));
    const fv = la.functionVariance(xs);
    const lin = la.predictive().predict(xs);
    at.forEach((_, i) => {
      expect(Math.abs(fv.mean.data[i]! - want.mean[i]!)).toBeLessThan(1e-9);
      expect(Math.abs(fv.variance.data[i]! - want.variance[i]!)).toBeLessThan(1e-9);
      expect(lin.variance.data[i]! - fv.variance.data[i]!).toBeCloseTo(S2, 12);
    });
    const S = 4000;
    const smp = la.predictive({ method: "sampled", samples: S, key: prngKey(2), includeNoise: false }).predict(xs);
    at.forEach((_, i) => {
      const sd = Math.sqrt(want.variance[i]!);
      expect(Math.abs(smp.mean.data[i]! - want.mean[i]!)).toBeLessThan(5 * sd / Math.sqrt(S));
      expect(Math.abs(smp.variance.data[i]! / want.variance[i]! - 1)).toBeLessThan(5 * Math.sqrt(2 / S));
    });
  });

  it("tunes the prior precision by the Laplace evidence (a maximum)", () => {
    const la = laplace({ model, params: trained.params, data, likelihood: "gaussian", noiseVariance: S2, structure: "full", priorPrecision: "marginalLikelihood" });
    const d = la.priorPrecision;
    for (const f of [0.9, 1.1]) expect(la.logMarginalLikelihood(d * f)).toBeLessThan(la.logMarginalLikelihood(d));
  });
});

describe("laplace: exact Hessian by double backprop", () => {
  it("matches central finite differences of the gradient on a tanh net (small, float64)", () => {
    const net = mlp({ widths: [1, 3, 1], activation: "tanh" });
    const p0 = net.init(prngKey(4));
    const xs = normal(prngKey(5), [8, 1], { dtype: "float64" }), ys = normal(prngKey(6), [8, 1], { dtype: "float64" });
    const la = laplace({ model: net, params: p0, data: { x: xs, y: ys }, likelihood: "gaussian", noiseVariance: 1, structure: "full", curvature: "hessian", priorPrecision: 100 });
    const P = la.covarianceMatrix();
    // (Σ)⁻¹ − δI = Hessian of Σ(y − f)²/2; compare Hessian·e_k with finite differences of the gradient
    const Dn = la.dim;
    const theta = la.meanVector();
    const g = (t: Float64Array) => {
      const [leaves] = [t];
      const tree = laSpaceTree(la, leaves);
      return flat(grad((p: typeof p0) => div(sse(net.apply(p, xs), ys), 2))(tree));
    };
    const Hfd = new Float64Array(Dn * Dn), h = 1e-5;
    for (let k = 0; k < Dn; k++) {
      const tp = Float64Array.from(theta); tp[k]! += h;
      const tm = Float64Array.from(theta); tm[k]! -= h;
      const gp = g(tp), gm = g(tm);
      for (let m = 0; m < Dn; m++) Hfd[m * Dn + k] = (gp[m]! - gm[m]!) / (2 * h);
    }
    // invert Σ by solving Σ X = I is overkill: check Σ·(Hfd + δI) ≈ I instead
    for (let r = 0; r < Dn; r++) for (let c = 0; c < Dn; c++) {
      let s = 0;
      for (let k = 0; k < Dn; k++) s += P[r * Dn + k]! * (Hfd[k * Dn + c]! + (k === c ? 100 : 0));
      expect(Math.abs(s - (r === c ? 1 : 0))).toBeLessThan(1e-6);
    }
  });

  it("throws NotPositiveDefiniteError when the Hessian plus prior is not positive definite", () => {
    const net = mlp({ widths: [1, 8, 1], activation: "tanh" });
    const xs = normal(prngKey(1), [20, 1], { dtype: "float64" }), ys = normal(prngKey(2), [20, 1], { dtype: "float64", std: 3 });
    const e = (() => { try { laplace({ model: net, params: net.init(prngKey(3)), data: { x: xs, y: ys }, likelihood: "gaussian", noiseVariance: 0.01, structure: "full", curvature: "hessian", priorPrecision: 1e-8 }); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(NotPositiveDefiniteError);
    expect((e as Error).message).toMatch(/Hessian \+ prior precision is not positive definite/);
  });
});

describe("laplace errors", () => {
  const base = { model, params: trained.params, data, likelihood: "gaussian" as const, noiseVariance: S2 };
  const arg = (o: object) => { try { laplace({ ...base, ...o }); } catch (e) { expect(e).toBeInstanceOf(BayesArgumentError); return (e as BayesArgumentError).argument; } return "no error"; };
  it("names the argument", () => {
    expect(arg({ noiseVariance: 0 })).toBe("noiseVariance");
    expect(arg({ priorPrecision: -1 })).toBe("priorPrecision");
    expect(arg({ temperature: 0 })).toBe("temperature");
    expect(arg({ structure: "kron", curvature: "hessian" })).toBe("structure");
    expect(arg({ data: { x: data.x, y: tensor([[1]]) } })).toBe("data");
    expect(arg({ likelihood: "poisson" })).toBe("likelihood");
  });
  it("refuses a factor above maxBytes before allocating, naming the size", () => {
    const e = (() => { try { laplace({ ...base, structure: "full", maxBytes: 1000 }); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(MemoryLimitError);
    expect((e as MemoryLimitError).bytes).toBe(3 * 8 * D * D);
    expect((e as Error).message).toMatch(/full factor over 15 parameters would need 5\.40 kB/);
  });
});

function flat(t: unknown): Float64Array {
  const out: number[] = [];
  const walk = (x: unknown): void => {
    if (x instanceof Tensor) out.push(...Array.from(x.data as ArrayLike<number>));
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === "object") for (const k of Object.keys(x).sort()) walk((x as Record<string, unknown>)[k]);
  };
  walk(t);
  return Float64Array.from(out);
}
function laSpaceTree<P>(la: { sample: unknown; mean: P }, theta: Float64Array): P {
  // rebuild a tree shaped like la.mean from a flat vector in leaf order
  let o = 0;
  const walk = (x: unknown): unknown => {
    if (x instanceof Tensor) { const d = theta.slice(o, o + x.size); o += x.size; return new Tensor(d, [...x.shape], "float64"); }
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === "object") { const r: Record<string, unknown> = {}; for (const k of Object.keys(x).sort()) r[k] = walk((x as Record<string, unknown>)[k]); return r; }
    return x;
  };
  return walk(la.mean) as P;
}

describe("laplace diagonal GGN (categorical)", () => {
  it("equals the diagonal of the full GGN", () => {
    const net = mlp({ widths: [2, 4, 3] });
    const xs = normal(prngKey(7), [10, 2], { dtype: "float64" });
    const ys = new Tensor(Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]), [10], "int32");
    const p0 = net.init(prngKey(8));
    const full = laplace({ model: net, params: p0, data: { x: xs, y: ys }, likelihood: "categorical", structure: "full", priorPrecision: 1e6 });
    const dg = laplace({ model: net, params: p0, data: { x: xs, y: ys }, likelihood: "categorical", structure: "diagonal", priorPrecision: 1e6 });
    // the diagonal factor holds diag(G) + δ; the full factor G + δI: compare the diagonals of the precisions
    const D = full.dim, Sd = dg.covarianceMatrix();
    // the full factor's precision diagonal: invert its covariance (small D)
    const Sf = full.covarianceMatrix();
    const Pf = invert(Sf, D);
    for (let k = 0; k < D; k++) expect(1 / Sd[k * D + k]!).toBeCloseTo(Pf[k * D + k]!, 6);
  });
});

function invert(a: Float64Array, n: number): Float64Array {
  // Gauss–Jordan (test helper)
  const m = Float64Array.from(a), inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]!) > Math.abs(m[piv * n + c]!)) piv = r;
    for (let k = 0; k < n; k++) { [m[c * n + k], m[piv * n + k]] = [m[piv * n + k]!, m[c * n + k]!]; [inv[c * n + k], inv[piv * n + k]] = [inv[piv * n + k]!, inv[c * n + k]!]; }
    const d = m[c * n + c]!;
    for (let k = 0; k < n; k++) { m[c * n + k]! /= d; inv[c * n + k]! /= d; }
    for (let r = 0; r < n; r++) if (r !== c) { const f = m[r * n + c]!; for (let k = 0; k < n; k++) { m[r * n + k]! -= f * m[c * n + k]!; inv[r * n + k]! -= f * inv[c * n + k]!; } }
  }
  return inv;
}
