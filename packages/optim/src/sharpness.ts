import { type PRNGKey, type Tree, bernoulli, hvp, mul, normal, split, sub, treeDot, treeNorm, treeScale, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { OptionError } from "./errors.js";
import type { Loss } from "./loss.js";
import { checkNumber, checkOptions, optionalNumber } from "./validate.js";

/** Options of `hessianTopEigenvalue` / `hessianTopEigenpair`. */
export interface PowerIterationOptions {
  /** PRNG key of the random start vector. */
  readonly key: PRNGKey;
  /** Maximum power iterations (default 100). */
  readonly iters?: number;
  /** Stop when the Rayleigh quotient changes by less than tol·|λ| (default 1e-10). */
  readonly tol?: number;
}

/** The dominant Hessian eigenpair found by power iteration. */
export interface Eigenpair<T extends Tree> {
  /** Rayleigh quotient vᵀHv at the last iterate. */
  readonly value: number;
  /** Unit-norm eigenvector estimate, shaped like the parameters. */
  readonly vector: T;
  readonly iterations: number;
  /** Whether the tolerance was met before `iters` ran out. */
  readonly converged: boolean;
}

function randomLike<T extends Tree>(params: T, key: PRNGKey, draw: (k: PRNGKey, shape: readonly number[], dtype: "float64" | "float32") => ReturnType<typeof normal>): T {
  const [leaves, def] = treeFlatten(params);
  const keys = split(key, Math.max(leaves.length, 1));
  return treeUnflatten<T>(def, leaves.map((l, i) => draw(keys[i]!, l.shape, l.dtype === "float32" ? "float32" : "float64")));
}

function checkKey(fn: string, key: unknown): PRNGKey {
  if (key === null || typeof key !== "object" || !("k0" in key) || !("k1" in key)) throw new OptionError(fn, "key", "must be a PRNGKey (prngKey(seed))");
  return key as PRNGKey;
}

/**
 * The dominant eigenpair of the Hessian of `loss` at `params` by power iteration on Hessian–vector
 * products (never forming H). "Dominant" is largest in magnitude — the top eigenvalue near a minimum,
 * where H is positive semi-definite (the sharpness of Keskar et al.).
 */
export function hessianTopEigenpair<T extends Tree>(loss: Loss<T>, params: T, options: PowerIterationOptions): Eigenpair<T> {
  const fn = "hessianTopEigenvalue";
  if (typeof loss !== "function") throw new OptionError(fn, "loss", "must be a function of the parameters returning a scalar tensor");
  checkOptions(fn, options, { key: true, iters: true, tol: true });
  const key = checkKey(fn, options.key);
  const iters = optionalNumber(fn, "iters", options.iters, 100, { integer: true, min: 1 });
  const tol = optionalNumber(fn, "tol", options.tol, 1e-10, { min: 0 });
  let v = randomLike(params, key, (k, shape, dtype) => normal(k, shape, { dtype }));
  v = treeScale(v, 1 / treeNorm(v));
  let value = Number.NaN;
  for (let i = 1; i <= iters; i++) {
    const w = hvp(loss, params, v);
    const next = treeDot(v, w).item();
    const norm = treeNorm(w);
    if (norm === 0) return { value: 0, vector: v, iterations: i, converged: true };
    const done = Math.abs(next - value) <= tol * Math.abs(next);
    value = next;
    v = treeScale(w, 1 / norm);
    if (done) return { value, vector: v, iterations: i, converged: true };
  }
  return { value, vector: v, iterations: iters, converged: false };
}

/** The largest-magnitude eigenvalue of the Hessian of `loss` at `params` (power iteration on hvp). */
export function hessianTopEigenvalue<T extends Tree>(loss: Loss<T>, params: T, options: PowerIterationOptions): number {
  return hessianTopEigenpair(loss, params, options).value;
}

/** Options of `hessianTrace` / `hessianTraceEstimate`. */
export interface HutchinsonOptions {
  /** PRNG key of the probes. */
  readonly key: PRNGKey;
  /** Number of Rademacher probes (default 64). */
  readonly samples?: number;
}

/** Hutchinson's estimate of tr(H) with its standard error. */
export interface TraceEstimate {
  readonly trace: number;
  /** Standard error of the mean over probes (sample sd/√samples; NaN for one probe). */
  readonly standardError: number;
  readonly samples: number;
}

/** Hutchinson's estimator tr(H) ≈ mean_k z_kᵀHz_k with Rademacher probes z_k ∈ {−1, 1}ⁿ, with its standard error. */
export function hessianTraceEstimate<T extends Tree>(loss: Loss<T>, params: T, options: HutchinsonOptions): TraceEstimate {
  const fn = "hessianTrace";
  if (typeof loss !== "function") throw new OptionError(fn, "loss", "must be a function of the parameters returning a scalar tensor");
  checkOptions(fn, options, { key: true, samples: true });
  const key = checkKey(fn, options.key);
  const samples = optionalNumber(fn, "samples", options.samples, 64, { integer: true, min: 1 });
  const keys = split(key, samples);
  const xs: number[] = [];
  for (const k of keys) {
    const z = randomLike(params, k, (kk, shape, dtype) => sub(mul(bernoulli(kk, 0.5, shape, { dtype }), 2), 1));
    xs.push(treeDot(z, hvp(loss, params, z)).item());
  }
  const mean = xs.reduce((s, x) => s + x, 0) / samples;
  const variance = samples > 1 ? xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (samples - 1) : Number.NaN;
  return { trace: mean, standardError: Math.sqrt(variance / samples), samples };
}

/** Hutchinson's estimate of the Hessian trace of `loss` at `params` (Rademacher probes). */
export function hessianTrace<T extends Tree>(loss: Loss<T>, params: T, options: HutchinsonOptions): number {
  return hessianTraceEstimate(loss, params, options).trace;
}

