import { type Model, type MlpParams, mlp, softmaxRows } from "@regularize/core-train";
import { Tensor, type Tree, normal, prngKey, slice, treeFlatten, vjp } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { chainDiagonalGgn, chainKronFactors } from "./chain-curvature.js";
import { denseChain } from "./dense-chain.js";
import { MemoryLimitError } from "./errors.js";
import { laplace } from "./laplace.js";

// The slow exact reference: per-example Jacobians J_i (one vjp per output) and G = Σ_i J_iᵀ Λ_i J_i.
const flat = (t: Tree) => Float64Array.from(treeFlatten(t)[0].flatMap((l) => Array.from(l.data as ArrayLike<number>)));
function exactGgn<P extends Tree>(model: Model<P>, params: P, x: Tensor, y: Tensor, lik: "gaussian" | "categorical", s2 = 1): { G: Float64Array; J: Float64Array[]; D: number; C: number } {
  const n = x.shape[0]!, D = flat(params).length;
  let C = 0;
  const Js: Float64Array[] = [];
  let G = new Float64Array(0);
  for (let i = 0; i < n; i++) {
    const [out, back] = vjp((p: P) => model.apply(p, slice(x, [[i, i + 1]])), params);
    C = out.shape[1]!;
    if (G.length === 0) G = new Float64Array(D * D);
    const J = new Float64Array(C * D);
    for (let c = 0; c < C; c++) {
      const e = new Float64Array(C); e[c] = 1;
      J.set(flat(back(new Tensor(e, [1, C], "float64"))), c * D);
    }
    Js.push(J);
    const L = new Float64Array(C * C);
    if (lik === "gaussian") for (let c = 0; c < C; c++) L[c * C + c] = 1 / s2;
    else {
      const p = softmaxRows(out.data as Float64Array, 1, C);
      for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) L[a * C + b] = (a === b ? p[a]! : 0) - p[a]! * p[b]!;
    }
    for (let a = 0; a < C; a++) for (let b = 0; b < C; b++) {
      const l = L[a * C + b]!;
      if (l === 0) continue;
      for (let k = 0; k < D; k++) for (let m = 0; m < D; m++) G[k * D + m]! += J[a * D + k]! * l * J[b * D + m]!;
    }
  }
  return { G, J: Js, D, C };
}

const labels = (n: number, C: number) => new Tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % C), [n], "int32");
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe("batched diagonal GGN of a dense chain (BackPACK's DiagGGN)", () => {
  const cases = [
    { name: "categorical, residual relu 3-5-5-4", net: mlp({ widths: [3, 5, 5, 4], residual: true }), lik: "categorical" as const, C: 4 },
    { name: "Gaussian (σ² = 0.3), tanh 2-4-2", net: mlp({ widths: [2, 4, 2], activation: "tanh" }), lik: "gaussian" as const, C: 2 },
    { name: "categorical, no bias, softplus 3-6-3", net: mlp({ widths: [3, 6, 3], activation: "softplus", bias: false }), lik: "categorical" as const, C: 3 },
  ];
  for (const { name, net, lik, C } of cases) {
    it(`equals the exact per-example diag(Σ JᵀΛJ) to 1e-9 (${name})`, () => {
      const n = 13, inW = (net.init(prngKey(0)) as MlpParams).layers[0]!.w.shape[0]!;
      const p = net.init(prngKey(1));
      const x = normal(prngKey(2), [n, inW], { dtype: "float64" });
      const y = lik === "categorical" ? labels(n, C) : normal(prngKey(3), [n, C], { dtype: "float64" });
      const s2 = lik === "gaussian" ? 0.3 : 1;
      const chain = denseChain(net, p, x);
      expect(chain).toBeDefined();
      const ref = exactGgn(net, p, x, y, lik, s2);
      const { G } = chainDiagonalGgn(chain!, x, y, lik, s2, ref.D);
      const scale = maxAbs(G);
      expect(scale).toBeGreaterThan(0.01);
      for (let k = 0; k < ref.D; k++) expect(Math.abs(G[k]! - ref.G[k * ref.D + k]!)).toBeLessThan(1e-9 * Math.max(1, scale));
    });
  }

  it("laplace's diagonal posterior uses it, and a model that is not a verifiable chain takes the per-example path with the same answer", () => {
    const net = mlp({ widths: [3, 5, 3] });
    const p = net.init(prngKey(4));
    const x = normal(prngKey(5), [9, 3], { dtype: "float64" }), y = labels(9, 3);
    // same function, other name: not recognised as an mlp
    const wrapped: Model<MlpParams> = { name: "wrapped", init: net.init, apply: (q, xx, ctx) => net.apply(q, xx, ctx) };
    expect(denseChain(wrapped, p, x)).toBeUndefined();
    const a = laplace({ model: net, params: p, data: { x, y }, likelihood: "categorical", structure: "diagonal", priorPrecision: 0.5 });
    const b = laplace({ model: wrapped, params: p, data: { x, y }, likelihood: "categorical", structure: "diagonal", priorPrecision: 0.5 });
    const Sa = a.covarianceMatrix(), Sb = b.covarianceMatrix();
    for (let k = 0; k < a.dim; k++) expect(Math.abs(Sa[k * a.dim + k]! - Sb[k * a.dim + k]!)).toBeLessThan(1e-12);
    expect(a.logLikelihood).toBeCloseTo(b.logLikelihood, 10);
    expect(a.logMarginalLikelihood()).toBeCloseTo(b.logMarginalLikelihood(), 9);
    // the batched function variance equals the per-example one
    const xt = normal(prngKey(6), [5, 3], { dtype: "float64" });
    const fa = a.functionVariance(xt), fb = b.functionVariance(xt);
    for (let k = 0; k < fa.variance.size; k++) {
      expect(Math.abs(fa.mean.data[k]! - fb.mean.data[k]!)).toBeLessThan(1e-12);
      expect(Math.abs(fa.variance.data[k]! - fb.variance.data[k]!)).toBeLessThan(1e-12);
    }
  });

  it("does not recognise a chain whose reconstruction disagrees with the model (a different activation under the same name)", () => {
    const net = mlp({ widths: [3, 5, 3], activation: "tanh" });
    const liar: Model<MlpParams> = { ...net, name: net.name.replace("tanh", "relu") };
    const p = net.init(prngKey(7));
    expect(denseChain(liar, p, normal(prngKey(8), [6, 3], { dtype: "float64" }))).toBeUndefined();
  });
});

describe("Kronecker-factored Laplace over all layers (KFAC)", () => {
  it("is exact for one example: each layer's block A ⊗ G equals that block of the exact GGN", () => {
    const net = mlp({ widths: [3, 4, 3] });
    const p = net.init(prngKey(9));
    const x = normal(prngKey(10), [1, 3], { dtype: "float64" }), y = labels(1, 3);
    const chain = denseChain(net, p, x)!;
    const ref = exactGgn(net, p, x, y, "categorical");
    const { factors } = chainKronFactors(chain, x, y, "categorical", 1);
    chain.layers.forEach((layer, l) => {
      const { A, G, width, outputs: O } = factors[l]!;
      const pos = (j: number, o: number) => (j < layer.inputs ? layer.wOffset + j * O + o : layer.bOffset! + o);
      for (let j = 0; j < width; j++) for (let o = 0; o < O; o++) for (let j2 = 0; j2 < width; j2++) for (let o2 = 0; o2 < O; o2++) {
        const kron = A[j * width + j2]! * G[o * O + o2]!;
        expect(Math.abs(kron - ref.G[pos(j, o) * ref.D + pos(j2, o2)]!)).toBeLessThan(1e-12);
      }
    });
  });

  it("a single dense layer: equals the last-layer Kronecker posterior (mean, covariance, evidence)", () => {
    const net = mlp({ widths: [4, 3] });
    const p = net.init(prngKey(11));
    const x = normal(prngKey(12), [20, 4], { dtype: "float64" }), y = labels(20, 3);
    const all = laplace({ model: net, params: p, data: { x, y }, likelihood: "categorical", structure: "kron", priorPrecision: 2 });
    const last = laplace({ model: net, params: p, data: { x, y }, likelihood: "categorical", subset: "lastLayer", structure: "kron", priorPrecision: 2 });
    // θ orders differ (leaf order b, w vs [w; b]): compare through the map
    const D = all.dim, ord = (k: number) => (k < 3 ? 12 + k : k - 3);
    const Sa = all.covarianceMatrix(), Sl = last.covarianceMatrix();
    for (let k = 0; k < D; k++) for (let m = 0; m < D; m++) expect(Math.abs(Sa[k * D + m]! - Sl[ord(k) * D + ord(m)]!)).toBeLessThan(1e-12);
    expect(all.logMarginalLikelihood()).toBeCloseTo(last.logMarginalLikelihood(), 10);
  });

  it("linearised function covariance J Σ Jᵀ equals the dense computation; samples have covariance Σ (Monte Carlo)", () => {
    const net = mlp({ widths: [2, 3, 3, 2], residual: true, activation: "tanh" });
    const p = net.init(prngKey(13));
    const x = normal(prngKey(14), [15, 2], { dtype: "float64" }), y = normal(prngKey(15), [15, 2], { dtype: "float64" });
    const la = laplace({ model: net, params: p, data: { x, y }, likelihood: "gaussian", noiseVariance: 0.5, structure: "kron", priorPrecision: 1, temperature: 0.7 });
    const D = la.dim, S = la.covarianceMatrix();
    // Σ symmetric positive definite, block diagonal (zero between layers)
    for (let k = 0; k < D; k++) for (let m = 0; m < D; m++) expect(Math.abs(S[k * D + m]! - S[m * D + k]!)).toBeLessThan(1e-12);
    const xt = normal(prngKey(16), [4, 2], { dtype: "float64" });
    const ref = exactGgn(net, p, xt, normal(prngKey(17), [4, 2], { dtype: "float64" }), "gaussian");
    const fv = la.functionVariance(xt);
    ref.J.forEach((J, i) => {
      for (let c = 0; c < 2; c++) {
        let v = 0;
        for (let k = 0; k < D; k++) for (let m = 0; m < D; m++) v += J[c * D + k]! * S[k * D + m]! * J[c * D + m]!;
        expect(Math.abs(fv.variance.data[i * 2 + c]! - v)).toBeLessThan(1e-10 * Math.max(1, v));
      }
    });
    const count = 3000, draws = la.sample(prngKey(18), count).map((t) => flat(t)), mu = la.meanVector();
    for (const k of [0, 5, D - 1]) {
      let v = 0;
      for (const d of draws) v += (d[k]! - mu[k]!) ** 2;
      v /= count;
      expect(Math.abs(v / S[k * D + k]! - 1)).toBeLessThan(5 * Math.sqrt(2 / count));
    }
  });

  it("refuses factors above maxBytes before allocating, naming the size; needs a dense chain", () => {
    const net = mlp({ widths: [40, 100, 100, 10] });
    const p = net.init(prngKey(19));
    const x = normal(prngKey(20), [2, 40], { dtype: "float64" }), y = labels(2, 10);
    const e = (() => { try { laplace({ model: net, params: p, data: { x, y }, likelihood: "categorical", structure: "kron", maxBytes: 1e5 }); } catch (err) { return err; } })();
    expect(e).toBeInstanceOf(MemoryLimitError);
    const want = 3 * 8 * ((41 * 41 + 100 * 100) + (101 * 101 + 100 * 100) + (101 * 101 + 10 * 10));
    expect((e as MemoryLimitError).bytes).toBe(want);
    expect((e as Error).message).toMatch(/kron factor over 15210 parameters would need 1.01 MB/);
    const other: Model<MlpParams> = { name: "other", init: net.init, apply: net.apply };
    expect(() => laplace({ model: other, params: p, data: { x, y }, likelihood: "categorical", structure: "kron" })).toThrow(/needs curvature "ggn" and a chain of dense layers/);
  });
});
