import type { ForwardHookContext, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { type Tree, bernoulli, foldIn, mul } from "@regularize/core-autodiff";
import type { DropoutInference } from "./dropout.js";
import type { DropoutFamilyPlugin } from "./dropout-family.js";
import { check, requireRate } from "./errors.js";
import { type ParamMask, mapSelected, weightsOnly } from "@regularize/core-train";

/** Options of {@link dropConnect}. */
export interface DropConnectOptions {
  /** Probability p of dropping each weight. */
  readonly rate: number;
  /** "inverted" (default): train W·m/(1−p), test W. "weight-scaling": train W·m, test W·(1−p). */
  readonly inference?: DropoutInference;
  /** Which tensors are masked. Default: `weightsOnly` (weight matrices; in a model without matrices the top-rank tensors), never biases. */
  readonly mask?: ParamMask;
  /** Plugin name (default "dropConnect"). */
  readonly name?: string;
}
const DROP_CONNECT_KEYS: OptionKeys<DropConnectOptions> = { rate: true, inference: true, mask: true, name: true };

/**
 * DropConnect (Wan et al. 2013): drops individual weights instead of units — each selected weight
 * matrix is multiplied by a fresh Bernoulli(1 − p) mask per step, shared by the batch.
 * @example dropConnect({ rate: 0.5 })
 */
export function dropConnect(options: DropConnectOptions): DropoutFamilyPlugin {
  const name = check.plugin("dropConnect", options, DROP_CONNECT_KEYS);
  const p = requireRate(name, "rate", options.rate);
  const inference = check.oneOf(name, "inference", optionOr(options.inference, "inverted"), ["inverted", "weight-scaling"] as const);
  const select = options.mask === undefined ? weightsOnly : check.func<ParamMask>(name, "mask", options.mask);
  return {
    name,
    family: "dropout",
    forwardParams(params: Tree, ctx: ForwardHookContext): Tree {
      if (p === 0) return params;
      if (!ctx.active) return inference === "weight-scaling" ? mapSelected(params, select, (_path, w) => mul(w, 1 - p)) : params;
      return mapSelected(params, select, (_path, w, i) => {
        const m = bernoulli(foldIn(ctx.key, i), 1 - p, w.shape, { dtype: w.dtype === "float32" ? "float32" : "float64" });
        const masked = mul(w, m);
        return inference === "inverted" ? mul(masked, 1 / (1 - p)) : masked;
      });
    },
  };
}

