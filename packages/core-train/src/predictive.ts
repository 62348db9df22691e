import { Tensor } from "@regularize/core-autodiff";
import { PredictiveError } from "./errors.js";
import { describeValue } from "./plugin-options.js";

/** What a Predictive predicts: real outputs (mean and variance) or class probabilities. */
export type PredictiveKind = "regression" | "classification";

/**
 * One answer of a Predictive for inputs x [N, …].
 * - regression: `mean` [N, D] is the predictive mean, `variance` [N, D] the predictive variance
 *   (spread of the members around the mean plus any noise variance the predictive models);
 * - classification: `mean` [N, C] holds the averaged class probabilities (rows sum to 1), `variance`
 *   [N, C] the variance of the members' probabilities (0 for a single deterministic model).
 */
export interface PredictiveOutput {
  readonly kind: PredictiveKind;
  readonly mean: Tensor;
  readonly variance: Tensor;
  /**
   * The members' (or posterior samples') own predictions when asked with `{ members: true }`:
   * regression outputs [N, D], or class probabilities [N, C] for classification.
   */
  readonly members?: readonly Tensor[];
  /** The members' weights (sum 1) when they are not uniform. */
  readonly weights?: readonly number[];
}

/** Options of `Predictive.predict`. */
export interface PredictiveOptions {
  /** Also return the members' own predictions (default false). */
  readonly members?: boolean;
}

/**
 * The one uncertainty interface shared by ensembles, MC dropout, Laplace, SWAG, variational nets and
 * SG-MCMC samples: `predict(x)` gives the predictive mean and variance (regression) or the averaged
 * probabilities (classification), with the members/samples on request. The metrics of
 * `metrics.ts` (`evaluatePredictive`) take any Predictive.
 */
export interface Predictive {
  readonly kind: PredictiveKind;
  /** Number of members/samples behind the prediction, when fixed (1 for a single model). */
  readonly size?: number;
  predict(x: Tensor, options?: PredictiveOptions): PredictiveOutput;
}

/** Options of `predictiveFromMembers`. */
export interface MembersPredictiveOptions {
  readonly kind: PredictiveKind;
  /** The members' raw outputs for x: regression predictions [N, D] (or [N]), classification logits or probabilities [N, C]. */
  readonly members: (x: Tensor) => readonly Tensor[];
  /** Classification only: whether members return "logits" (default; softmax is applied per member) or "probabilities". */
  readonly output?: "logits" | "probabilities";
  /** Member weights (non-negative, finite, not all 0; normalised to sum 1). Default: uniform. */
  readonly weights?: readonly number[];
  /** Regression only: noise variance σ² added to the members' spread (a number, or one per member). Default 0. */
  readonly noiseVariance?: number | readonly number[];
  /** Name used in errors (default "predictiveFromMembers"). */
  readonly name?: string;
}

/** Check finite, non-negative weights that do not all vanish; return them normalised to sum 1. */
export function normalizeWeights(fn: string, weights: readonly number[], count: number, argument = "weights"): Float64Array {
  if (!Array.isArray(weights) && !ArrayBuffer.isView(weights)) throw new PredictiveError(fn, argument, "must be an array of numbers");
  if (weights.length !== count) throw new PredictiveError(fn, argument, `has ${weights.length} entries for ${count} members`);
  let s = 0;
  for (let m = 0; m < count; m++) {
    const w = weights[m]!;
    if (typeof w !== "number" || !Number.isFinite(w)) throw new PredictiveError(fn, `${argument}[${m}]`, `must be a finite number, got ${String(w)}`, m);
    if (w < 0) throw new PredictiveError(fn, `${argument}[${m}]`, `must be non-negative, got ${w}`, m);
    s += w;
  }
  if (!(s > 0)) throw new PredictiveError(fn, argument, "must not all be 0");
  return Float64Array.from(weights, (w) => w / s);
}

/**
 * Validate members' predictions: at least one, all tensors of the first one's shape, no NaN.
 * Returns the shape as [N, D] (a 1-D prediction [N] counts as D = 1).
 */
export function checkMembers(fn: string, members: readonly Tensor[], argument = "members"): { n: number; d: number; shape: readonly number[] } {
  if (!Array.isArray(members)) throw new PredictiveError(fn, argument, "must be an array of tensors");
  if (members.length === 0) throw new PredictiveError(fn, argument, "is empty: an ensemble needs at least one member");
  let shape: readonly number[] | undefined;
  members.forEach((t, m) => {
    if (!(t instanceof Tensor)) throw new PredictiveError(fn, `${argument}[${m}]`, `must be a Tensor, got ${t === null ? "null" : typeof t}`, m);
    if (t.ndim < 1 || t.ndim > 2) throw new PredictiveError(fn, `${argument}[${m}]`, `must be [N] or [N, D], got shape [${t.shape.join(", ")}]`, m);
    if (shape === undefined) shape = t.shape;
    else if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape![i])) {
      throw new PredictiveError(fn, `${argument}[${m}]`, `has shape [${t.shape.join(", ")}] but member 0 has [${shape.join(", ")}]`, m);
    }
    const d = t.data;
    for (let k = 0; k < d.length; k++) {
      if (Number.isNaN(d[k]!)) throw new PredictiveError(fn, `${argument}[${m}]`, `prediction ${k} is NaN`, m);
    }
  });
  const s = shape!;
  return { n: s[0]!, d: s.length === 2 ? s[1]! : 1, shape: s };
}

/** Row-wise softmax of logits [N, C] into a new Float64Array (max-shifted, so large logits do not overflow). */
export function softmaxRows(logits: ArrayLike<number>, n: number, c: number): Float64Array {
  for (const [arg, v] of [["n", n], ["c", c]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new PredictiveError("softmaxRows", arg, `must be a non-negative integer, got ${describeValue(v)}`);
  }
  if ((!Array.isArray(logits) && !ArrayBuffer.isView(logits)) || (logits as ArrayLike<unknown>).length !== n * c) {
    throw new PredictiveError("softmaxRows", "logits", `must be an array of n × c = ${n * c} numbers, got ${logits instanceof Tensor ? "a Tensor (pass its data)" : Array.isArray(logits) || ArrayBuffer.isView(logits) ? `${(logits as ArrayLike<unknown>).length} entries` : typeof logits}`);
  }
  if (Array.isArray(logits) && logits.some((v) => typeof v !== "number")) throw new PredictiveError("softmaxRows", "logits", "must hold numbers only");
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let j = 0; j < c; j++) mx = Math.max(mx, logits[i * c + j]!);
    let s = 0;
    for (let j = 0; j < c; j++) s += out[i * c + j] = Math.exp(logits[i * c + j]! - mx);
    for (let j = 0; j < c; j++) out[i * c + j]! /= s;
  }
  return out;
}

/**
 * Weighted mean and (population) variance over members of same-length arrays; weights are
 * normalized to sum to 1 (as predictiveFromMembers does), undefined means uniform.
 */
export function weightedMoments(values: readonly ArrayLike<number>[], weights?: ArrayLike<number>): { mean: Float64Array; variance: Float64Array } {
  if (!Array.isArray(values) || values.length === 0 || !values.every((v) => v !== null && typeof v === "object" && typeof v.length === "number")) {
    throw new PredictiveError("weightedMoments", "values", "must be a non-empty array of number arrays");
  }
  const M = values.length, L = values[0]!.length;
  // a shorter member or a non-number entry would read as undefined and make the moments NaN without a word
  values.forEach((v, m) => {
    if (v.length !== L) throw new PredictiveError("weightedMoments", `values[${m}]`, `has ${v.length} entries but values[0] has ${L}`, m);
    if (Array.isArray(v) && v.some((e) => typeof e !== "number")) throw new PredictiveError("weightedMoments", `values[${m}]`, "must hold numbers only", m);
  });
  if (weights !== undefined) weights = normalizeWeights("weightedMoments", weights as readonly number[], M);
  const mean = new Float64Array(L), variance = new Float64Array(L);
  for (let m = 0; m < M; m++) {
    const v = values[m]!, w = weights === undefined ? 1 / M : weights[m]!;
    for (let k = 0; k < L; k++) mean[k]! += w * v[k]!;
  }
  for (let m = 0; m < M; m++) {
    const v = values[m]!, w = weights === undefined ? 1 / M : weights[m]!;
    for (let k = 0; k < L; k++) {
      const e = v[k]! - mean[k]!;
      variance[k]! += w * e * e;
    }
  }
  return { mean, variance };
}

/**
 * Check a Predictive's `predict` options: undefined (the defaults) or a plain object whose only key is
 * `members` (a boolean). A misspelled key or an array would otherwise be ignored without a word.
 */
export function checkPredictiveOptions(fn: string, options: unknown): PredictiveOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new PredictiveError(fn, "options", `must be an object { members?: boolean }, got ${describeValue(options)}`);
  for (const k of Object.keys(options)) if (k !== "members") throw new PredictiveError(fn, `options.${k}`, `is not an option of predict (the only one is "members")`);
  const { members } = options as PredictiveOptions;
  if (members !== undefined && typeof members !== "boolean") throw new PredictiveError(fn, "options.members", `must be a boolean, got ${describeValue(members)}`);
  return options as PredictiveOptions;
}

/**
 * A Predictive from members (ensemble members, posterior samples, MC-dropout passes). Regression:
 * mean = Σ wₘ fₘ, variance = Σ wₘ (fₘ − mean)² + Σ wₘ σₘ². Classification: mean = Σ wₘ softmax(fₘ)
 * (the mean of probabilities), variance = Σ wₘ (pₘ − mean)².
 * @example const p = predictiveFromMembers({ kind: "classification", members: (x) => samples.map((s) => predict(model, s, x)) });
 */
export function predictiveFromMembers(options: MembersPredictiveOptions): Predictive {
  if (options === null || typeof options !== "object") throw new PredictiveError("predictiveFromMembers", "options", "must be an object");
  const fn = options.name ?? "predictiveFromMembers";
  const { kind } = options;
  if (kind !== "regression" && kind !== "classification") throw new PredictiveError(fn, "kind", `must be "regression" or "classification", got ${JSON.stringify(kind)}`);
  if (typeof options.members !== "function") throw new PredictiveError(fn, "members", "must be a function x => Tensor[]");
  const output = options.output ?? "logits";
  if (output !== "logits" && output !== "probabilities") throw new PredictiveError(fn, "output", `must be "logits" or "probabilities"`);
  const noise = options.noiseVariance ?? 0;
  if (kind === "classification" && options.noiseVariance !== undefined) throw new PredictiveError(fn, "noiseVariance", "applies to regression only");
  const checkNoise = (v: number, arg: string, m?: number) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new PredictiveError(fn, arg, `must be a finite number ≥ 0, got ${String(v)}`, m);
  };
  if (typeof noise === "number") checkNoise(noise, "noiseVariance");
  else noise.forEach((v, m) => checkNoise(v, `noiseVariance[${m}]`, m));
  return {
    kind,
    predict(x, predictOptions) {
      const opts = checkPredictiveOptions(fn, predictOptions);
      const raw = options.members(x);
      const { n, d, shape } = checkMembers(fn, raw);
      const w = options.weights === undefined ? undefined : normalizeWeights(fn, options.weights, raw.length);
      if (typeof noise !== "number" && noise.length !== raw.length) throw new PredictiveError(fn, "noiseVariance", `has ${noise.length} entries for ${raw.length} members`);
      const vals = raw.map((t) => (kind === "classification" && output === "logits" ? softmaxRows(t.data, n, d) : Float64Array.from(t.data)));
      const { mean, variance } = weightedMoments(vals, w);
      if (kind === "regression" && noise !== 0) {
        const nv = typeof noise === "number" ? noise : noise.reduce((s, v, m) => s + (w === undefined ? v / raw.length : w[m]! * v), 0);
        for (let k = 0; k < variance.length; k++) variance[k]! += nv;
      }
      const sh = [...shape];
      const out: { -readonly [K in keyof PredictiveOutput]: PredictiveOutput[K] } = {
        kind, mean: new Tensor(mean, sh, "float64"), variance: new Tensor(variance, sh, "float64"),
      };
      if (opts.members) out.members = vals.map((v) => new Tensor(v, sh, "float64"));
      if (w !== undefined) out.weights = Array.from(w);
      return out;
    },
  };
}
