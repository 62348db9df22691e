import type { ForwardHookContext } from "@regularize/core-train";
import { type Tree, bernoulli, foldIn, mul } from "@regularize/core-autodiff";
import type { DropoutInference } from "./dropout.js";
import type { DropoutFamilyPlugin } from "./dropout-family.js";
import { NoiseOptionError, requireRate } from "./errors.js";
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

/**
 * DropConnect (Wan et al. 2013): drops individual weights instead of units — each selected weight
 * matrix is multiplied by a fresh Bernoulli(1 − p) mask per step, shared by the batch.
 * @example dropConnect({ rate: 0.5 })
 */
export function dropConnect(options: DropConnectOptions): DropoutFamilyPlugin {
  const name = options.name ?? "dropConnect";
  const p = requireRate(name, "rate", options.rate);
  const inference = options.inference ?? "inverted";
  if (inference !== "inverted" && inference !== "weight-scaling") {
    throw new NoiseOptionError(name, "inference", `must be "weight-scaling" or "inverted", got ${JSON.stringify(inference)}`);
  }
  const select = options.mask ?? weightsOnly;
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

