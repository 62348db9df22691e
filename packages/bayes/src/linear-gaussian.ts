import { type PRNGKey, normal } from "@regularize/core-autodiff";
import {
  type CholeskyOptions, choleskyFactor, choleskyInverse, choleskyLogdet, choleskySolve, gram, lowerTimes, solveLower,
} from "./dense.js";
import { BayesArgumentError, requireInteger, requireObject, requirePositive } from "./errors.js";
import { type MatrixInput, type VectorInput, toMatrix, toVector } from "./matrix-input.js";

/** Options of {@link linearGaussian}. */
export interface LinearGaussianOptions extends CholeskyOptions {
  /** Design matrix H [N, D]: one row h̃(xᵢ)ᵀ of features per example (any fixed feature map). */
  readonly features: MatrixInput;
  /** Targets y [N]. */
  readonly targets: VectorInput;
  /** σ² > 0 of the Gaussian likelihood yᵢ ~ N(h̃ᵢᵀφ, σ²). */
  readonly noiseVariance: number;
  /** σ_p² > 0 of the prior φ ~ N(0, σ_p² I). */
  readonly priorVariance: number;
}

/** Predictive mean and variance at new inputs. */
export interface LinearGaussianPrediction {
  /** h̃ᵀμ_post at each row. */
  readonly mean: Float64Array;
  /** Function variance h̃ᵀΣ_post h̃ (+ σ² when `includeNoise`). */
  readonly variance: Float64Array;
}

/** The exact posterior of Bayesian linear regression (book §9.3.5, figure 9.11). */
export interface LinearGaussianPosterior {
  /** Number of parameters D. */
  readonly dim: number;
  readonly noiseVariance: number;
  readonly priorVariance: number;
  /** μ_post = Σ_post Hᵀy/σ². */
  readonly mean: Float64Array;
  /** Σ_post = (HᵀH/σ² + I/σ_p²)⁻¹, row-major D×D. */
  readonly covariance: Float64Array;
  /** Lower Cholesky factor of Σ_post (samples are μ_post + L z). */
  readonly covarianceCholesky: Float64Array;
  /** Jitter εI that had to be added to the precision (0 unless the opt-in `jitter` was used). */
  readonly jitter: number;
  /** log p(y | H, σ², σ_p²), the marginal likelihood (evidence). */
  readonly logEvidence: number;
  /** Mean and variance of f(x*) = h̃(x*)ᵀφ at the rows of `features` (σ² added when `includeNoise`). */
  predict(features: MatrixInput, options?: { readonly includeNoise?: boolean }): LinearGaussianPrediction;
  /** `count` posterior samples φ = μ_post + L z, z ~ N(0, I) from `key`. */
  sample(key: PRNGKey, count: number): Float64Array[];
}

/**
 * Closed-form posterior of linear-Gaussian regression on any feature map: Σ_post = (HᵀH/σ² + I/σ_p²)⁻¹,
 * μ_post = Σ_post Hᵀy/σ², the predictive mean and function variance, Cholesky samples and the log evidence.
 * Throws NotPositiveDefiniteError if the precision's Cholesky fails (opt in to `jitter` to retry with εI).
 * @example linearGaussian({ features: reluFeatures(x, 14), targets: y, noiseVariance: 0.09, priorVariance: 10 })
 */
export function linearGaussian(options: LinearGaussianOptions): LinearGaussianPosterior {
  const fn = "linearGaussian";
  if (options === null || typeof options !== "object") throw new BayesArgumentError(fn, "options", "must be an object");
  const s2 = requirePositive(fn, "noiseVariance", options.noiseVariance);
  const sp2 = requirePositive(fn, "priorVariance", options.priorVariance);
  if (options.jitter !== undefined) requirePositiveOrZero(fn, options.jitter);
  const H = toMatrix(fn, "features", options.features);
  const y = toVector(fn, "targets", options.targets);
  if (y.length !== H.rows) throw new BayesArgumentError(fn, "targets", `has ${y.length} entries but features has ${H.rows} rows`);
  const n = H.rows, d = H.cols;
  const A = gram(H.data, n, d);
  for (let i = 0; i < d * d; i++) A[i] = A[i]! / s2;
  for (let i = 0; i < d; i++) A[i * d + i] = A[i * d + i]! + 1 / sp2;
  const { L: LA, jitter } = choleskyFactor(fn, "posterior precision HᵀH/σ² + I/σ_p²", A, d, options.jitter !== undefined ? { jitter: options.jitter } : {});
  const hty = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) hty[j] = hty[j]! + H.data[r * d + j]! * y[r]!;
  for (let j = 0; j < d; j++) hty[j] = hty[j]! / s2;
  const mu = choleskySolve(LA, d, hty);
  const cov = choleskyInverse(LA, d);
  const { L: LS } = choleskyFactor(fn, "posterior covariance", cov, d, { jitter: jitter > 0 ? jitter : 1e-300 });
  // log evidence (Bishop eq. 3.86) with α = 1/σ_p², β = 1/σ²
  let rss = 0;
  for (let r = 0; r < n; r++) {
    let f = 0;
    for (let j = 0; j < d; j++) f += H.data[r * d + j]! * mu[j]!;
    rss += (y[r]! - f) ** 2;
  }
  let mm = 0;
  for (let j = 0; j < d; j++) mm += mu[j]! ** 2;
  const logEvidence = -0.5 * d * Math.log(sp2) - 0.5 * n * Math.log(s2) - rss / (2 * s2) - mm / (2 * sp2)
    - 0.5 * choleskyLogdet(LA, d) - 0.5 * n * Math.log(2 * Math.PI);
  return {
    dim: d, noiseVariance: s2, priorVariance: sp2, mean: mu, covariance: cov, covarianceCholesky: LS, jitter, logEvidence,
    predict(features, popts = {}) {
      const X = toMatrix(`${fn}.predict`, "features", features);
      if (X.cols !== d) throw new BayesArgumentError(`${fn}.predict`, "features", `has ${X.cols} columns, the posterior has ${d} parameters`);
      const mean = new Float64Array(X.rows), variance = new Float64Array(X.rows);
      for (let r = 0; r < X.rows; r++) {
        const h = X.data.subarray(r * d, (r + 1) * d);
        let m = 0;
        for (let j = 0; j < d; j++) m += h[j]! * mu[j]!;
        // h̃ᵀA⁻¹h̃ = ‖L_A⁻¹h̃‖²: no cancellation, never negative
        const v = solveLower(LA, d, h);
        let q = 0;
        for (let j = 0; j < d; j++) q += v[j]! ** 2;
        mean[r] = m;
        variance[r] = q + (popts.includeNoise === true ? s2 : 0);
      }
      return { mean, variance };
    },
    sample(key, count) {
      requireInteger(`${fn}.sample`, "count", count, 0);
      const z = normal(key, [count, d], { dtype: "float64" }).data;
      const out: Float64Array[] = [];
      for (let s = 0; s < count; s++) {
        const lz = lowerTimes(LS, d, z.subarray(s * d, (s + 1) * d));
        for (let j = 0; j < d; j++) lz[j] = lz[j]! + mu[j]!;
        out.push(lz);
      }
      return out;
    },
  };
}

function requirePositiveOrZero(fn: string, jitter: unknown): void {
  if (typeof jitter !== "number" || !Number.isFinite(jitter) || jitter < 0) throw new BayesArgumentError(fn, "jitter", `must be a finite number ≥ 0, got ${String(jitter)}`);
}

/** Options of {@link maximizeEvidence}. */
export interface MaximizeEvidenceOptions {
  readonly features: MatrixInput;
  readonly targets: VectorInput;
  /** Starting σ² (default 1). */
  readonly noiseVariance?: number;
  /** Starting σ_p² (default 1). */
  readonly priorVariance?: number;
  /** Keep one of them at its starting value. */
  readonly fix?: "noiseVariance" | "priorVariance";
  /** Iteration cap (default 1000). */
  readonly maxIterations?: number;
  /** Stop when both log-variances change by less than this (default 1e-12). */
  readonly tolerance?: number;
}

/** The type-II maximum-likelihood hyperparameters and the posterior at them. */
export interface MaximizeEvidenceResult {
  readonly noiseVariance: number;
  readonly priorVariance: number;
  readonly logEvidence: number;
  /** γ = D − tr(Σ_post)/σ_p², the effective number of well-determined parameters. */
  readonly effectiveParameters: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly posterior: LinearGaussianPosterior;
}

/**
 * Type-II maximum likelihood: maximise the log evidence over σ_p² and σ² by MacKay's fixed-point
 * updates σ_p² = ‖μ‖²/γ, σ² = ‖y − Hμ‖²/(N − γ) with γ = D − tr(Σ_post)/σ_p² (each update is a
 * stationarity condition of the evidence).
 * @example maximizeEvidence({ features: reluFeatures(x, 14), targets: y }).priorVariance
 */
export function maximizeEvidence(options: MaximizeEvidenceOptions): MaximizeEvidenceResult {
  const fn = "maximizeEvidence";
  requireObject(fn, "options", options);
  let s2 = requirePositive(fn, "noiseVariance", options.noiseVariance ?? 1);
  let sp2 = requirePositive(fn, "priorVariance", options.priorVariance ?? 1);
  if (options.fix !== undefined && options.fix !== "noiseVariance" && options.fix !== "priorVariance") throw new BayesArgumentError(fn, "fix", `must be "noiseVariance" or "priorVariance", got ${String(options.fix)}`);
  const maxIt = requireInteger(fn, "maxIterations", options.maxIterations ?? 1000, 1);
  const tol = requirePositive(fn, "tolerance", options.tolerance ?? 1e-12);
  const H = toMatrix(fn, "features", options.features);
  const y = toVector(fn, "targets", options.targets);
  if (y.length !== H.rows) throw new BayesArgumentError(fn, "targets", `has ${y.length} entries but features has ${H.rows} rows`);
  const n = H.rows, d = H.cols;
  let post = linearGaussian({ features: options.features, targets: y, noiseVariance: s2, priorVariance: sp2 });
  let converged = false, it = 0, gamma = 0;
  for (; it < maxIt; it++) {
    let tr = 0, mm = 0, rss = 0;
    for (let j = 0; j < d; j++) { tr += post.covariance[j * d + j]!; mm += post.mean[j]! ** 2; }
    const fitted = post.predict(options.features).mean;
    for (let r = 0; r < n; r++) rss += (y[r]! - fitted[r]!) ** 2;
    gamma = d - tr / sp2;
    const nsp2 = options.fix === "priorVariance" ? sp2 : Math.max(mm / Math.max(gamma, 1e-300), 1e-300);
    const ns2 = options.fix === "noiseVariance" ? s2 : Math.max(rss / Math.max(n - gamma, 1e-300), 1e-300);
    const change = Math.max(Math.abs(Math.log(nsp2 / sp2)), Math.abs(Math.log(ns2 / s2)));
    sp2 = nsp2; s2 = ns2;
    post = linearGaussian({ features: options.features, targets: y, noiseVariance: s2, priorVariance: sp2 });
    if (change < tol) { converged = true; it++; break; }
  }
  return { noiseVariance: s2, priorVariance: sp2, logEvidence: post.logEvidence, effectiveParameters: gamma, iterations: it, converged, posterior: post };
}

/** Options of {@link linearGaussianElbo}. */
export interface LinearGaussianElboOptions {
  readonly features: MatrixInput;
  readonly targets: VectorInput;
  readonly noiseVariance: number;
  readonly priorVariance: number;
  /** Mean m of the mean-field q(φ) = N(m, diag(s²)). */
  readonly mean: ArrayLike<number>;
  /** Variances s² of q. */
  readonly variance: ArrayLike<number>;
}

/**
 * The exact ELBO E_q[log p(y | φ)] − KL(q ‖ p) of a mean-field Gaussian q for linear-Gaussian regression
 * (never above the log evidence; equal only if q is the posterior).
 * @example linearGaussianElbo({ features, targets: y, noiseVariance: 0.09, priorVariance: 10, mean, variance })
 */
export function linearGaussianElbo(o: LinearGaussianElboOptions): number {
  const fn = "linearGaussianElbo";
  requireObject(fn, "options", o);
  const s2 = requirePositive(fn, "noiseVariance", o.noiseVariance), sp2 = requirePositive(fn, "priorVariance", o.priorVariance);
  const H = toMatrix(fn, "features", o.features), y = toVector(fn, "targets", o.targets);
  const d = H.cols;
  if (y.length !== H.rows) throw new BayesArgumentError(fn, "targets", `has ${y.length} entries but features has ${H.rows} rows`);
  if (o.mean?.length !== d) throw new BayesArgumentError(fn, "mean", `has ${o.mean?.length ?? "no"} entries for ${d} parameters`);
  if (o.variance?.length !== d) throw new BayesArgumentError(fn, "variance", `has ${o.variance?.length ?? "no"} entries for ${d} parameters`);
  let ell = 0;
  for (let r = 0; r < H.rows; r++) {
    let f = 0, v = 0;
    for (let j = 0; j < d; j++) { const h = H.data[r * d + j]!; f += h * o.mean[j]!; v += h * h * o.variance[j]!; }
    ell += -0.5 * Math.log(2 * Math.PI * s2) - ((y[r]! - f) ** 2 + v) / (2 * s2);
  }
  let kl = 0;
  for (let j = 0; j < d; j++) {
    const v = o.variance[j]!;
    if (!(v > 0)) throw new BayesArgumentError(fn, "variance", `entry ${j} is ${v}; variances must be > 0`);
    kl += 0.5 * (Math.log(sp2 / v) + (v + o.mean[j]! ** 2) / sp2 - 1);
  }
  return ell - kl;
}
