import type { Batch, FitContext, Plugin, OptionKeys } from "@regularize/core-train";
import { Tensor, foldIn, uniform } from "@regularize/core-autodiff";
import { check, NoiseOptionError, requirePositiveInteger, requireRate } from "./errors.js";

/** Options of {@link disturbLabel}. */
export interface DisturbLabelOptions {
  /** α ∈ [0, 1]: each label is, with probability α, replaced by a class drawn uniformly from all D. */
  readonly alpha: number;
  /** Number of classes D. */
  readonly classes: number;
  /** Plugin name (default "disturbLabel"). */
  readonly name?: string;
}
const DISTURB_LABEL_KEYS: OptionKeys<DisturbLabelOptions> = { alpha: true, classes: true, name: true };

/**
 * DisturbLabel (Xie et al. 2016): label noise on purpose — every step, a share α of the batch's
 * labels are re-drawn uniformly over the D classes (so a label stays correct with prob. 1 − α(D−1)/D).
 * @example disturbLabel({ alpha: 0.1, classes: 10 })
 */
export function disturbLabel(options: DisturbLabelOptions): Plugin {
  const name = check.plugin("disturbLabel", options, DISTURB_LABEL_KEYS);
  const alpha = requireRate(name, "alpha", options.alpha, { allowOne: true });
  const D = requirePositiveInteger(name, "classes", options.classes);
  return {
    name,
    beforeBatch(batch: Batch, ctx: FitContext): Batch {
      if (alpha === 0) return batch;
      if (batch.y.dtype !== "int32" || batch.y.ndim !== 1) throw new NoiseOptionError(name, "classes", `needs int32 labels [N], got ${batch.y.dtype} [${batch.y.shape.join(", ")}]`);
      const n = batch.y.size;
      const coin = uniform(foldIn(ctx.key, 0), [n]).data;
      const pick = uniform(foldIn(ctx.key, 1), [n]).data;
      const y = Int32Array.from(batch.y.data);
      for (let i = 0; i < n; i++) if (coin[i]! < alpha) y[i] = Math.min(D - 1, Math.floor(pick[i]! * D));
      return { ...batch, y: new Tensor(y, [n], "int32") };
    },
  };
}
