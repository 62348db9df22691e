import { type Tree, abs, add, sub } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { OptionError } from "./errors.js";
import type { Loss } from "./loss.js";
import type { NamedPluginOptions } from "./sam.js";
import { checkNumber, checkOptions, check } from "./validate.js";

/**
 * Flooding (Ishida et al. 2020): |L − b| + b. Above the flood level b it is L; below, its gradient
 * is −∇L, so training "floats" around b instead of driving the training loss to zero.
 */
export function floodedLoss<T extends Tree>(loss: Loss<T>, level: number): Loss<T> {
  const fn = "flooding";
  if (typeof loss !== "function") throw new OptionError(fn, "loss", "must be a function of the parameters returning a scalar tensor");
  const b = checkNumber(fn, "level", level, { min: 0 });
  return (p: T) => add(abs(sub(loss(p), b)), b);
}

/** Options of `flooding`. */
export interface FloodingOptions extends NamedPluginOptions {
  /** Flood level b ≥ 0, on the scale of the fit's loss (a mean or a sum). */
  readonly level: number;
}

/** Flooding as a plugin: the step's objective L becomes |L − b| + b. */
export function flooding(options: FloodingOptions): Plugin {
  checkOptions("flooding", options, { name: true, level: true });
  const level = checkNumber("flooding", "level", options.level, { min: 0 });
  return {
    name: check.name("flooding", options.name, "flooding"),
    objective: (inner) => floodedLoss(inner, level),
  };
}
