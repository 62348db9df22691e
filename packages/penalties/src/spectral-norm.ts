import type { Plugin, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { Tensor, foldInString, mul, normal, prngKey, pureCallback, reshape, square, sum, type Tree } from "@regularize/core-autodiff";
import { check, PenaltyOptionError, requireNonNegative, requireOptions, requirePositiveInteger, requireTensor } from "./errors.js";
import { type ParamMask, selectLeaves, weightsOnly } from "./paths.js";
import { sumTerms } from "./sum-terms.js";

/**
 * A weight tensor seen as a matrix. 2-D weights as they are; a conv kernel [Cout, Cin, K] as
 * [Cout, Cin·K], the matrix its im2col GEMM multiplies by (and torch.nn.utils.spectral_norm's reshape).
 */
function asMatrix(w: Tensor): [rows: number, cols: number] {
  if (w.ndim >= 3) return [w.shape[0]!, w.size / w.shape[0]!];
  const cols = w.shape[w.ndim - 1]!;
  return [w.size / cols, cols];
}

/** Power iteration that did not reach its tolerance within its iteration budget. */
export class SpectralNormConvergenceError extends Error {
  constructor(readonly iterations: number, readonly sigma: number, readonly change: number, readonly tol: number) {
    const num = (x: unknown): number => (typeof x === "number" ? x : NaN); // the message never throws
    super(
      `spectralNorm: power iteration did not converge in ${num(iterations)} iterations (σ ≈ ${num(sigma)}, last relative change ${num(change).toExponential(2)} > tol ${num(tol)}); ` +
      `raise "iterations", loosen "tol", or pass allowNonConvergence: true to accept the estimate`,
    );
    this.name = "SpectralNormConvergenceError";
  }
}

/** Options of {@link spectralNorm} and {@link spectralNormEstimate}. */
export interface SpectralNormOptions {
  /** Largest number of power-iteration steps (default 500). */
  readonly iterations?: number;
  /** Stop when σ changes by at most tol·max(1, σ) between steps (default 1e-12). */
  readonly tol?: number;
  /** Seed of the start vector (default 0). */
  readonly seed?: number;
  /** Return the last estimate instead of throwing when the budget runs out (default false). */
  readonly allowNonConvergence?: boolean;
}

/** σ_max by power iteration, with how it ended. */
export function spectralNormEstimate(w: Tensor, options: SpectralNormOptions = {}): { sigma: number; iterations: number; converged: boolean; change: number } {
  requireTensor("spectralNorm", "w", w);
  check.options("spectralNorm", requireOptions("spectralNorm", options), { iterations: true, tol: true, seed: true, allowNonConvergence: true });
  const maxIt = requirePositiveInteger("spectralNorm", "iterations", options.iterations ?? 500);
  const tol = requireNonNegative("spectralNorm", "tol", options.tol ?? 1e-12);
  const v = startVector(w, "", options.seed ?? 0);
  let prev = -1;
  let sigma = 0;
  let change = Infinity;
  for (let it = 1; it <= maxIt; it++) {
    sigma = powerIteration(w, v, 1).sigma;
    change = Math.abs(sigma - prev) / Math.max(1, sigma);
    if (change <= tol) return { sigma, iterations: it, converged: true, change };
    prev = sigma;
  }
  return { sigma, iterations: maxIt, converged: false, change };
}

function normalize(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < x.length; i++) x[i]! /= n;
  return n;
}

/**
 * Power iteration on W (rows × cols) from the right vector `v` (length cols), in place. Returns the
 * left vector u and σ ≈ uᵀWv. Plain loops on the data: the vectors are constants for autodiff.
 */
export function powerIteration(w: Tensor, v: Float64Array, iterations: number): { u: Float64Array; v: Float64Array; sigma: number } {
  requireTensor("powerIteration", "w", w);
  if (!(v instanceof Float64Array)) throw new PenaltyOptionError("powerIteration", "v", "must be a Float64Array");
  requirePositiveInteger("powerIteration", "iterations", iterations);
  const [rows, cols] = asMatrix(w);
  const u = new Float64Array(rows);
  const sigma = powerSteps(w.data, rows, cols, u, v, iterations);
  return { u, v, sigma };
}

/** powerIteration's loops on the matrix data d (rows × cols): u and v in place, σ returned. */
function powerSteps(d: ArrayLike<number>, rows: number, cols: number, u: Float64Array, v: Float64Array, iterations: number): number {
  if (normalize(v) === 0) v.fill(1 / Math.sqrt(cols));
  for (let it = 0; it < iterations; it++) {
    u.fill(0);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += d[i * cols + j]! * v[j]!;
      u[i] = s;
    }
    if (normalize(u) === 0) return 0;
    v.fill(0);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) v[j]! += d[i * cols + j]! * u[i]!;
    normalize(v);
  }
  let sigma = 0;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) sigma += u[i]! * d[i * cols + j]! * v[j]!;
  return sigma;
}

/** A start vector for power iteration, reproducible per parameter path. */
function startVector(w: Tensor, path: string, seed: number): Float64Array {
  const cols = asMatrix(w)[1];
  return Float64Array.from(normal(foldInString(prngKey(seed), path), [cols]).data);
}

/**
 * Largest singular value of a weight tensor (as a matrix), by power iteration run to `tol`; throws
 * SpectralNormConvergenceError when the iteration budget runs out first (unless allowNonConvergence).
 */
export function spectralNorm(w: Tensor, options: SpectralNormOptions = {}): number {
  const r = spectralNormEstimate(w, options);
  if (!r.converged && options.allowNonConvergence !== true) {
    throw new SpectralNormConvergenceError(r.iterations, r.sigma, r.change, options.tol ?? 1e-12);
  }
  return r.sigma;
}

/**
 * Product of the spectral norms of the weight matrices: an upper bound on the Lipschitz constant of
 * an MLP with 1-Lipschitz activations (ReLU, tanh) w.r.t. the L2 norm. A metric, not a penalty.
 */
export function lipschitzBound(params: Tree, options: { readonly mask?: ParamMask } & SpectralNormOptions = {}): number {
  let prod = 1;
  const { mask, ...norm } = check.options("lipschitzBound", requireOptions("lipschitzBound", options ?? {}), { mask: true, iterations: true, tol: true, seed: true, allowNonConvergence: true });
  for (const { leaf } of selectLeaves(params, mask ?? weightsOnly)) prod *= spectralNorm(leaf, norm);
  return prod;
}

/** Options of {@link spectralPenalty}. */
export interface SpectralPenaltyOptions {
  /** λ ≥ 0, weight of Σ_l σ_max(W_l)² (Yoshida & Miyato 2017, without their ½). */
  readonly lambda: number;
  /** Power-iteration steps per penalty evaluation (default 1; the vectors persist between steps). */
  readonly iterations?: number;
  /** Which tensors are penalised. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Seed of the start vectors (default 0). */
  readonly seed?: number;
  /** Plugin name (default "spectralPenalty"). */
  readonly name?: string;
}
const SPECTRAL_PENALTY_KEYS: OptionKeys<SpectralPenaltyOptions> = { lambda: true, iterations: true, mask: true, seed: true, name: true };

/** Persisted power-iteration vectors, one right singular vector estimate per parameter path. */
export interface SpectralState {
  readonly vectors: Record<string, number[]>;
}

/** The stored right vectors of a spectral plugin, created on demand. */
export class PowerIterationVectors {
  private readonly vectors = new Map<string, Float64Array>();
  constructor(private readonly seed: number) {
    check.integer("PowerIterationVectors", "seed", seed, 0, Number.MAX_SAFE_INTEGER);
  }
  /** Run `iterations` steps for `w` at `path`, continuing from the stored vector. */
  step(path: string, w: Tensor, iterations: number): { u: Float64Array; v: Float64Array; sigma: number } {
    if (typeof path !== "string") throw new PenaltyOptionError("PowerIterationVectors.step", "path", `must be a parameter path string, got ${typeof path}`);
    requireTensor("PowerIterationVectors.step", "w", w);
    requirePositiveInteger("PowerIterationVectors.step", "iterations", iterations);
    let v = this.vectors.get(path);
    if (v === undefined || v.length !== asMatrix(w)[1]) {
      v = startVector(w, path, this.seed);
      this.vectors.set(path, v);
    }
    return powerIteration(w, v, iterations);
  }
  /** Forget every vector (back to the seeded start vectors). */
  reset(): void {
    this.vectors.clear();
  }
  save(): SpectralState {
    const vectors: Record<string, number[]> = {};
    for (const [k, v] of this.vectors) vectors[k] = Array.from(v);
    return { vectors };
  }
  load(state: unknown): void {
    const vs = (state as Partial<SpectralState> | null)?.vectors;
    const ok = vs !== null && typeof vs === "object" && !Array.isArray(vs) && Object.values(vs).every((v) => Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x)));
    if (!ok) throw new PenaltyOptionError("PowerIterationVectors.load", "state", "must be a saved state { vectors: { [path]: finite numbers[] } }");
    this.vectors.clear();
    for (const [k, v] of Object.entries(vs)) this.vectors.set(k, Float64Array.from(v));
  }
}

/**
 * σ as a differentiable function of W: uᵀWv with the power-iteration vectors held constant, whose
 * gradient u·vᵀ is the exact gradient of σ_max at a simple top singular value.
 */
export function sigmaOf(w: Tensor, u: Float64Array, v: Float64Array): Tensor {
  requireTensor("sigmaOf", "w", w);
  if (!(u instanceof Float64Array) || !(v instanceof Float64Array)) throw new PenaltyOptionError("sigmaOf", u instanceof Float64Array ? "v" : "u", "must be a Float64Array");
  const [rows, cols] = asMatrix(w);
  const outer = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) outer[i * cols + j] = u[i]! * v[j]!;
  const o = new Tensor(w.dtype === "float32" ? Float32Array.from(outer) : outer, [rows, cols], w.dtype);
  return sum(mul(reshape(w, [rows, cols]), o));
}

/** The power-iteration right vectors of spectralPenalty, by parameter path (float64 tensors [cols]). */
type SpectralVectors = Readonly<Record<string, Tensor>>;

/**
 * One penalty term σ_max(W)² for the weight `w` from the right vector `v` (float64 [cols]): the
 * power iteration and the outer product u·vᵀ run in callbacks on the tensors' values (a compiled
 * step replays them with each step's weights and vectors); σ = Σ W ⊙ u·vᵀ is differentiable in W.
 */
function spectralTerm(w: Tensor, v: Tensor, iterations: number): { term: Tensor; next: Tensor } {
  const [rows, cols] = asMatrix(w);
  // [u | v] after the iterations, in float64 as powerIteration computes them
  const uv = pureCallback((out, wd, vd) => {
    const u = new Float64Array(rows), vv = Float64Array.from(vd);
    powerSteps(wd, rows, cols, u, vv, iterations);
    out.set(u, 0);
    out.set(vv, rows);
  }, [w, v], [rows + cols], "float64");
  const next = pureCallback((out, p) => out.set(p.subarray(rows)), [uv], [cols], "float64");
  // the outer product rounded once to w's dtype, as sigmaOf's
  const outer = pureCallback((out, p) => {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = p[i]! * p[rows + j]!;
  }, [uv], [rows, cols], w.dtype);
  return { term: square(sum(mul(reshape(w, [rows, cols]), outer))), next };
}

/**
 * Spectral norm regularization: adds λ·Σ_l σ_max(W_l)², with σ estimated by power iteration whose
 * vectors persist across steps, so one iteration per step suffices. Inside fit the vectors are the
 * plugin's step state (runtime inputs and outputs of a compiled step, saved in the TrainState's
 * `stepStates`); called directly (no ctx.state), the plugin keeps them itself between calls.
 * @example spectralPenalty({ lambda: 1e-2 })
 */
export function spectralPenalty(options: SpectralPenaltyOptions): Plugin {
  const name = check.plugin("spectralPenalty", options, SPECTRAL_PENALTY_KEYS);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  if (options.seed !== undefined) check.integer(name, "seed", options.seed, 0, Number.MAX_SAFE_INTEGER);
  const lambda = requireNonNegative(name, "lambda", options.lambda);
  const iterations = requirePositiveInteger(name, "iterations", optionOr(options.iterations, 1));
  const seed = options.seed ?? 0;
  const mask = options.mask ?? weightsOnly;
  const start = (params: Tree): SpectralVectors => {
    const vs: Record<string, Tensor> = {};
    for (const { path, leaf } of selectLeaves(params, mask)) vs[path] = new Tensor(startVector(leaf, path, seed), [asMatrix(leaf)[1]], "float64");
    return vs;
  };
  // the vectors of direct calls (outside fit, where ctx has no state)
  let own: SpectralVectors | undefined;
  return {
    name,
    stepState: { init: start },
    penalty(params, ctx) {
      const inFit = ctx !== null && ctx !== undefined && ctx.setState !== undefined;
      const state = ((inFit ? ctx.state : own) ?? start(params)) as SpectralVectors;
      const next: Record<string, Tensor> = {};
      const terms = selectLeaves(params, mask).map(({ path, leaf }) => {
        const v = state[path];
        if (!(v instanceof Tensor) || v.size !== asMatrix(leaf)[1]) {
          throw new PenaltyOptionError(name, "state", `has no power-iteration vector of length ${asMatrix(leaf)[1]} for "${path}" (the parameters changed shape since the state was made)`);
        }
        const r = spectralTerm(leaf, v, iterations);
        next[path] = r.next;
        return r.term;
      });
      if (inFit) ctx.setState!(next);
      else own = next;
      return mul(sumTerms(terms, params), lambda);
    },
  };
}
