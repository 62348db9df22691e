import { Tensor } from "@regularize/core-autodiff";
import { checkMembers, describeValue, softmaxRows, type PredictiveKind } from "@regularize/core-train";
import { EnsembleOptionError, PredictiveError, requireInteger, requireNumber } from "./errors.js";
import { mean, meanOfProbabilities, type Combiner } from "./combiners.js";

/** Options of `fitStackingWeights`. */
export interface StackingOptions {
  /**
   * "regression": weights minimise the squared error of Σ wₘ fₘ on the held-out targets;
   * "classification": weights minimise the NLL of the mixture Σ wₘ pₘ (always on the simplex).
   */
  readonly kind: PredictiveKind;
  /** Regression: constrain weights to be ≥ 0 (default true). */
  readonly nonNegative?: boolean;
  /** Regression: constrain weights to sum to 1 (default true). With nonNegative, weights lie on the simplex. */
  readonly sumToOne?: boolean;
  /** Classification: members return "logits" (default) or "probabilities". */
  readonly input?: "logits" | "probabilities";
  /** Iterations of the projected-gradient solver (default 5000). */
  readonly iterations?: number;
  /** Stop when no weight moves by more than this (default 1e-13). */
  readonly tolerance?: number;
}

/** Fitted stacking weights and the held-out loss they reach. */
export interface StackingResult {
  readonly weights: number[];
  /** Held-out MSE (regression) or mean NLL (classification) of the stacked prediction. */
  readonly loss: number;
  readonly iterations: number;
}

/** Euclidean projection onto the probability simplex (Duchi et al. 2008). */
export function projectSimplex(v: ArrayLike<number>): Float64Array {
  if (v === null || typeof v !== "object" || typeof v.length !== "number") throw new EnsembleOptionError("projectSimplex", "v", "must be an array of numbers");
  const n = v.length;
  for (let i = 0; i < n; i++) {
    if (typeof v[i] !== "number" || !Number.isFinite(v[i])) throw new EnsembleOptionError("projectSimplex", `v[${i}]`, `must be a finite number, got ${describeValue(v[i])}`);
  }
  const u = Float64Array.from(v).sort().reverse();
  let css = 0, theta = 0;
  for (let i = 0; i < n; i++) {
    css += u[i]!;
    const t = (css - 1) / (i + 1);
    if (u[i]! - t > 0) theta = t;
  }
  return Float64Array.from(v, (x) => Math.max(x - theta, 0));
}

/**
 * Stacking (Wolpert 1992; Breiman 1996): fit member weights on a held-out split. `members[m]` are
 * member m's predictions on the held-out inputs, `targets` the held-out targets (regression: shaped
 * like a prediction; classification: int32 labels [N]). Solved by accelerated projected gradient
 * (FISTA) from uniform weights, so duplicated members get equal shares and reproduce the single member.
 */
export function fitStackingWeights(members: readonly Tensor[], targets: Tensor, options: StackingOptions): StackingResult {
  const fn = "fitStackingWeights";
  const { n, d } = checkMembers(fn, members);
  const M = members.length;
  const iters = requireInteger(fn, "iterations", options.iterations ?? 5000, 1);
  const tol = requireNumber(fn, "tolerance", options.tolerance ?? 1e-13, 0);
  if (!(targets instanceof Tensor)) throw new PredictiveError(fn, "targets", "must be a Tensor");
  if (options.kind === "regression") {
    if (targets.size !== n * d) throw new PredictiveError(fn, "targets", `has ${targets.size} entries, members predict ${n * d}`);
    for (let k = 0; k < targets.size; k++) if (!Number.isFinite(targets.data[k]!)) throw new PredictiveError(fn, "targets", `entry ${k} is ${targets.data[k]}`);
    const nonNeg = options.nonNegative ?? true, simplex = options.sumToOne ?? true;
    // Gram matrix G = FᵀF/L and b = Fᵀy/L: the objective ½wᵀGw − bᵀw (+ const) in M dims, computed
    // on F/s and y/s with s = max(|F|, |y|) (same minimiser) so tiny or huge predictions do not under/overflow.
    const L = n * d, G = new Float64Array(M * M), b = new Float64Array(M);
    let sF = 0;
    for (const t of [...members, targets]) for (let k = 0; k < L; k++) sF = Math.max(sF, Math.abs(t.data[k]!));
    const sc = (v: number) => (sF > 0 ? v / sF : 0);
    const F = members.map((t) => Float64Array.from(t.data, sc)), Y = Float64Array.from(targets.data, sc);
    for (let i = 0; i < M; i++) {
      const fi = F[i]!;
      for (let k = 0; k < L; k++) b[i]! += (fi[k]! * Y[k]!) / L;
      for (let j = i; j < M; j++) {
        const fj = F[j]!;
        let s = 0;
        for (let k = 0; k < L; k++) s += fi[k]! * fj[k]!;
        G[i * M + j] = G[j * M + i] = s / L;
      }
    }
    let lip = 0; // a bound on G's largest eigenvalue: max row sum of |G|
    for (let i = 0; i < M; i++) {
      let r = 0;
      for (let j = 0; j < M; j++) r += Math.abs(G[i * M + j]!);
      lip = Math.max(lip, r);
    }
    const project = (w: Float64Array): Float64Array => {
      if (nonNeg && simplex) return projectSimplex(w);
      if (nonNeg) return w.map((x) => Math.max(0, x));
      if (simplex) {
        let s = 0;
        for (const x of w) s += x;
        return w.map((x) => x - (s - 1) / M);
      }
      return w;
    };
    const grad = (w: Float64Array) => Float64Array.from({ length: M }, (_, i) => {
      let s = -b[i]!;
      for (let j = 0; j < M; j++) s += G[i * M + j]! * w[j]!;
      return s;
    });
    const { w, it } = fista(Float64Array.from({ length: M }, () => 1 / M), grad, project, lip > 0 ? 1 / lip : 0, iters, tol) // all-zero members: any weights fit, keep them uniform;
    const pred = new Float64Array(L);
    for (let m = 0; m < M; m++) for (let k = 0; k < L; k++) pred[k]! += w[m]! * members[m]!.data[k]!;
    let se = 0;
    for (let k = 0; k < L; k++) se += (pred[k]! - targets.data[k]!) ** 2;
    return { weights: Array.from(w), loss: se / L, iterations: it };
  }
  if (options.kind !== "classification") throw new EnsembleOptionError(fn, "kind", `must be "regression" or "classification"`);
  if (options.nonNegative === false || options.sumToOne === false) {
    throw new EnsembleOptionError(fn, "nonNegative", "classification stacking mixes probabilities, so its weights always lie on the simplex");
  }
  const c = d;
  if (targets.ndim !== 1 || targets.size !== n) throw new PredictiveError(fn, "targets", `must be [${n}] class labels, got shape [${targets.shape.join(", ")}]`);
  const y = targets.data;
  for (let i = 0; i < n; i++) if (!Number.isInteger(y[i]!) || y[i]! < 0 || y[i]! >= c) throw new PredictiveError(fn, "targets", `entry ${i} is ${y[i]}, not a class in [0, ${c})`);
  const input = options.input ?? "logits";
  const P = members.map((t) => (input === "logits" ? softmaxRows(t.data, n, c) : t.data));
  // q[m][i] = p_m(y_i | x_i): the NLL −(1/n) Σ log Σ_m w_m q_mi is convex in w
  const q = P.map((p) => Float64Array.from({ length: n }, (_, i) => p[i * c + y[i]!]!));
  const mix = (w: Float64Array, i: number) => {
    let s = 0;
    for (let m = 0; m < M; m++) s += w[m]! * q[m]![i]!;
    return Math.max(s, Number.MIN_VALUE);
  };
  const nll = (w: Float64Array) => {
    let s = 0;
    for (let i = 0; i < n; i++) s -= Math.log(mix(w, i));
    return s / n;
  };
  const grad = (w: Float64Array) => {
    const g = new Float64Array(M);
    for (let i = 0; i < n; i++) {
      const z = mix(w, i);
      for (let m = 0; m < M; m++) g[m]! -= q[m]![i]! / z / n;
    }
    return g;
  };
  // Exponentiated gradient (mirror descent on the simplex) with a step that never increases the NLL.
  let w: Float64Array = Float64Array.from({ length: M }, () => 1 / M), f = nll(w), eta = 1, it = 0;
  for (; it < iters; it++) {
    const g = grad(w);
    let next: Float64Array = w, fn2: number;
    for (;;) {
      let mx = -Infinity;
      for (let m = 0; m < M; m++) mx = Math.max(mx, -eta * g[m]!);
      next = Float64Array.from(w, (wm, m) => wm * Math.exp(-eta * g[m]! - mx));
      const s = next.reduce((a, v) => a + v, 0);
      for (let m = 0; m < M; m++) next[m]! /= s;
      fn2 = nll(next);
      if (fn2 <= f || eta < 1e-12) break;
      eta /= 2;
    }
    const moved = next.reduce((a, v, m) => Math.max(a, Math.abs(v - w[m]!)), 0);
    w = next;
    f = Math.min(f, fn2);
    eta *= 1.5;
    if (moved <= tol) break;
  }
  return { weights: Array.from(w), loss: nll(w), iterations: it };
}

function fista(
  w0: Float64Array, grad: (w: Float64Array) => Float64Array, project: (w: Float64Array) => Float64Array, step: number, iters: number, tol: number,
): { w: Float64Array; it: number } {
  let w = project(w0), z = w, t = 1, it = 0;
  for (; it < iters; it++) {
    const g = grad(z);
    const next = project(z.map((v, i) => v - step * g[i]!));
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    z = next.map((v, i) => v + ((t - 1) / tn) * (v - w[i]!));
    const moved = next.reduce((a, v, i) => Math.max(a, Math.abs(v - w[i]!)), 0);
    w = next;
    t = tn;
    if (moved <= tol) break;
  }
  return { w, it };
}

/** A combiner with stacking weights fitted by `fitStackingWeights` (held-out predictions and targets). */
export function stacking(members: readonly Tensor[], targets: Tensor, options: StackingOptions): Combiner & { readonly fit: StackingResult } {
  const fit = fitStackingWeights(members, targets, options);
  const onSimplex = fit.weights.every((w) => w >= 0) && fit.weights.some((w) => w > 0);
  const base = options.kind === "classification"
    ? meanOfProbabilities({ weights: fit.weights, input: options.input ?? "logits" })
    : onSimplex && (options.sumToOne ?? true) ? mean({ weights: fit.weights }) : linearCombination(fit.weights);
  return { ...base, name: "stacking", fit };
}

/** Σ wₘ fₘ with fixed, unnormalised weights of any sign (unconstrained stacking). */
function linearCombination(weights: readonly number[]): Combiner {
  const fn = "stacking";
  return {
    name: fn, kind: "regression",
    combine(members) {
      checkMembers(fn, members);
      if (members.length !== weights.length) throw new PredictiveError(fn, "members", `has ${members.length} members, the weights were fitted for ${weights.length}`);
      const L = members[0]!.size, out = new Float64Array(L);
      for (let m = 0; m < members.length; m++) for (let k = 0; k < L; k++) out[k]! += weights[m]! * members[m]!.data[k]!;
      return new Tensor(out, [...members[0]!.shape], "float64");
    },
  };
}
