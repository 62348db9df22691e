import type { FloatDType, PRNGKey, Tensor, Tree } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { describeValue } from "./plugin-options.js";
import type { ForwardContext, Site } from "./plugin.js";

/**
 * A model as a pure function of a parameter pytree (JAX/flax style): `init` draws parameters from a
 * key, `apply` maps a batch of inputs to outputs. `apply` calls `ctx.site(...)` at every hidden
 * activation so stochastic-layer plugins can act without the model knowing them.
 */
export interface Model<P extends Tree = Tree> {
  /** Short description, e.g. "mlp(40-100-100-10, relu, residual)". */
  readonly name: string;
  /** Fresh parameters drawn from `key`. */
  init(key: PRNGKey): P;
  /** Outputs for inputs `x`; without `ctx` stochastic layers pass through (eval behaviour). */
  apply(params: P, x: Tensor, ctx?: ForwardContext): Tensor;
  /** The sites `apply` calls, in order (for UIs and plugins that target one site). */
  readonly sites?: readonly Site[];
}

/** The parameter type of a model. */
export type ParamsOf<M> = M extends Model<infer P> ? P : never;

/** A forward context in which every site is the identity (eval mode, no plugins). */
export const passThrough: ForwardContext = Object.freeze({ mode: "eval" as const, site: (_site: Site, h: Tensor) => h });

/** A site descriptor (frozen, so models can create them once). */
export function site(name: string, index: number, kind: Site["kind"] = "hidden"): Site {
  if (typeof name !== "string" || name === "") throw new FitOptionsError("site.name", `must be a non-empty string, got ${describeValue(name)}`, "site");
  if (!Number.isSafeInteger(index) || index < 0) throw new FitOptionsError("site.index", `must be a non-negative integer, got ${describeValue(index)}`, "site");
  if (kind !== "hidden" && kind !== "input") throw new FitOptionsError("site.kind", `must be "hidden" or "input", got ${describeValue(kind)}`, "site");
  return Object.freeze({ name, index, kind });
}

/** Options every built-in model accepts. */
/** Whether `value` has a Model's `init` and `apply` functions (a plain function's own `apply` is not enough). */
export function isModel(value: unknown): value is Model {
  const m = value as Partial<Model> | null | undefined;
  return m !== null && (typeof m === "object" || typeof m === "function") && typeof m.init === "function" && typeof m.apply === "function";
}

export interface ModelDTypeOptions {
  /** dtype of the parameters `init` draws (default float64; inputs must match). */
  readonly dtype?: FloatDType;
}
