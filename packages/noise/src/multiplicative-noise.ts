import type { ForwardHookContext, Site, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { type DataArray, PRNGKey, Tensor, mul, normal, pureCallback, uniform } from "@regularize/core-autodiff";
import type { DropoutFamilyPlugin } from "./dropout-family.js";
import { check, requirePositive, requireRate } from "./errors.js";
import { RandomStream, sampleBeta } from "./random-stream.js";
import { type SiteSelection, checkSiteArgs, siteFilter } from "./sites.js";

/** Options shared by the multiplicative-noise variants of dropout. */
export interface MultiplicativeNoiseOptions {
  /** The dropout rate p these variants mimic: the multiplier has mean 1 and variance p/(1−p). */
  readonly rate: number;
  /** Hidden sites to act on: names, or "hidden" for all (default). */
  readonly sites?: SiteSelection;
  /** Plugin name (defaults "gaussianDropout", "uniformDropout", "betaDropout"). */
  readonly name?: string;
}
const MULTIPLICATIVE_KEYS: OptionKeys<MultiplicativeNoiseOptions> = { rate: true, sites: true, name: true };

type Sampler = (key: PRNGKey, h: Tensor) => Tensor;

/** A mean-1 multiplicative stochastic layer: train mode h·ξ, test mode the identity (E[ξ] = 1). */
function multiplicative(name: string, p: number, sites: SiteSelection | undefined, sample: Sampler): DropoutFamilyPlugin {
  const selected = siteFilter(name, sites);
  return {
    name,
    family: "dropout",
    site(h: Tensor, site: Site, ctx: ForwardHookContext): Tensor {
      checkSiteArgs(name, h, site, ctx);
      if (!ctx.active || !selected(site) || p === 0) return h;
      return mul(h, sample(ctx.key, h));
    },
  };
}

const fdtype = (h: Tensor) => (h.dtype === "float32" ? "float32" : "float64") as "float32" | "float64";

/**
 * Gaussian dropout (Srivastava et al. 2014 §10): h·ξ with ξ ~ N(1, p/(1−p)), the variance of
 * Bernoulli(1−p)/(1−p); identity at test time.
 * @example gaussianDropout({ rate: 0.5 })
 */
export function gaussianDropout(options: MultiplicativeNoiseOptions): DropoutFamilyPlugin {
  const name = check.plugin("gaussianDropout", options, MULTIPLICATIVE_KEYS);
  const p = requireRate(name, "rate", options.rate);
  const sd = Math.sqrt(p / (1 - p));
  return multiplicative(name, p, options.sites, (key, h) => normal(key, h.shape, { mean: 1, std: sd, dtype: fdtype(h) }));
}

/**
 * Uniform multiplicative noise: ξ ~ U(1 − a, 1 + a) with a = √(3p/(1−p)), matching dropout's mean 1
 * and variance p/(1−p); identity at test time.
 * @example uniformDropout({ rate: 0.2 })
 */
export function uniformDropout(options: MultiplicativeNoiseOptions): DropoutFamilyPlugin {
  const name = check.plugin("uniformDropout", options, MULTIPLICATIVE_KEYS);
  const p = requireRate(name, "rate", options.rate);
  const a = Math.sqrt((3 * p) / (1 - p));
  return multiplicative(name, p, options.sites, (key, h) => uniform(key, h.shape, { minval: 1 - a, maxval: 1 + a, dtype: fdtype(h) }));
}

/** Options of {@link betaDropout}. */
export interface BetaDropoutOptions extends MultiplicativeNoiseOptions {
  /** κ = a + b of the Beta(κ(1−p), κp) keep variable (default 1); κ → 0 recovers Bernoulli dropout. */
  readonly concentration?: number;
}
const BETA_KEYS: OptionKeys<BetaDropoutOptions> = { ...MULTIPLICATIVE_KEYS, concentration: true };

/**
 * Beta multiplicative noise: ξ = z/(1−p) with z ~ Beta(κ(1−p), κp), so E[ξ] = 1 and
 * Var[ξ] = p/((1−p)(κ+1)) — a soft mask between inverted dropout (κ → 0) and no noise (κ → ∞).
 * @example betaDropout({ rate: 0.5, concentration: 2 })
 */
export function betaDropout(options: BetaDropoutOptions): DropoutFamilyPlugin {
  const name = check.plugin("betaDropout", options, BETA_KEYS);
  const p = requireRate(name, "rate", options.rate);
  const kappa = requirePositive(name, "concentration", optionOr(options.concentration, 1));
  const a = kappa * (1 - p), b = kappa * p;
  // a kernel of the key's two words: a jit recording (fit's compiled step) replays it with each step's key
  const draw = (out: DataArray, kd: DataArray): void => {
    const stream = new RandomStream(new PRNGKey(kd[0]!, kd[1]!));
    for (let i = 0; i < out.length; i++) out[i] = sampleBeta(stream, a, b) / (1 - p);
  };
  return multiplicative(name, p, options.sites, (key, h) => pureCallback(draw, [new Tensor(key.data, [2], "int32")], h.shape, fdtype(h)));
}
