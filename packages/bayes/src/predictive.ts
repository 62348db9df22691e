import { type Model, type Plugin, type Predictive, type PredictiveKind, predictiveFromMembers } from "@regularize/core-train";
import { type PRNGKey, Tensor, type Tree, noGrad, slice, squeeze } from "@regularize/core-autodiff";
import { ensemble, meanOfProbabilities } from "@regularize/ensemble";
import { mcDropoutPredict } from "@regularize/noise";
import { BayesArgumentError, requireInteger, requireModel, requireObject } from "./errors.js";

/** Options of {@link samplesPredictive}. */
export interface SamplesPredictiveOptions<P extends Tree> {
  readonly model: Model<P>;
  /** Parameter samples (SG-MCMC chain, SWAG or Laplace draws, ensemble members). */
  readonly samples: readonly P[];
  readonly kind: PredictiveKind;
  /** Regression: σ² added to the samples' spread (default 0). */
  readonly noiseVariance?: number;
}

/**
 * The posterior predictive of parameter samples as core-train's Predictive: the samples form an
 * ensemble — for classification @regularize/ensemble's `ensemble` with `meanOfProbabilities` (the
 * Bayesian model average); for regression the mean and spread of the outputs plus σ².
 * @example samplesPredictive({ model, samples: r.plugins.sgld.samples, kind: "classification" }).predict(xTest)
 */
export function samplesPredictive<P extends Tree>(options: SamplesPredictiveOptions<P>): Predictive {
  const fn = "samplesPredictive";
  requireObject(fn, "options", options);
  if (!Array.isArray(options.samples) || options.samples.length === 0) throw new BayesArgumentError(fn, "samples", "must be a non-empty array of parameter trees");
  const { model, samples } = options;
  if (options.kind === "classification") {
    if (options.noiseVariance !== undefined) throw new BayesArgumentError(fn, "noiseVariance", "applies to regression only");
    return clampProbabilities(ensemble({ members: samples.map((params) => ({ model, params })), combiner: meanOfProbabilities() }));
  }
  return clampProbabilities({
    ...predictiveFromMembers({
      kind: options.kind, name: fn,
      members: (x) => samples.map((p) => noGrad(() => model.apply(p, x))),
      ...(options.noiseVariance !== undefined ? { noiseVariance: options.noiseVariance } : {}),
    }),
    size: samples.length,
  });
}

/** Options of {@link mcDropoutPredictive}. */
export interface McDropoutPredictiveOptions {
  readonly kind: PredictiveKind;
  /** Stochastic forward passes T. */
  readonly samples: number;
  /** The fit's plugins: only the dropout-family ones are switched on. */
  readonly plugins: readonly Plugin[];
  /** Key of the passes (default: a fixed key per call). */
  readonly key: PRNGKey;
  /** Regression: σ² added to the passes' spread (default 0). */
  readonly noiseVariance?: number;
}

/**
 * MC dropout (from @regularize/noise's `mcDropoutPredict`) through the same Predictive interface.
 * @example mcDropoutPredictive(model, r.params, { kind: "classification", samples: 50, plugins: [dropout({ rate: 0.2 })], key: prngKey(0) })
 */
export function mcDropoutPredictive<P extends Tree>(model: Model<P>, params: P, options: McDropoutPredictiveOptions): Predictive {
  requireModel("mcDropoutPredictive", "model", model);
  const T = requireInteger("mcDropoutPredictive", "samples", requireObject("mcDropoutPredictive", "options", options).samples, 1);
  return clampProbabilities({
    ...predictiveFromMembers({
      kind: options.kind, name: "mcDropoutPredictive",
      members: (x: Tensor) => {
        const r = mcDropoutPredict(model, params, x, { samples: T, key: options.key, plugins: options.plugins });
        return Array.from({ length: T }, (_, t) => squeeze(slice(r.samples, [[t, t + 1]]), 0));
      },
      ...(options.noiseVariance !== undefined ? { noiseVariance: options.noiseVariance } : {}),
    }),
    size: T,
  });
}

/**
 * Averaged probabilities can round to 1 + 2⁻⁵² (a sum of products); core-train's metrics reject a
 * probability above 1, so classification means are clamped to [0, 1] (changes only rounding-level excess). @internal
 */
export function clampProbabilities(p: Predictive): Predictive {
  if (p.kind !== "classification") return p;
  return {
    ...p,
    predict(x, o) {
      const out = p.predict(x, o);
      const m = out.mean.data as Float64Array;
      let bad = false;
      for (let k = 0; k < m.length; k++) if (m[k]! > 1 || m[k]! < 0) { bad = true; break; }
      if (!bad) return out;
      const c = Float64Array.from(m, (v) => Math.min(1, Math.max(0, v)));
      return { ...out, mean: new Tensor(c, [...out.mean.shape], "float64") };
    },
  };
}
