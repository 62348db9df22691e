import type { Batch, FitContext, Plugin, OptionKeys } from "@regularize/core-train";
import { add, normal } from "@regularize/core-autodiff";
import { check, NoiseOptionError, requireNonNegative } from "./errors.js";

/** Options of {@link inputNoise}. */
export interface InputNoiseOptions {
  /** σ_x ≥ 0: the batch inputs become x + ε, ε ~ N(0, σ_x²), fresh every step (targets untouched). */
  readonly sigma: number;
  /** Plugin name (default "inputNoise"). */
  readonly name?: string;
}
const INPUT_NOISE_KEYS: OptionKeys<InputNoiseOptions> = { sigma: true, name: true };

/**
 * Gaussian input noise (book §9.3.3, figure 9.10; problem 9.3: for linear regression it is L2 on the
 * slope with λ = I·σ_x²).
 * @example inputNoise({ sigma: 0.1 })
 */
export function inputNoise(options: InputNoiseOptions): Plugin {
  const name = check.plugin("inputNoise", options, INPUT_NOISE_KEYS);
  const sigma = requireNonNegative(name, "sigma", options.sigma);
  return {
    name,
    beforeBatch(batch: Batch, ctx: FitContext): Batch {
      if (sigma === 0) return batch;
      if (batch.x.dtype === "int32") throw new NoiseOptionError(name, "sigma", "needs float inputs, got int32 x");
      return { ...batch, x: add(batch.x, normal(ctx.key, batch.x.shape, { std: sigma, dtype: batch.x.dtype })) };
    },
  };
}
