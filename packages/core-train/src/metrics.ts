import { Tensor } from "@regularize/core-autodiff";
import { PredictiveError } from "./errors.js";
import { describeValue } from "./plugin-options.js";
import type { Predictive } from "./predictive.js";

// Metrics of probabilistic predictions. Plain loops over float64: they are measured, never differentiated.

/** Number of equal-width confidence bins of the ECE and the reliability diagram by default. */
export const DEFAULT_ECE_BINS = 15;

/** How far past [0, 1] a probability may round (in units of its dtype's machine epsilon) before it is refused. */
const PROB_SLACK_ULPS = 4;

function probsOf(fn: string, probs: Tensor, argument = "probs"): { p: ArrayLike<number>; n: number; c: number } {
  if (!(probs instanceof Tensor) || probs.ndim !== 2) {
    throw new PredictiveError(fn, argument, `must be a [N, C] tensor of class probabilities${probs instanceof Tensor ? `, got shape [${probs.shape.join(", ")}]` : ""}`);
  }
  let p: ArrayLike<number> = probs.data;
  // averaging and softmax round: allow a few ulps past [0, 1] (clamped), refuse anything further
  const tol = PROB_SLACK_ULPS * (probs.dtype === "float32" ? 2 ** -23 : Number.EPSILON);
  let clamped: Float64Array | undefined;
  for (let k = 0; k < p.length; k++) {
    const v = p[k]!;
    if (v >= 0 && v <= 1) continue;
    if (!(v >= -tol && v <= 1 + tol)) throw new PredictiveError(fn, argument, `entry ${k} is ${v}, not a probability`);
    (clamped ??= Float64Array.from(p))[k] = v < 0 ? 0 : 1;
  }
  if (clamped !== undefined) p = clamped;
  return { p, n: probs.shape[0]!, c: probs.shape[1]! };
}

function labelsOf(fn: string, labels: Tensor, n: number, c: number): ArrayLike<number> {
  if (!(labels instanceof Tensor) || labels.ndim !== 1 || labels.shape[0] !== n) {
    throw new PredictiveError(fn, "labels", `must be a [${n}] tensor of class indices${labels instanceof Tensor ? `, got shape [${labels.shape.join(", ")}]` : ""}`);
  }
  const y = labels.data;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= c) throw new PredictiveError(fn, "labels", `entry ${i} is ${v}, not a class in [0, ${c})`);
  }
  return y;
}

function argmaxRow(p: ArrayLike<number>, i: number, c: number): number {
  let best = 0;
  for (let j = 1; j < c; j++) if (p[i * c + j]! > p[i * c + best]!) best = j;
  return best; // ties go to the lowest class index
}

/** Fraction of rows whose most probable class (lowest index on ties) is the label. */
export function probabilityAccuracy(probs: Tensor, labels: Tensor): number {
  const { p, n, c } = probsOf("probabilityAccuracy", probs);
  const y = labelsOf("probabilityAccuracy", labels, n, c);
  let hits = 0;
  for (let i = 0; i < n; i++) if (argmaxRow(p, i, c) === y[i]) hits++;
  return n === 0 ? 0 : hits / n;
}

/**
 * Mean negative log-likelihood −(1/N) Σ log p(yᵢ | xᵢ) of class probabilities (natural log). A probability
 * of exactly 0 is floored at `Number.MIN_VALUE`, so one confident mistake costs ≈ 744 nats, not ∞.
 */
export function negativeLogLikelihood(probs: Tensor, labels: Tensor): number {
  const { p, n, c } = probsOf("negativeLogLikelihood", probs);
  const y = labelsOf("negativeLogLikelihood", labels, n, c);
  let s = 0;
  for (let i = 0; i < n; i++) s -= Math.log(Math.max(p[i * c + y[i]!]!, Number.MIN_VALUE));
  return n === 0 ? 0 : s / n;
}

/** Brier score (1/N) Σᵢ Σ_c (p_ic − 1[yᵢ = c])², in [0, 2] (the multi-class form of Brier 1950). */
export function brierScore(probs: Tensor, labels: Tensor): number {
  const { p, n, c } = probsOf("brierScore", probs);
  const y = labelsOf("brierScore", labels, n, c);
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < c; j++) {
      const e = p[i * c + j]! - (y[i] === j ? 1 : 0);
      s += e * e;
    }
  }
  return n === 0 ? 0 : s / n;
}

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** The bin holds top-label confidences in (lower, upper] (the first bin also holds 0). */
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
  /** Mean top-label confidence of the bin (NaN when empty). */
  readonly confidence: number;
  /** Fraction of the bin's rows whose top label is right (NaN when empty). */
  readonly accuracy: number;
}

/** Reliability-diagram data and the calibration errors computed from it. */
export interface Reliability {
  readonly bins: readonly ReliabilityBin[];
  /** Expected calibration error Σ_b (n_b/N)·|acc_b − conf_b|. */
  readonly ece: number;
  /** Maximum calibration error max_b |acc_b − conf_b| over non-empty bins. */
  readonly mce: number;
}

/** Options of the calibration metrics. */
export interface CalibrationOptions {
  /** Number of equal-width bins on [0, 1] (default 15). */
  readonly bins?: number;
}

/**
 * Reliability-diagram data (Guo et al. 2017): the top-label confidence max_c p_ic of each row is put
 * into `bins` equal-width bins (lower, upper] with edges b/B, and each bin's mean confidence is
 * compared with its accuracy. ECE and MCE follow from the same bins.
 */
export function reliabilityDiagram(probs: Tensor, labels: Tensor, options: CalibrationOptions = {}): Reliability {
  const fn = "reliabilityDiagram";
  // null options read .bins with a TypeError; a misspelled key ({ bin: 10 }) would keep 15 bins without a word
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new PredictiveError(fn, "options", `must be an object { bins? }, got ${describeValue(options)}`);
  for (const k of Object.keys(options)) if (k !== "bins") throw new PredictiveError(fn, `options.${k}`, `is not an option (the only one is "bins")`);
  const B = options.bins ?? DEFAULT_ECE_BINS;
  if (!Number.isInteger(B) || B < 1) throw new PredictiveError(fn, "bins", `must be an integer ≥ 1, got ${describeValue(B)}`);
  const { p, n, c } = probsOf(fn, probs);
  const y = labelsOf(fn, labels, n, c);
  const count = new Float64Array(B), conf = new Float64Array(B), hit = new Float64Array(B);
  for (let i = 0; i < n; i++) {
    const j = argmaxRow(p, i, c), q = p[i * c + j]!;
    // bin b holds (b/B, (b+1)/B]: the smallest b with q ≤ (b+1)/B, computed with the same edges as the bins
    let b = Math.min(B - 1, Math.max(0, Math.ceil(q * B) - 1));
    while (b > 0 && q <= b / B) b--;
    while (b < B - 1 && q > (b + 1) / B) b++;
    count[b]!++;
    conf[b]! += q;
    if (j === y[i]) hit[b]!++;
  }
  const bins: ReliabilityBin[] = [];
  let ece = 0, mce = 0;
  for (let b = 0; b < B; b++) {
    const k = count[b]!;
    const cb = k > 0 ? conf[b]! / k : NaN, ab = k > 0 ? hit[b]! / k : NaN;
    bins.push({ lower: b / B, upper: (b + 1) / B, count: k, confidence: cb, accuracy: ab });
    if (k > 0) {
      const gap = Math.abs(ab - cb);
      ece += (k / n) * gap;
      mce = Math.max(mce, gap);
    }
  }
  return { bins, ece, mce };
}

/** Expected calibration error with `bins` (default 15) equal-width bins on the top-label confidence; see `reliabilityDiagram`. */
export function expectedCalibrationError(probs: Tensor, labels: Tensor, options: CalibrationOptions = {}): number {
  return reliabilityDiagram(probs, labels, options).ece;
}

function rowEntropy(p: ArrayLike<number>, i: number, c: number): number {
  let h = 0;
  for (let j = 0; j < c; j++) {
    const v = p[i * c + j]!;
    if (v > 0) h -= v * Math.log(v); // 0·log 0 = 0
  }
  return h;
}

/** Predictive entropy H[p(y|x)] = −Σ_c p_c log p_c of each row (nats), as a Float64Array [N]. */
export function predictiveEntropy(probs: Tensor): Float64Array {
  const { p, n, c } = probsOf("predictiveEntropy", probs);
  return Float64Array.from({ length: n }, (_, i) => rowEntropy(p, i, c));
}

function memberProbs(fn: string, members: readonly Tensor[]): { ps: ArrayLike<number>[]; n: number; c: number } {
  if (!Array.isArray(members) || members.length === 0) throw new PredictiveError(fn, "members", "is empty: needs at least one member's probabilities");
  const first = probsOf(fn, members[0]!, "members[0]");
  const ps = members.map((t, m) => {
    const r = probsOf(fn, t, `members[${m}]`);
    if (r.n !== first.n || r.c !== first.c) throw new PredictiveError(fn, `members[${m}]`, `has shape [${r.n}, ${r.c}] but member 0 has [${first.n}, ${first.c}]`, m);
    return r.p;
  });
  return { ps, n: first.n, c: first.c };
}

/**
 * Mutual information between the label and the member (BALD's epistemic part) for each row:
 * H[mean of pₘ] − mean of H[pₘ] ≥ 0 (nats), uniform weights. Members are class probabilities [N, C].
 */
export function mutualInformation(members: readonly Tensor[]): Float64Array {
  const { ps, n, c } = memberProbs("mutualInformation", members);
  const M = ps.length;
  const mean = new Float64Array(n * c);
  for (const p of ps) for (let k = 0; k < n * c; k++) mean[k]! += p[k]! / M;
  return Float64Array.from({ length: n }, (_, i) => {
    let hm = 0;
    for (const p of ps) hm += rowEntropy(p, i, c) / M;
    return Math.max(0, rowEntropy(mean, i, c) - hm); // clamp rounding below 0
  });
}

/**
 * Disagreement: the fraction of member pairs (m < m') and rows whose top labels differ, averaged over
 * pairs (Fort et al. 2019); 0 for a single member.
 */
export function disagreement(members: readonly Tensor[]): number {
  const { ps, n, c } = memberProbs("disagreement", members);
  const M = ps.length;
  if (M < 2 || n === 0) return 0;
  const top = ps.map((p) => Int32Array.from({ length: n }, (_, i) => argmaxRow(p, i, c)));
  let diff = 0;
  for (let a = 0; a < M; a++) for (let b = a + 1; b < M; b++) for (let i = 0; i < n; i++) if (top[a]![i] !== top[b]![i]) diff++;
  return diff / ((n * M * (M - 1)) / 2);
}

/** Mean Gaussian negative log-likelihood (1/N·D) Σ ½ log(2πσ²) + (y − μ)²/(2σ²) of a regression predictive. */
export function gaussianNll(mean: Tensor, variance: Tensor, y: Tensor): number {
  const fn = "gaussianNll";
  for (const [name, t] of [["mean", mean], ["variance", variance], ["y", y]] as const) if (!(t instanceof Tensor)) throw new PredictiveError(fn, name, "must be a Tensor");
  if (variance.size !== mean.size) throw new PredictiveError(fn, "variance", `has ${variance.size} entries, mean has ${mean.size}`);
  if (y.size !== mean.size) throw new PredictiveError(fn, "y", `has ${y.size} entries, mean has ${mean.size}`);
  let s = 0;
  for (let k = 0; k < mean.size; k++) {
    const v = variance.data[k]!;
    if (!(v > 0)) throw new PredictiveError(fn, "variance", `entry ${k} is ${v}; the Gaussian NLL needs σ² > 0`);
    const e = y.data[k]! - mean.data[k]!;
    s += 0.5 * Math.log(2 * Math.PI * v) + (e * e) / (2 * v);
  }
  return mean.size === 0 ? 0 : s / mean.size;
}

/** Metrics of a Predictive on labelled data (see `evaluatePredictive`). */
export interface PredictiveMetrics {
  /** Classification: top-label accuracy of the averaged probabilities. */
  readonly accuracy?: number;
  /** Classification: mean NLL of the averaged probabilities; regression: Gaussian NLL when every variance is > 0. */
  readonly nll?: number;
  readonly brier?: number;
  readonly ece?: number;
  /** Classification: mean predictive entropy (nats). */
  readonly entropy?: number;
  /** Classification with several members: mean mutual information and pairwise disagreement. */
  readonly mutualInformation?: number;
  readonly disagreement?: number;
  /** Regression: mean squared error of the predictive mean, and the mean predictive variance. */
  readonly mse?: number;
  readonly meanVariance?: number;
}

/** Every metric that applies to `predictive` on `data` (int32 labels [N] for classification, targets shaped like the mean for regression). */
export function evaluatePredictive(predictive: Predictive, data: { readonly x: Tensor; readonly y: Tensor }, options: CalibrationOptions = {}): PredictiveMetrics {
  if (typeof predictive?.predict !== "function") throw new PredictiveError("evaluatePredictive", "predictive", "must be a Predictive (with predict)");
  if (!(data?.x instanceof Tensor) || !(data.y instanceof Tensor)) throw new PredictiveError("evaluatePredictive", "data", "must be { x, y } tensors");
  const out = predictive.predict(data.x, { members: predictive.kind === "classification" });
  const mean = (a: ArrayLike<number>) => {
    let s = 0;
    for (let k = 0; k < a.length; k++) s += a[k]!;
    return a.length === 0 ? 0 : s / a.length;
  };
  if (predictive.kind === "classification") {
    const rel = reliabilityDiagram(out.mean, data.y, options);
    const r: Record<string, number> = {
      accuracy: probabilityAccuracy(out.mean, data.y),
      nll: negativeLogLikelihood(out.mean, data.y),
      brier: brierScore(out.mean, data.y),
      ece: rel.ece,
      entropy: mean(predictiveEntropy(out.mean)),
    };
    if (out.members !== undefined && out.members.length > 1) {
      r.mutualInformation = mean(mutualInformation(out.members));
      r.disagreement = disagreement(out.members);
    }
    return r;
  }
  if (data.y.size !== out.mean.size) throw new PredictiveError("evaluatePredictive", "data.y", `has ${data.y.size} entries, the prediction has ${out.mean.size}`);
  let se = 0;
  for (let k = 0; k < out.mean.size; k++) se += (data.y.data[k]! - out.mean.data[k]!) ** 2;
  const r: Record<string, number> = { mse: out.mean.size === 0 ? 0 : se / out.mean.size, meanVariance: mean(out.variance.data) };
  if (out.variance.data.every((v) => v > 0)) r.nll = gaussianNll(out.mean, out.variance, data.y);
  return r;
}
