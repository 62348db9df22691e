import {
  type Dataset, type ForwardContext, type Model, type Predictive, type PredictiveOutput, type Site, predictiveFromMembers, softmaxRows,
} from "@regularize/core-train";
import {
  type PRNGKey, Tensor, type Tree, crossEntropy, div, hvp, matmul, noGrad, normal, prngKey, slice, sse, treeFlatten, treeUnflatten,
  valueAndGrad, vjp,
} from "@regularize/core-autodiff";
import {
  choleskyFactor, choleskyInverse, choleskyLogdet, choleskySolve, solveLower, solveUpperT, symmetricEigen,
} from "./dense.js";
import { chainDiagonalGgn, chainJacobians, chainKronFactors, chunkLogLik, squaredInputsTimes } from "./chain-curvature.js";
import { denseChain, rows as chainRows } from "./dense-chain.js";
import { type KronBlockInput, KronPosterior, augmented, kronBytes } from "./kron-blocks.js";
import { flatLeaves, rebuildLeaves } from "./flat-params.js";
import { clampProbabilities } from "./predictive.js";
import { BayesArgumentError, MemoryLimitError, NotPositiveDefiniteError, requireInteger, requirePositive } from "./errors.js";

/** Which parameters get a Gaussian: all of them, or the last dense layer only (the rest stay at the MAP). */
export type LaplaceSubset = "all" | "lastLayer";
/** Structure of the posterior precision: dense, its diagonal, or a Kronecker product A ⊗ G (last layer). */
export type LaplaceStructure = "full" | "diagonal" | "kron";
/** Curvature of the negative log-likelihood: the generalised Gauss–Newton JᵀΛJ, or the exact Hessian (double backprop). */
export type LaplaceCurvature = "ggn" | "hessian";
/** The likelihood: Gaussian with variance σ² (regression outputs [N, C]) or categorical over logits [N, C] (int32 labels). */
export type LaplaceLikelihood = "gaussian" | "categorical";

/** Options of {@link laplace}. */
export interface LaplaceOptions<P extends Tree> {
  readonly model: Model<P>;
  /** The trained parameters θ* (e.g. `fit(...).params`): the mode the Gaussian is centred on. */
  readonly params: P;
  /** The training set the log-likelihood sums over (all N examples, the package's convention). */
  readonly data: Dataset;
  readonly likelihood: LaplaceLikelihood;
  /** σ² of a Gaussian likelihood (required for "gaussian"). */
  readonly noiseVariance?: number;
  /** Default "all". "lastLayer" needs params `{ layers: [..., { w, b? }] }` (core-train's mlp) and a model that calls its last site on the last layer's input. */
  readonly subset?: LaplaceSubset;
  /**
   * Default "kron" for the last layer, "diagonal" for all parameters. "kron" over all parameters is
   * KFAC: one A ⊗ G block per dense layer (needs curvature "ggn" and a core-train mlp).
   */
  readonly structure?: LaplaceStructure;
  /** Default "ggn". */
  readonly curvature?: LaplaceCurvature;
  /** δ of the prior θ ~ N(0, δ⁻¹I), or "marginalLikelihood" to choose δ by maximising the Laplace evidence (default 1). */
  readonly priorPrecision?: number | "marginalLikelihood";
  /** T > 0: the posterior p(θ | D)^(1/T), covariance T·(G + δI)⁻¹ (default 1). */
  readonly temperature?: number;
  /** Newton steps θ ← θ − (G + δI)⁻¹∇U polishing the mode first (full structure, numeric δ; default 0). */
  readonly newtonSteps?: number;
  /** Refuse (MemoryLimitError, before allocating) when the curvature factor would need more bytes (default 512 MB). */
  readonly maxBytes?: number;
}

/** Options of {@link LaplacePosterior.predictive}. */
export interface LaplacePredictiveOptions {
  /** "linearized" (default): f(x; θ) ≈ f(x; θ*) + J(θ − θ*); "sampled": the network at posterior samples of θ. */
  readonly method?: "linearized" | "sampled";
  /** Samples (sampled method; linearised classification averages softmax over this many logit draws). Default 100. */
  readonly samples?: number;
  readonly key?: PRNGKey;
  /** Regression: add σ² to the predictive variance (default true: the variance of a new observation). */
  readonly includeNoise?: boolean;
}

/** A Laplace approximation N(θ*, T·(G + δI)⁻¹) of the posterior. */
export interface LaplacePosterior<P extends Tree> {
  readonly subset: LaplaceSubset;
  readonly structure: LaplaceStructure;
  readonly curvature: LaplaceCurvature;
  readonly likelihood: LaplaceLikelihood;
  /** Number of parameters with a Gaussian. */
  readonly dim: number;
  /** θ* (after any Newton steps): the posterior mean. */
  readonly mean: P;
  readonly priorPrecision: number;
  readonly temperature: number;
  /** Σᵢ log p(yᵢ | xᵢ, θ*) over the training set. */
  readonly logLikelihood: number;
  /** Bytes held by the curvature factor. */
  readonly memoryBytes: number;
  /** Laplace evidence log p(D | δ) ≈ log p(D | θ*) + log p(θ* | δ) + (D/2) log 2π − ½ log|G + δI| (default δ: this posterior's). */
  logMarginalLikelihood(priorPrecision?: number): number;
  /** The posterior covariance of the Gaussian parameters, dense row-major D×D (small D only). */
  covarianceMatrix(): Float64Array;
  /** The Gaussian parameters of θ* as a flat vector (order: the tree's leaves, or [w; b] row-major for the last layer). */
  meanVector(): Float64Array;
  /** Posterior samples of the whole parameter tree. */
  sample(key: PRNGKey, count: number): P[];
  /** The linearised function mean f(x; θ*) [N, C] and covariance diagonal diag(J Σ Jᵀ) [N, C] (σ² not included). */
  functionVariance(x: Tensor): { mean: Tensor; variance: Tensor };
  /** The posterior predictive as core-train's Predictive. */
  predictive(options?: LaplacePredictiveOptions): Predictive;
}

interface Space<P extends Tree> {
  readonly dim: number;
  /** θ* of the Gaussian parameters. */
  theta: Float64Array;
  /** Output rows J_i (C×D) and the outputs f_i (C) of example x (one row of the data). */
  jacobian(xi: Tensor): { f: Float64Array; J: Float64Array };
  /** Whole tree with the Gaussian parameters replaced. */
  withTheta(theta: ArrayLike<number>): P;
  /** Last layer only: the features h̃ (H + 1 with the 1 last) of examples x [N, …]. */
  features?(x: Tensor): { h: Float64Array; n: number; width: number; out: ArrayLike<number> };
  /** Last layer only: whether it has a bias (the last row of the features is then 1). */
  readonly lastLayerBias?: boolean;
  readonly outputs: number;
}

const FN = "laplace";

function row(x: Tensor, i: number): Tensor {
  return slice(x, [[i, i + 1]]);
}

function outputsOf(fn: string, out: Tensor, n: number): number {
  if (out.ndim !== 2 || out.shape[0] !== n) throw new BayesArgumentError(fn, "model", `must map x [N, …] to outputs [N, C], got [${out.shape.join(", ")}] for N = ${n}`);
  return out.shape[1]!;
}

function allSpace<P extends Tree>(model: Model<P>, params: P, outputs: number): Space<P> {
  const [leaves, def] = treeFlatten(params);
  const theta = flatLeaves(leaves);
  const D = theta.length;
  return {
    dim: D, theta, outputs,
    withTheta: (t) => treeUnflatten<P>(def, rebuildLeaves(leaves, t)),
    jacobian(xi) {
      const [out, back] = vjp((p: P) => model.apply(p, xi), params);
      const f = Float64Array.from(out.data as ArrayLike<number>);
      const J = new Float64Array(outputs * D);
      for (let c = 0; c < outputs; c++) {
        const e = new Float64Array(outputs);
        e[c] = 1;
        J.set(flatLeaves(treeFlatten(back(new Tensor(out.dtype === "float32" ? Float32Array.from(e) : e, [1, outputs], out.dtype)))[0]), c * D);
      }
      return { f, J };
    },
  };
}

function lastLayerSpace<P extends Tree>(model: Model<P>, params: P, outputs: number): Space<P> {
  const layers = (params as { layers?: unknown }).layers;
  const last = Array.isArray(layers) ? (layers[layers.length - 1] as { w?: unknown; b?: unknown } | undefined) : undefined;
  if (last === undefined || !(last.w instanceof Tensor) || last.w.ndim !== 2) {
    throw new BayesArgumentError(FN, "params", `subset "lastLayer" needs params { layers: [..., { w: [H, C], b?: [C] }] } (core-train's mlp)`);
  }
  const w = last.w, b = last.b instanceof Tensor ? last.b : undefined;
  const H = w.shape[0]!, C = w.shape[1]!;
  if (C !== outputs) throw new BayesArgumentError(FN, "params", `the last layer has ${C} outputs but the model returns ${outputs}`);
  const rows = H + (b ? 1 : 0);
  const theta = new Float64Array(rows * C);
  for (let j = 0; j < H; j++) for (let c = 0; c < C; c++) theta[j * C + c] = w.data[j * C + c]!;
  if (b) for (let c = 0; c < C; c++) theta[H * C + c] = b.data[c]!;
  const features = (x: Tensor) => {
    let h: Tensor | undefined;
    const ctx: ForwardContext = { mode: "eval", site: (_s: Site, t: Tensor) => (h = t) };
    const out = noGrad(() => model.apply(params, x, ctx)).data as ArrayLike<number>;
    if (h === undefined || h.ndim !== 2 || h.shape[1] !== H) {
      throw new BayesArgumentError(FN, "model", `subset "lastLayer": the model's last site must carry the last layer's input [N, ${H}], got ${h === undefined ? "no site call" : `[${h.shape.join(", ")}]`}`);
    }
    const n = h.shape[0]!;
    const ht = new Float64Array(n * rows);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < H; j++) ht[i * rows + j] = h.data[i * H + j]!;
      if (b) ht[i * rows + H] = 1;
    }
    // one forward pass gives both the last layer's input and the outputs
    return { h: ht, n, width: rows, out };
  };
  return {
    dim: rows * C, theta, outputs: C, features, lastLayerBias: b !== undefined,
    withTheta(t) {
      const nw = new Float64Array(H * C);
      for (let k = 0; k < H * C; k++) nw[k] = t[k]!;
      const layer: Record<string, Tensor> = { ...(last as Record<string, Tensor>), w: new Tensor(w.dtype === "float32" ? Float32Array.from(nw) : nw, [H, C], w.dtype) };
      if (b) {
        const nb = new Float64Array(C);
        for (let c = 0; c < C; c++) nb[c] = t[H * C + c]!;
        layer.b = new Tensor(b.dtype === "float32" ? Float32Array.from(nb) : nb, [C], b.dtype);
      }
      return { ...(params as object), layers: [...(layers as unknown[]).slice(0, -1), layer] } as unknown as P;
    },
    jacobian(xi) {
      const { h, out } = features(xi);
      const f = Float64Array.from(out);
      const J = new Float64Array(C * rows * C);
      for (let c = 0; c < C; c++) for (let j = 0; j < rows; j++) J[c * rows * C + j * C + c] = h[j]!;
      return { f, J };
    },
  };
}

/** Λ = −∂² log p(y | f)/∂f² (C×C) and log p(y | f) for one example. */
function lambdaOf(lik: LaplaceLikelihood, f: Float64Array, y: Tensor, i: number, s2: number): { L: Float64Array; logp: number } {
  const C = f.length;
  const L = new Float64Array(C * C);
  if (lik === "gaussian") {
    let logp = 0;
    for (let c = 0; c < C; c++) {
      L[c * C + c] = 1 / s2;
      logp += -0.5 * Math.log(2 * Math.PI * s2) - (y.data[i * C + c]! - f[c]!) ** 2 / (2 * s2);
    }
    return { L, logp };
  }
  const p = softmaxRows(f, 1, C);
  for (let a = 0; a < C; a++) for (let b2 = 0; b2 < C; b2++) L[a * C + b2] = (a === b2 ? p[a]! : 0) - p[a]! * p[b2]!;
  return { L, logp: Math.log(Math.max(p[y.data[i]!]!, 1e-300)) };
}

/** Σᵢ −log p(yᵢ | f(xᵢ; θ)) as a differentiable scalar (for gradients and exact Hessians). */
function negLogLik<P extends Tree>(model: Model<P>, data: Dataset, lik: LaplaceLikelihood, s2: number): (p: P) => Tensor {
  return (p) => {
    const out = model.apply(p, data.x);
    return lik === "gaussian" ? div(sse(out, data.y), 2 * s2) : crossEntropy(out, data.y, { reduction: "sum" });
  };
}

/**
 * Laplace approximation of the posterior of any model trained by `fit()` (MacKay 1992; Daxberger et al.
 * 2021): a Gaussian at θ* whose precision is the curvature of Σᵢ −log p(yᵢ | xᵢ, θ) (GGN or exact
 * Hessian) plus the prior precision δ, over all parameters or the last layer, full, diagonal or
 * Kronecker-factored; δ optionally tuned by the Laplace evidence. Full and Kronecker factors are sized
 * before allocation and refused above `maxBytes`.
 * @example const la = laplace({ model, params: r.params, data, likelihood: "categorical", subset: "lastLayer", priorPrecision: "marginalLikelihood" }); la.predictive().predict(xTest)
 */
export function laplace<P extends Tree>(options: LaplaceOptions<P>): LaplacePosterior<P> {
  if (options === null || typeof options !== "object") throw new BayesArgumentError(FN, "options", "must be an object");
  const { model, data } = options;
  if (!model || typeof model.apply !== "function") throw new BayesArgumentError(FN, "model", "must be a Model with apply(params, x)");
  if (!data || !(data.x instanceof Tensor) || !(data.y instanceof Tensor)) throw new BayesArgumentError(FN, "data", "must be { x, y } with tensors");
  const lik = options.likelihood;
  if (lik !== "gaussian" && lik !== "categorical") throw new BayesArgumentError(FN, "likelihood", `must be "gaussian" or "categorical", got ${String(lik)}`);
  const s2 = lik === "gaussian" ? requirePositive(FN, "noiseVariance", options.noiseVariance) : 1;
  const subset = options.subset ?? "all";
  if (subset !== "all" && subset !== "lastLayer") throw new BayesArgumentError(FN, "subset", `must be "all" or "lastLayer", got ${String(subset)}`);
  const structure = options.structure ?? (subset === "lastLayer" ? "kron" : "diagonal");
  if (structure !== "full" && structure !== "diagonal" && structure !== "kron") throw new BayesArgumentError(FN, "structure", `must be "full", "diagonal" or "kron", got ${String(structure)}`);
  const curvature = options.curvature ?? "ggn";
  if (curvature !== "ggn" && curvature !== "hessian") throw new BayesArgumentError(FN, "curvature", `must be "ggn" or "hessian", got ${String(curvature)}`);
  const T = requirePositive(FN, "temperature", options.temperature ?? 1);
  const tune = options.priorPrecision === "marginalLikelihood";
  let delta = tune ? 1 : requirePositive(FN, "priorPrecision", options.priorPrecision ?? 1);
  const newtonSteps = requireInteger(FN, "newtonSteps", options.newtonSteps ?? 0, 0);
  if (newtonSteps > 0 && (structure !== "full" || tune)) throw new BayesArgumentError(FN, "newtonSteps", `needs structure "full" and a numeric priorPrecision`);
  const maxBytes = requirePositive(FN, "maxBytes", options.maxBytes ?? 512e6);
  const n = data.x.shape[0]!;
  if (data.y.shape[0] !== n) throw new BayesArgumentError(FN, "data", `x has ${n} examples but y has ${data.y.shape[0]}`);
  if (lik === "categorical" && data.y.dtype !== "int32") throw new BayesArgumentError(FN, "data", `a categorical likelihood needs int32 labels y [N], got ${data.y.dtype}`);
  const C = outputsOf(FN, noGrad(() => model.apply(options.params, row(data.x, 0))), 1);
  if (lik === "gaussian" && data.y.size !== n * C) throw new BayesArgumentError(FN, "data", `y has ${data.y.size} values, the model gives ${n}×${C} outputs`);

  let params = options.params;
  let space: Space<P> = subset === "all" ? allSpace(model, params, C) : lastLayerSpace(model, params, C);
  const D = space.dim;
  // the batched path: a chain of dense layers (core-train's mlp), verified against the model on a few rows
  const chain = subset === "all" && curvature === "ggn" && structure !== "full" ? denseChain(model, params, chainRows(data.x, 0, Math.min(n, 64))) : undefined;
  if (structure === "kron" && subset === "all" && chain === undefined) {
    throw new BayesArgumentError(FN, "structure", `"kron" over all parameters needs curvature "ggn" and a chain of dense layers (core-train's mlp); use subset "lastLayer" or structure "diagonal"`);
  }
  // size the factor before allocating anything large
  const kronShapes = structure !== "kron" ? [] : chain ? chain.layers.map((l) => ({ width: l.inputs + (l.b ? 1 : 0), outputs: l.outputs })) : [{ width: D / C, outputs: C }];
  const bytes = structure === "full" ? 3 * 8 * D * D : structure === "kron" ? kronBytes(kronShapes) : 8 * 4 * D;
  if (bytes > maxBytes) throw new MemoryLimitError(FN, `a ${structure} factor over ${D} parameters`, bytes, maxBytes);

  let G!: Float64Array, logLik = 0;
  let kronInputs: KronBlockInput[] | undefined;
  const computeCurvature = () => {
    logLik = 0;
    if (structure === "kron" && chain) {
      const r = chainKronFactors(chain, data.x, data.y, lik, s2);
      logLik = r.logLik;
      kronInputs = r.factors.map((f, l) => ({ ...f, wOffset: chain.layers[l]!.wOffset, bOffset: chain.layers[l]!.bOffset }));
      return;
    }
    if (structure === "kron") {
      const { h, width, out } = space.features!(data.x);
      // A = Σᵢ h̃ᵢh̃ᵢᵀ (one GEMM), G = (1/N) Σᵢ Λᵢ
      const ht = new Tensor(h, [n, width], "float64");
      const kronA = Float64Array.from(noGrad(() => matmul(ht, ht, { transA: true })).data);
      const kronG = new Float64Array(C * C);
      logLik = chunkLogLik(out, data.y.data, C, lik, s2);
      if (lik === "gaussian") for (let c = 0; c < C; c++) kronG[c * C + c] = 1 / s2;
      else {
        const p = softmaxRows(out, n, C);
        for (let i = 0; i < n; i++) {
          for (let a = 0; a < C; a++) {
            const pa = p[i * C + a]!;
            kronG[a * C + a]! += pa / n;
            for (let b2 = 0; b2 < C; b2++) kronG[a * C + b2]! -= (pa * p[i * C + b2]!) / n;
          }
        }
      }
      const hasBias = space.lastLayerBias!;
      kronInputs = [{ A: kronA, G: kronG, width, outputs: C, wOffset: 0, bOffset: hasBias ? (width - 1) * C : undefined }];
      return;
    }
    if (chain) {
      ({ G, logLik } = chainDiagonalGgn(chain, data.x, data.y, lik, s2, D));
      return;
    }
    G = new Float64Array(structure === "full" ? D * D : D);
    const useHessian = curvature === "hessian" && subset === "all";
    for (let i = 0; i < n; i++) {
      const xi = row(data.x, i);
      const { f, J } = space.jacobian(xi);
      const { L, logp } = lambdaOf(lik, f, data.y, i, s2);
      logLik += logp;
      if (useHessian) continue;
      if (structure === "diagonal") {
        // diag(JᵀΛJ) without forming ΛJ: Gaussian Σ_c J_c²/σ²; categorical Λ = diag(p) − ppᵀ gives
        // Σ_c p_c J_c² − (Σ_c p_c J_c)², O(C·D) per example instead of O(C²·D)
        if (lik === "gaussian") {
          for (let a = 0; a < C; a++) for (let k = 0; k < D; k++) G[k]! += J[a * D + k]! ** 2 / s2;
        } else {
          const p = softmaxRows(f, 1, C);
          for (let k = 0; k < D; k++) {
            let m1 = 0, m2 = 0;
            for (let a = 0; a < C; a++) { const j = J[a * D + k]!; m1 += p[a]! * j; m2 += p[a]! * j * j; }
            G[k]! += m2 - m1 * m1;
          }
        }
        continue;
      }
      // JᵀΛJ: first M = ΛJ (C×D)
      const M = new Float64Array(C * D);
      for (let a = 0; a < C; a++) for (let b2 = 0; b2 < C; b2++) {
        const l = L[a * C + b2]!;
        if (l === 0) continue;
        for (let k = 0; k < D; k++) M[a * D + k]! += l * J[b2 * D + k]!;
      }
      for (let a = 0; a < C; a++) for (let k = 0; k < D; k++) {
        const jk = J[a * D + k]!;
        if (jk === 0) continue;
        for (let m = 0; m < D; m++) G[k * D + m]! += jk * M[a * D + m]!;
      }
    }
    if (useHessian) {
      // exact Hessian of Σ −log p by double backprop: one Hessian-vector product per parameter
      const nll = negLogLik(model, data, lik, s2);
      const [leaves, def] = treeFlatten(params);
      for (let k = 0; k < D; k++) {
        const e = new Float64Array(D);
        e[k] = 1;
        const col = flatLeaves(treeFlatten(hvp(nll, params, treeUnflatten<P>(def, rebuildLeaves(leaves, e))))[0]);
        if (structure === "full") for (let m = 0; m < D; m++) G[m * D + k] = col[m]!;
        else G[k] = col[k]!;
      }
      if (structure === "full") for (let a = 0; a < D; a++) for (let b2 = 0; b2 < a; b2++) G[a * D + b2] = G[b2 * D + a] = 0.5 * (G[a * D + b2]! + G[b2 * D + a]!);
    }
  };
  computeCurvature();

  const precisionCholesky = (d: number) => {
    const P = Float64Array.from(G);
    for (let k = 0; k < D; k++) P[k * D + k]! += d;
    return choleskyFactor(FN, `${curvature === "hessian" ? "Hessian" : "GGN"} + prior precision`, P, D).L;
  };

  for (let s = 0; s < newtonSteps; s++) {
    // ∇U = ∇Σ −log p + δθ on the Gaussian parameters
    const nll = negLogLik(model, data, lik, s2);
    const [, gTree] = valueAndGrad((p: P) => nll(p))(params);
    const g = gradientIn(space, subset, gTree);
    for (let k = 0; k < D; k++) g[k]! += delta * space.theta[k]!;
    const step = choleskySolve(precisionCholesky(delta), D, g);
    params = space.withTheta(space.theta.map((t, k) => t - step[k]!));
    space = subset === "all" ? allSpace(model, params, C) : lastLayerSpace(model, params, C);
    computeCurvature();
  }
  const theta = space.theta;
  const thetaSq = theta.reduce((s, t) => s + t * t, 0);

  // eigenvalues of the curvature for the evidence (and the Kronecker factors' bases)
  let eig: Float64Array | undefined;
  const kron = structure === "kron" ? new KronPosterior(kronInputs!, T) : undefined;
  if (structure === "diagonal") eig = G;
  const logdetPrec = (d: number): number => {
    if (structure === "full") {
      if (D <= 400) {
        eig ??= symmetricEigen(G, D).values;
        return eig.reduce((s, l) => s + Math.log(l + d), 0);
      }
      return choleskyLogdet(precisionCholesky(d), D);
    }
    if (structure === "diagonal") return eig!.reduce((s, l) => s + Math.log(l + d), 0);
    return kron!.logdet(d);
  };
  const lml = (d: number) => logLik - 0.5 * d * thetaSq + 0.5 * D * Math.log(d) - 0.5 * logdetPrec(d);
  if (tune) delta = maximizeLogScalar(lml, -6, 6);

  // the factor at δ; PSD checks name the curvature
  const curvName = curvature === "hessian" && subset === "all" ? "Hessian" : "GGN";
  let Lfull: Float64Array | undefined, diagVar: Float64Array | undefined;
  if (structure === "full") Lfull = precisionCholesky(delta);
  else if (structure === "diagonal") {
    diagVar = new Float64Array(D);
    for (let k = 0; k < D; k++) {
      const p = G[k]! + delta;
      if (!(p > 0)) throw new NotPositiveDefiniteError(FN, `${curvName} + prior precision`, `has a non-positive diagonal entry ${p} at parameter ${k} (raise priorPrecision or use curvature "ggn")`);
      diagVar[k] = T / p;
    }
  } else kron!.setPrior(FN, delta);
  const sqrtT = Math.sqrt(T);

  /** Σ^{1/2} z for z ~ N(0, I). */
  const colour = (z: Float64Array): Float64Array => {
    if (Lfull) return solveUpperT(Lfull, D, z).map((v) => v * sqrtT);
    if (diagVar) return z.map((v, k) => v * Math.sqrt(diagVar![k]!));
    return kron!.colour(z, D);
  };

  /** C×C covariance of f at one example from its Jacobian rows. */
  const fCov = (J: Float64Array): Float64Array => {
    const S = new Float64Array(C * C);
    if (Lfull) {
      const V = Array.from({ length: C }, (_, c) => solveLower(Lfull!, D, J.subarray(c * D, (c + 1) * D)));
      for (let a = 0; a < C; a++) for (let b2 = 0; b2 < C; b2++) { let s = 0; for (let k = 0; k < D; k++) s += V[a]![k]! * V[b2]![k]!; S[a * C + b2] = T * s; }
      return S;
    }
    for (let a = 0; a < C; a++) for (let b2 = 0; b2 < C; b2++) { let s = 0; for (let k = 0; k < D; k++) s += J[a * D + k]! * diagVar![k]! * J[b2 * D + k]!; S[a * C + b2] = s; }
    return S;
  };

  /** Batched J Σ Jᵀ (n × C × C) from layer inputs and Jacobian signals: Kronecker blocks, or the diagonal per layer. */
  const chainCov = (x: Tensor): { mean: Float64Array; S: Float64Array } => {
    const N = x.shape[0]!;
    const mean = new Float64Array(N * C), S = new Float64Array(N * C * C);
    for (let from = 0; from < N; from += 1024) {
      const to = Math.min(N, from + 1024), m = to - from;
      const xs = chainRows(x, from, to);
      const Sm = S.subarray(from * C * C, to * C * C);
      if (!chain) {
        // last layer: ã = the features, δ_c = e_c
        const { h, width, out } = space.features!(xs);
        mean.set(Float64Array.from(out), from * C);
        const deltas = Array.from({ length: C }, (_, c) => { const e = new Float64Array(m * C); for (let i = 0; i < m; i++) e[i * C + c] = 1; return new Tensor(e, [m, C], "float64"); });
        kron!.addFunctionCovariance(0, new Tensor(h, [m, width], "float64"), deltas, Sm);
        continue;
      }
      const { out, inputs, deltas } = chainJacobians(chain, xs);
      mean.set(out, from * C);
      chain.layers.forEach((layer, l) => {
        const dl = deltas.map((d) => d[l]!);
        if (kron) { kron.addFunctionCovariance(l, augmented(inputs[l]!, layer.b !== undefined), dl, Sm); return; }
        // diagonal Σ: v_io = Σ_j a_ij² σ²_jo + σ²_b,o, then S_i[c, c'] += Σ_o δ_c,io δ_c',io v_io
        const O = layer.outputs, I = layer.inputs;
        const v = squaredInputsTimes(inputs[l]!, diagVar!.subarray(layer.wOffset, layer.wOffset + I * O), O);
        if (layer.bOffset !== undefined) for (let i = 0; i < m; i++) for (let o = 0; o < O; o++) v[i * O + o]! += diagVar![layer.bOffset + o]!;
        const dd = dl.map((d) => d.data);
        for (let i = 0; i < m; i++) for (let c = 0; c < C; c++) for (let c2 = 0; c2 <= c; c2++) {
          let t = 0;
          for (let o = 0; o < O; o++) t += dd[c]![i * O + o]! * dd[c2]![i * O + o]! * v[i * O + o]!;
          Sm[(i * C + c) * C + c2]! += t;
          if (c2 !== c) Sm[(i * C + c2) * C + c]! += t;
        }
      });
    }
    return { mean, S };
  };

  const functionMoments = (x: Tensor): { mean: Float64Array; cov: Float64Array[] } => {
    const N = x.shape[0]!;
    if (kron || chain) {
      const { mean, S } = chainCov(x);
      return { mean, cov: Array.from({ length: N }, (_, i) => S.subarray(i * C * C, (i + 1) * C * C)) };
    }
    const mean = new Float64Array(N * C);
    const cov: Float64Array[] = [];
    for (let i = 0; i < N; i++) {
      const { f, J } = space.jacobian(row(x, i));
      mean.set(f, i * C);
      cov.push(fCov(J));
    }
    return { mean, cov };
  };

  const self: LaplacePosterior<P> = {
    subset, structure, curvature, likelihood: lik, dim: D, mean: params, priorPrecision: delta, temperature: T, logLikelihood: logLik,
    memoryBytes: structure === "full" ? 8 * D * D : structure === "kron" ? kronBytes(kronShapes) / 3 : 8 * D,
    logMarginalLikelihood: (d = delta) => lml(requirePositive(`${FN}.logMarginalLikelihood`, "priorPrecision", d)),
    meanVector: () => Float64Array.from(theta),
    covarianceMatrix() {
      const bytesNeeded = 8 * D * D;
      if (bytesNeeded > maxBytes) throw new MemoryLimitError(`${FN}.covarianceMatrix`, `a dense ${D}×${D} covariance`, bytesNeeded, maxBytes);
      if (Lfull) return choleskyInverse(Lfull, D).map((v) => v * T);
      const S = new Float64Array(D * D);
      if (diagVar) { for (let k = 0; k < D; k++) S[k * D + k] = diagVar[k]!; return S; }
      return kron!.covarianceMatrix(D);
    },
    sample(key, count) {
      requireInteger(`${FN}.sample`, "count", count, 0);
      const z = normal(key, [count, D], { dtype: "float64" }).data as Float64Array;
      return Array.from({ length: count }, (_, s) => {
        const dz = colour(z.slice(s * D, (s + 1) * D));
        return space.withTheta(theta.map((t, k) => t + dz[k]!));
      });
    },
    functionVariance(x) {
      const { mean, cov } = functionMoments(x);
      const N = x.shape[0]!;
      const v = new Float64Array(N * C);
      cov.forEach((S, i) => { for (let c = 0; c < C; c++) v[i * C + c] = S[c * C + c]!; });
      return { mean: new Tensor(mean, [N, C], "float64"), variance: new Tensor(v, [N, C], "float64") };
    },
    predictive(popts = {}) {
      const method = popts.method ?? "linearized";
      if (method !== "linearized" && method !== "sampled") throw new BayesArgumentError(`${FN}.predictive`, "method", `must be "linearized" or "sampled", got ${String(method)}`);
      const S = requireInteger(`${FN}.predictive`, "samples", popts.samples ?? 100, 1);
      const key = popts.key ?? prngKey(0);
      const noise = lik === "gaussian" && (popts.includeNoise ?? true) ? s2 : 0;
      const kind = lik === "gaussian" ? "regression" as const : "classification" as const;
      if (method === "sampled") {
        const thetas = self.sample(key, S);
        return clampProbabilities(predictiveFromMembers({ kind, members: (x) => thetas.map((p) => noGrad(() => model.apply(p, x))), ...(kind === "regression" ? { noiseVariance: noise } : {}), name: `${FN}.predictive` }));
      }
      if (kind === "regression") {
        return {
          kind,
          predict(x): PredictiveOutput {
            const { mean, variance } = self.functionVariance(x);
            const v = (variance.data as Float64Array).map((u) => u + noise);
            return { kind, mean, variance: new Tensor(v, [...variance.shape], "float64") };
          },
        };
      }
      // linearised classification: softmax averaged over logit draws f ~ N(f*, JΣJᵀ)
      return clampProbabilities(predictiveFromMembers({
        kind, output: "probabilities", name: `${FN}.predictive`,
        members(x) {
          const { mean, cov } = functionMoments(x);
          const N = x.shape[0]!;
          const z = normal(key, [S, N, C], { dtype: "float64" }).data;
          const chol = cov.map((Sc) => choleskyFactor(`${FN}.predictive`, "function covariance", Sc, C, { jitter: 1e-12 }).L);
          return Array.from({ length: S }, (_, s) => {
            const logits = new Float64Array(N * C);
            for (let i = 0; i < N; i++) for (let c = 0; c < C; c++) {
              let v = mean[i * C + c]!;
              for (let k = 0; k <= c; k++) v += chol[i]![c * C + k]! * z[(s * N + i) * C + k]!;
              logits[i * C + c] = v;
            }
            return new Tensor(softmaxRows(logits, N, C), [N, C], "float64");
          });
        },
      }));
    },
  };
  return self;
}

function gradientIn<P extends Tree>(space: Space<P>, subset: LaplaceSubset, g: P): Float64Array {
  if (subset === "all") return flatLeaves(treeFlatten(g)[0]);
  const layers = (g as unknown as { layers: { w: Tensor; b?: Tensor }[] }).layers;
  const last = layers[layers.length - 1]!;
  const C = space.outputs, H = last.w.shape[0]!;
  const out = new Float64Array(space.dim);
  for (let k = 0; k < H * C; k++) out[k] = last.w.data[k]!;
  if (last.b) for (let c = 0; c < C; c++) out[H * C + c] = last.b.data[c]!;
  return out;
}

/** argmax of f over log10 δ ∈ [lo, hi]: a grid, then golden-section refinement. @internal */
function maximizeLogScalar(f: (d: number) => number, lo: number, hi: number): number {
  let best = lo, bestV = -Infinity;
  for (let e = lo; e <= hi + 1e-9; e += 0.25) {
    const v = f(10 ** e);
    if (v > bestV) { bestV = v; best = e; }
  }
  let a = Math.max(lo, best - 0.25), b = Math.min(hi, best + 0.25);
  const gr = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 60; it++) {
    const c = b - gr * (b - a), d = a + gr * (b - a);
    if (f(10 ** c) > f(10 ** d)) b = d; else a = c;
  }
  return 10 ** ((a + b) / 2);
}

