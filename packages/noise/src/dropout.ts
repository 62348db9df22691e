import type { ForwardHookContext, Site, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { type PRNGKey, Tensor, bernoulliMask, foldIn, mul, permutation, pureCallback, reshape } from "@regularize/core-autodiff";
import type { DropoutFamilyPlugin } from "./dropout-family.js";
import { check, NoiseOptionError, requireRate } from "./errors.js";
import { type SiteSelection, checkSiteArgs, siteFilter } from "./sites.js";

/** How the trained network is used at test time. */
export type DropoutInference = "weight-scaling" | "inverted";

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** The drop probability p (a unit is kept with probability 1 − p); book default 0.5. */
  readonly rate: number;
  /**
   * "inverted" (default): train with m/(1−p), test with the identity. "weight-scaling" (the book's
   * rule, §9.3.3): train with the 0/1 mask m, test by multiplying the activations — equivalently
   * the outgoing weights — by (1 − p).
   */
  readonly inference?: DropoutInference;
  /** Hidden sites to act on: names, or "hidden" for all (default). */
  readonly sites?: SiteSelection;
  /** Only these unit indices (last axis) can be dropped; others always pass (default: all units). */
  readonly units?: readonly number[];
  /**
   * "bernoulli" (default): each unit independently ~ Bernoulli(1 − p). "fixed-count": exactly
   * round(p·#units) droppable units are dropped, chosen uniformly (figure 9.9's recipe: one of 7/8/9).
   * Both keep every unit with probability 1 − p, so the same inference rules apply.
   */
  readonly sampling?: "bernoulli" | "fixed-count";
  /** One mask for the whole batch instead of one per example (default false; figure 9.9 uses true). */
  readonly sharedMask?: boolean;
  /** Plugin name (default "dropout"). */
  readonly name?: string;
}
const DROPOUT_KEYS: OptionKeys<DropoutOptions> = { rate: true, inference: true, sites: true, units: true, sampling: true, sharedMask: true, name: true };

/** Multiplier for the units: `fill` on droppable units, 1 elsewhere, shaped [1, …, 1, K]. */
function unitVector(h: Tensor, units: ReadonlySet<number> | undefined, fill: number): Tensor {
  const K = h.shape[h.ndim - 1]!;
  const d = h.dtype === "float32" ? new Float32Array(K) : new Float64Array(K);
  for (let k = 0; k < K; k++) d[k] = units === undefined || units.has(k) ? fill : 1;
  return new Tensor(d, [...h.shape.slice(0, -1).map(() => 1), K], h.dtype);
}

/**
 * A 0/1 keep-mask for h: Bernoulli(1 − p) or fixed-count, per example or shared, restricted to `units`.
 * Exported for tests and for custom stochastic layers.
 */
export function dropoutMask(h: Tensor, key: PRNGKey, opts: { rate: number; units?: readonly number[]; sampling?: "bernoulli" | "fixed-count"; sharedMask?: boolean }): Tensor {
  if (!(h instanceof Tensor)) throw new NoiseOptionError("dropoutMask", "h", "must be a Tensor");
  if (opts === null || typeof opts !== "object") throw new NoiseOptionError("dropoutMask", "opts", "must be an object { rate, … }");
  requireRate("dropoutMask", "rate", opts.rate);
  return scaledMask(h, key, opts, 1);
}

/**
 * {@link dropoutMask} with `keep` in place of 1 on kept droppable units (units that cannot drop stay 1):
 * inverted dropout's 1/(1 − p) rides in the mask, so a step pays one product per site, not two.
 * h·(m·s) equals (h·m)·s bit for bit since m ∈ {0, 1}.
 */
function scaledMask(h: Tensor, key: PRNGKey, opts: { rate: number; units?: readonly number[]; sampling?: "bernoulli" | "fixed-count"; sharedMask?: boolean }, keep: number): Tensor {
  const K = h.shape[h.ndim - 1] ?? 1;
  const rows = opts.sharedMask === true ? 1 : h.size / K;
  const shape = opts.sharedMask === true ? [...h.shape.slice(0, -1).map(() => 1), K] : [...h.shape];
  const units = opts.units ?? Array.from({ length: K }, (_, k) => k);
  const U = units.length;
  // the mask is assembled by a callback on the drawn tensors, so a compiled step (jit) replays it
  // with each step's draws instead of freezing the first step's mask
  if (opts.sampling === "fixed-count") {
    const drop = Math.round(opts.rate * U);
    const perms = Array.from({ length: rows }, (_, r) => permutation(foldIn(key, r), U));
    return pureCallback((out, ...ps) => {
      out.fill(1);
      for (let r = 0; r < rows; r++) for (let j = 0; j < U; j++) out[r * K + units[j]!] = keep;
      for (let r = 0; r < rows; r++) for (let j = 0; j < drop; j++) out[r * K + units[ps[r]![j]!]!] = 0;
    }, perms, shape, h.dtype);
  }
  // the WASM kernel writes `keep` (or 0) itself: inverted dropout is one product h·m per site
  const dtype = h.dtype === "float32" ? "float32" : "float64";
  if (opts.units === undefined && h.dtype === dtype) return reshape(bernoulliMask(key, 1 - opts.rate, [rows, U], { dtype, value: keep }), shape);
  const kept = bernoulliMask(key, 1 - opts.rate, [rows, U], { dtype });
  return pureCallback((out, kd) => {
    out.fill(1);
    for (let r = 0; r < rows; r++) for (let j = 0; j < U; j++) out[r * K + units[j]!] = kd[r * U + j]! === 0 ? 0 : keep;
  }, [kept], shape, h.dtype);
}

/**
 * Dropout on hidden units (Srivastava et al. 2014; book §9.3.3, figures 9.8–9.9): in train mode each
 * unit's activation is multiplied by m ~ Bernoulli(1 − p) (÷(1 − p) with inverted dropout).
 * @example dropout({ rate: 0.5 }) // inverted; dropout({ rate: 0.5, inference: "weight-scaling" }) // the book's rule
 */
export function dropout(options: DropoutOptions): DropoutFamilyPlugin {
  const name = check.plugin("dropout", options, DROPOUT_KEYS);
  const p = requireRate(name, "rate", options.rate);
  const inference = check.oneOf(name, "inference", optionOr(options.inference, "inverted"), ["inverted", "weight-scaling"] as const);
  const sampling = check.oneOf(name, "sampling", optionOr(options.sampling, "bernoulli"), ["bernoulli", "fixed-count"] as const);
  const sharedMask = check.boolean(name, "sharedMask", optionOr(options.sharedMask, false));
  const units = options.units;
  if (units !== undefined && (!Array.isArray(units) || units.length === 0 || units.some((u) => !Number.isInteger(u) || u < 0))) {
    throw new NoiseOptionError(name, "units", `must be a non-empty list of unit indices, got ${JSON.stringify(units)}`);
  }
  const unitSet = units === undefined ? undefined : new Set(units);
  const selected = siteFilter(name, options.sites);
  return {
    name,
    family: "dropout",
    site(h: Tensor, site: Site, ctx: ForwardHookContext): Tensor {
      checkSiteArgs(name, h, site, ctx);
      if (!selected(site) || p === 0) return h;
      if (units !== undefined && units.some((u) => u >= (h.shape[h.ndim - 1] ?? 0))) {
        throw new NoiseOptionError(name, "units", `has an index ≥ the ${h.shape[h.ndim - 1]} units of site "${site.name}"`);
      }
      if (ctx.active) {
        const keep = inference === "inverted" ? 1 / (1 - p) : 1;
        const opts = { rate: p, sampling, sharedMask, ...(units !== undefined ? { units } : {}) };
        return mul(h, scaledMask(h, ctx.key, opts, keep));
      }
      return inference === "weight-scaling" ? mul(h, unitVector(h, unitSet, 1 - p)) : h;
    },
  };
}
