import { type Tensor, type Tree } from "@regularize/core-autodiff";
import {
  type Model, type Predictive, type PredictiveOptions, type PredictiveOutput, checkMembers, checkPredictiveOptions, normalizeWeights, predict,
  softmaxRows, weightedMoments,
} from "@regularize/core-train";
import { Tensor as T } from "@regularize/core-autodiff";
import type { Combiner } from "./combiners.js";
import { PredictiveError } from "./errors.js";

/** A trained member: a model and its parameters (members may differ in architecture). */
export interface EnsembleMember<P extends Tree = Tree> {
  readonly model: Model<P>;
  readonly params: P;
}

/** Options of `ensemble`. */
export interface EnsembleOptions {
  /** Trained members, or a function giving the members' raw outputs for x (logits for classification unless the combiner takes probabilities). */
  readonly members: readonly EnsembleMember<Tree>[] | ((x: Tensor) => readonly Tensor[]);
  /** How to combine (see combiners.ts); its kind is the ensemble's kind. */
  readonly combiner: Combiner;
  /** Member weights passed to the combiner and used for the variance (default: the combiner's own, else uniform). */
  readonly weights?: readonly number[];
}

/** An ensemble: a Predictive whose mean is the combiner's output. */
export interface Ensemble extends Predictive {
  readonly combiner: Combiner;
  /** The members' raw outputs for x (regression predictions / classification logits or probabilities). */
  memberOutputs(x: Tensor): readonly Tensor[];
}

/**
 * An ensemble as a `Predictive`: `mean` is the combiner's output (regression predictions, or class
 * probabilities — vote shares for `majorityVote`); `variance` is the members' (weighted) spread around
 * their mean — of the predictions for regression, of the class probabilities for classification;
 * `members` (on request) are the predictions or class probabilities of each member.
 * @example const ens = ensemble({ members: trained.map((params) => ({ model, params })), combiner: meanOfProbabilities() });
 */
export function ensemble(options: EnsembleOptions): Ensemble {
  const fn = "ensemble";
  const { combiner } = (options ?? {}) as Partial<EnsembleOptions>;
  if (combiner === null || typeof combiner !== "object" || typeof combiner.combine !== "function") {
    throw new PredictiveError(fn, "combiner", "must be a Combiner (mean(), median(), meanOfProbabilities()…)");
  }
  const src = options.members;
  if (typeof src !== "function") {
    if (!Array.isArray(src)) throw new PredictiveError(fn, "members", "must be an array of { model, params } or a function");
    if (src.length === 0) throw new PredictiveError(fn, "members", "is empty: an ensemble needs at least one member");
    src.forEach((m, i) => {
      if (m === null || typeof m !== "object" || typeof m.model?.apply !== "function" || m.params === undefined) {
        throw new PredictiveError(fn, `members[${i}]`, "must be { model, params }", i);
      }
    });
  }
  const memberOutputs = (x: Tensor): readonly Tensor[] => (typeof src === "function" ? src(x) : src.map((m) => predict(m.model, m.params, x)));
  return {
    kind: combiner.kind,
    combiner,
    ...(typeof src === "function" ? {} : { size: src.length }),
    memberOutputs,
    predict(x: Tensor, predictOptions?: PredictiveOptions): PredictiveOutput {
      const opts = checkPredictiveOptions(fn, predictOptions);
      const raw = memberOutputs(x);
      const combined = combiner.combine(raw, options.weights);
      const { n, d, shape } = checkMembers(fn, raw);
      const given = options.weights ?? combiner.weights;
      const w = given === undefined ? undefined : normalizeWeights(fn, given, raw.length);
      const vals = combiner.kind === "classification" && combiner.input !== "probabilities"
        ? raw.map((t) => softmaxRows(t.data, n, d))
        : raw.map((t) => t.data);
      const { variance } = weightedMoments(vals, w);
      const out: { -readonly [K in keyof PredictiveOutput]: PredictiveOutput[K] } = {
        kind: combiner.kind, mean: combined, variance: new T(variance, [...shape], "float64"),
      };
      if (opts.members) out.members = vals.map((v) => new T(Float64Array.from(v), [...shape], "float64"));
      if (w !== undefined) out.weights = Array.from(w);
      return out;
    },
  };
}
