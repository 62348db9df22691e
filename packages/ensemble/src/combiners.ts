import { Tensor } from "@regularize/core-autodiff";
import { type OptionKeys, checkMembers, describeValue, normalizeWeights, optionOr, softmaxRows, type PredictiveKind } from "@regularize/core-train";
import { PredictiveError, check } from "./errors.js";

/**
 * How an ensemble turns its members' raw outputs (regression predictions, or classification logits
 * or probabilities) into one prediction. Every combiner is invariant to the order of its members
 * (with their weights permuted alike).
 */
export interface Combiner {
  readonly name: string;
  /** What the combined output is: regression predictions, or class probabilities [N, C]. */
  readonly kind: PredictiveKind;
  /** For classification combiners: what members must return. */
  readonly input?: "logits" | "probabilities";
  /** The combiner's own member weights, when it was made with some (the ensemble's variance uses them too). */
  readonly weights?: readonly number[];
  /** Combine members (all of one shape [N] or [N, D], no NaN); weights are validated and normalised. */
  combine(members: readonly Tensor[], weights?: readonly number[]): Tensor;
}

/** Options shared by the combiners that accept weights. */
export interface WeightedOptions {
  /** Fixed member weights (non-negative, finite, not all 0; normalised to sum 1). Default uniform. */
  readonly weights?: readonly number[];
}

function resolveWeights(fn: string, own: readonly number[] | undefined, given: readonly number[] | undefined, m: number): Float64Array | undefined {
  const w = given ?? own;
  return w === undefined ? undefined : normalizeWeights(fn, w, m);
}

/** Check a combiner's options at construction (known keys; weights an array of finite numbers) and copy its weights. */
function ownWeights<O extends WeightedOptions>(fn: string, options: O, keys: OptionKeys<O>): { weights?: readonly number[] } {
  check.options(fn, options, keys);
  const w = options.weights;
  if (w === undefined) return {};
  if (!Array.isArray(w) || w.length === 0) check.fail(fn, "weights", `must be a non-empty array of finite numbers, got ${describeValue(w)}`);
  w.forEach((v, i) => check.number(fn, `weights[${i}]`, v));
  return { weights: [...w] };
}
const WEIGHTED_KEYS: OptionKeys<WeightedOptions> = { weights: true };
const PROBABILITY_KEYS: OptionKeys<ProbabilityCombinerOptions> = { weights: true, input: true };

function sortedSum(values: readonly ArrayLike<number>[], w: Float64Array | undefined): Float64Array {
  // Permutation invariance down to the last bit: sum each entry's terms in sorted order.
  const M = values.length, L = values[0]!.length, out = new Float64Array(L), terms = new Float64Array(M);
  for (let k = 0; k < L; k++) {
    for (let m = 0; m < M; m++) terms[m] = w === undefined ? values[m]![k]! : w[m]! * values[m]![k]!;
    terms.sort();
    let s = 0;
    for (let m = 0; m < M; m++) s += terms[m]!;
    out[k] = w === undefined ? s / M : s; // unweighted: sum / M, as NumPy's mean
  }
  return out;
}

function shapeOf(members: readonly Tensor[]): number[] {
  return [...members[0]!.shape];
}

/**
 * Mean of the members' predictions (regression), optionally weighted. The terms of each entry are
 * summed in sorted order, so the result is bit-for-bit independent of the members' order.
 */
export function mean(options: WeightedOptions = {}): Combiner {
  const fn = "mean";
  const own = ownWeights(fn, options, WEIGHTED_KEYS);
  return {
    name: fn, kind: "regression", ...own,
    combine(members, weights) {
      checkMembers(fn, members);
      const w = resolveWeights(fn, options.weights, weights, members.length);
      return new Tensor(sortedSum(members.map((t) => t.data), w), shapeOf(members), "float64");
    },
  };
}

/** Same as `mean({ weights })`: a fixed-weight average of the members' predictions. */
export function weightedMean(options: { readonly weights: readonly number[] }): Combiner {
  check.options("weightedMean", options, { weights: true }, { required: true });
  if (options.weights === undefined) throw new PredictiveError("weightedMean", "weights", "is required");
  const c = mean(options);
  return { ...c, name: "weightedMean" };
}

/**
 * Element-wise median of the members' predictions (regression), as NumPy's `np.median(axis=0)`: for
 * an even number of members, the mean of the two middle values. Unweighted.
 */
export function median(): Combiner {
  const fn = "median";
  return {
    name: fn, kind: "regression",
    combine(members, weights) {
      checkMembers(fn, members);
      if (weights !== undefined) throw new PredictiveError(fn, "weights", "the median combiner is unweighted");
      const M = members.length, L = members[0]!.size, out = new Float64Array(L), col = new Float64Array(M);
      for (let k = 0; k < L; k++) {
        for (let m = 0; m < M; m++) col[m] = members[m]!.data[k]!;
        col.sort();
        out[k] = M % 2 === 1 ? col[(M - 1) / 2]! : (col[M / 2 - 1]! + col[M / 2]!) / 2;
      }
      return new Tensor(out, shapeOf(members), "float64");
    },
  };
}

function classShape(fn: string, members: readonly Tensor[]): { n: number; c: number } {
  const { n, d, shape } = checkMembers(fn, members);
  if (shape.length !== 2) throw new PredictiveError(fn, "members[0]", `must be [N, C] class scores, got shape [${shape.join(", ")}]`, 0);
  return { n, c: d };
}

/** Options of the probability combiners. */
export interface ProbabilityCombinerOptions extends WeightedOptions {
  /** What members return: "logits" (default; softmax per member) or "probabilities". */
  readonly input?: "logits" | "probabilities";
}

/** Mean of probabilities: Σ wₘ softmax(zₘ) — the ensemble's predictive distribution (deep ensembles). */
export function meanOfProbabilities(options: ProbabilityCombinerOptions = {}): Combiner {
  const fn = "meanOfProbabilities";
  const own = ownWeights(fn, options, PROBABILITY_KEYS);
  const input = check.oneOf(fn, "input", optionOr(options.input, "logits"), ["logits", "probabilities"] as const);
  return {
    name: fn, kind: "classification", input, ...own,
    combine(members, weights) {
      const { n, c } = classShape(fn, members);
      const w = resolveWeights(fn, options.weights, weights, members.length);
      const probs = members.map((t, m) => {
        if (input === "logits") return softmaxRows(t.data, n, c);
        for (let k = 0; k < t.size; k++) {
          const v = t.data[k]!;
          if (!(v >= 0 && v <= 1)) throw new PredictiveError(fn, `members[${m}]`, `entry ${k} is ${v}, not a probability`, m);
        }
        return t.data;
      });
      return new Tensor(sortedSum(probs, w), [n, c], "float64");
    },
  };
}

/**
 * Mean of logits: softmax(Σ wₘ zₘ) — a geometric mean of the members' distributions (renormalised),
 * sharper than the mean of probabilities. Members return logits. The output is probabilities.
 */
export function meanOfLogits(options: WeightedOptions = {}): Combiner {
  const fn = "meanOfLogits";
  const own = ownWeights(fn, options, WEIGHTED_KEYS);
  return {
    name: fn, kind: "classification", input: "logits", ...own,
    combine(members, weights) {
      const { n, c } = classShape(fn, members);
      const w = resolveWeights(fn, options.weights, weights, members.length);
      return new Tensor(softmaxRows(sortedSum(members.map((t) => t.data), w), n, c), [n, c], "float64");
    },
  };
}

/**
 * Majority vote: each member votes for its top class (its lowest-index class on ties within the
 * member); the output row is the (weighted) vote share of each class, so its argmax is the elected
 * class. Tie rule: when classes tie on votes, the lowest class index wins — which is what every
 * argmax here (and `probabilityAccuracy`) does with the vote shares.
 */
export function majorityVote(options: WeightedOptions = {}): Combiner {
  const fn = "majorityVote";
  const own = ownWeights(fn, options, WEIGHTED_KEYS);
  return {
    name: fn, kind: "classification", input: "logits", ...own,
    combine(members, weights) {
      const { n, c } = classShape(fn, members);
      const M = members.length;
      const w = resolveWeights(fn, options.weights, weights, M);
      const votes = members.map((t) => {
        const v = new Float64Array(n * c);
        for (let i = 0; i < n; i++) {
          let best = 0;
          for (let j = 1; j < c; j++) if (t.data[i * c + j]! > t.data[i * c + best]!) best = j;
          v[i * c + best] = 1;
        }
        return v;
      });
      return new Tensor(sortedSum(votes, w), [n, c], "float64");
    },
  };
}

/** The elected class of each row of a vote share / probability matrix [N, C] (lowest index on ties). */
export function electedClass(shares: Tensor): Int32Array {
  if (!(shares instanceof Tensor) || shares.ndim !== 2) throw new PredictiveError("electedClass", "shares", `must be a 2-D tensor [n, classes], got ${describeValue(shares)}`);
  const [n, c] = shares.shape as [number, number];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (shares.data[i * c + j]! > shares.data[i * c + best]!) best = j;
    out[i] = best;
  }
  return out;
}

