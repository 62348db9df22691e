import type { Plugin } from "@regularize/core-train";
import { modifiedLossGD } from "./modified-loss.js";
import type { NamedPluginOptions } from "./sam.js";
import { checkNumber, checkOptions, check } from "./validate.js";

/** Options of `modifiedLoss`. */
export interface ModifiedLossOptions extends NamedPluginOptions {
  /** α of the term (α/4)‖∇L‖²: usually the learning rate whose implicit regularizer is made explicit. */
  readonly alpha: number;
}

/**
 * Train on the GD modified loss (UDL eq. 9.8): each step's objective L becomes L + (α/4)‖∇L‖²,
 * making the implicit regularizer of gradient descent explicit (double backprop every step).
 * The logged loss is the modified loss.
 */
export function modifiedLoss(options: ModifiedLossOptions): Plugin {
  checkOptions("modifiedLoss", options, { name: true, alpha: true });
  const alpha = checkNumber("modifiedLoss", "alpha", options.alpha, { min: 0 });
  return {
    name: check.name("modifiedLoss", options.name, "modifiedLoss"),
    objective: (inner) => modifiedLossGD(inner, alpha),
  };
}
