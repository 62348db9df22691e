import type { Plugin, Site, OptionKeys } from "@regularize/core-train";
import { describeValue, optionOr } from "@regularize/core-train";
import { abs, div, mul, square, sum, type Tensor } from "@regularize/core-autodiff";
import { check, requireNonNegative } from "./errors.js";
import { sumTerms } from "./sum-terms.js";

/** Options of {@link activityRegularization}. */
export interface ActivityOptions {
  /** λ ≥ 0, weight of (1/N)·Σ_sites Σ_{n,k} |h_nk|^P. */
  readonly lambda: number;
  /** P ∈ {1, 2}: 1 for sparse activations, 2 for small ones (default 2). */
  readonly p?: 1 | 2;
  /** Names of the hidden sites to penalise (default: every hidden site). */
  readonly sites?: readonly string[];
  /** Plugin name (default "activity"). */
  readonly name?: string;
}
const ACTIVITY_KEYS: OptionKeys<ActivityOptions> = { lambda: true, p: true, sites: true, name: true };

/**
 * Activity regularization: adds λ·(1/N)·Σ_sites Σ|h|^P of the hidden activations h on the batch.
 * The penalty runs its own train-mode forward (`ctx.forward`) and records the activations at the
 * sites as they pass, so the term is differentiated through the network whatever order the runner
 * evaluates the data loss and the penalties in.
 * @example activityRegularization({ lambda: 1e-4, p: 1 })
 */
export function activityRegularization(options: ActivityOptions): Plugin {
  const name = check.plugin("activity", options, ACTIVITY_KEYS);
  const lambda = requireNonNegative(name, "lambda", options.lambda);
  const p = check.oneOf(name, "p", optionOr(options.p, 2), [1, 2] as const);
  if (options.sites !== undefined && (!Array.isArray(options.sites) || options.sites.some((s) => typeof s !== "string"))) {
    check.fail(name, "sites", `must be an array of site names, got ${describeValue(options.sites)}`);
  }
  const wanted = options.sites === undefined ? undefined : new Set(options.sites);
  let recording: Tensor[] | undefined;
  return {
    name,
    site(h: Tensor, site: Site) {
      if (recording !== undefined && site.kind === "hidden" && (wanted === undefined || wanted.has(site.name))) recording.push(h);
      return h;
    },
    penalty(params, ctx) {
      recording = [];
      try {
        ctx.forward(params, ctx.batch.x);
        const n = ctx.batch.x.shape[0] ?? 1;
        const terms = recording.map((h) => sum(p === 1 ? abs(h) : square(h)));
        return mul(div(sumTerms(terms, params), n), lambda);
      } finally {
        recording = undefined;
      }
    },
  };
}
