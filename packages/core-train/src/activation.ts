import { type Tensor, elu, leakyRelu, relu, sigmoid, softplus, tanh } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";

/** Built-in activation names. */
export type ActivationName = "relu" | "tanh" | "sigmoid" | "leakyRelu" | "softplus" | "elu" | "identity";

/** An activation: a name or any elementwise differentiable function. */
export type Activation = ActivationName | ((x: Tensor) => Tensor);

const table: Record<ActivationName, (x: Tensor) => Tensor> = {
  relu, tanh, sigmoid, softplus, elu: (x) => elu(x), leakyRelu: (x) => leakyRelu(x), identity: (x) => x,
};

/** Resolve an activation option to a function; `option` names the argument in errors. */
export function resolveActivation(a: Activation, option: string): (x: Tensor) => Tensor {
  if (typeof a === "function") return a;
  const f = Object.hasOwn(table, a) ? table[a] : undefined;
  if (!f) throw new FitOptionsError(option, `unknown activation "${String(a)}" (expected one of ${Object.keys(table).join(", ")} or a function)`);
  return f;
}

/** The display name of an activation option. */
export function activationName(a: Activation): string {
  return typeof a === "function" ? (a.name || "custom") : a;
}
