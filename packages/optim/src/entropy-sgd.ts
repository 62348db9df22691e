import { type PRNGKey, type Tensor, type Tree, add, grad, mul, normal, split, stopGradient, sub, treeFlatten, treeMap, treeSquaredNorm, treeSub, treeUnflatten } from "@regularize/core-autodiff";
import { type Plugin, checkHookContext } from "@regularize/core-train";
import { OptionError } from "./errors.js";
import type { Loss } from "./loss.js";
import type { NamedPluginOptions } from "./sam.js";
import { checkOptions, optionalNumber, check } from "./validate.js";

/** Options of `entropySgdObjective` and `entropySgd`. */
export interface EntropySgdOptions {
  /** Coupling γ of the local-entropy term γ/2·‖φ − φ'‖² (default 0.03). */
  readonly gamma?: number;
  /** Inner SGLD steps L per outer step (default 20). */
  readonly innerSteps?: number;
  /** Inner step size η' (default 0.1). */
  readonly innerLr?: number;
  /** Thermal noise ε of the SGLD steps: φ' gains √η'·ε·N(0, I) (default 1e-4). */
  readonly noise?: number;
  /** Weight α of the running mean μ ← (1 − α)μ + αφ' (default 0.75). */
  readonly alpha?: number;
}

interface Resolved {
  readonly gamma: number;
  readonly steps: number;
  readonly lr: number;
  readonly noise: number;
  readonly alpha: number;
}

function resolve(fn: string, o: EntropySgdOptions): Resolved {
  checkOptions(fn, o, { gamma: true, innerSteps: true, innerLr: true, noise: true, alpha: true });
  return {
    gamma: optionalNumber(fn, "gamma", o.gamma, 0.03, { above: 0 }),
    steps: optionalNumber(fn, "innerSteps", o.innerSteps, 20, { integer: true, min: 1 }),
    lr: optionalNumber(fn, "innerLr", o.innerLr, 0.1, { above: 0 }),
    noise: optionalNumber(fn, "noise", o.noise, 1e-4, { min: 0 }),
    alpha: optionalNumber(fn, "alpha", o.alpha, 0.75, { min: 0, max: 1 }),
  };
}

function gaussianLike<T extends Tree>(t: T, key: PRNGKey, std: number): T {
  const [leaves, def] = treeFlatten(t);
  const keys = split(key, Math.max(1, leaves.length));
  return treeUnflatten<T>(def, leaves.map((l, i) => normal(keys[i]!, l.shape, { std, dtype: l.dtype === "float32" ? "float32" : "float64" })));
}

/**
 * Entropy-SGD (Chaudhari et al. 2017) as an objective. An inner SGLD loop on
 * L(φ') + (γ/2)‖φ − φ'‖² from φ' = φ (noise from `key`) tracks the mean μ of the local Gibbs
 * measure; the returned objective has gradient γ(φ − μ) — the gradient of the negative local
 * entropy — and value L(φ), so histories still show the data loss.
 */
export function entropySgdObjective<T extends Tree>(loss: Loss<T>, key: PRNGKey, options: EntropySgdOptions = {}): Loss<T> {
  const fn = "entropySgd";
  if (typeof loss !== "function") throw new OptionError(fn, "loss", "must be a function of the parameters returning a scalar tensor");
  if (key === null || typeof key !== "object" || !("k0" in key)) throw new OptionError(fn, "key", "must be a PRNGKey");
  const { gamma, steps, lr, noise, alpha } = resolve(fn, options);
  const sd = Math.sqrt(lr) * noise;
  return (p: T) => {
    const x = treeMap((l) => stopGradient(l), p);
    let xp = x, mu = x;
    const keys = split(key, steps);
    const g = grad(loss);
    for (let l = 0; l < steps; l++) {
      // ∇_{φ'}[L(φ') + γ/2‖φ − φ'‖²] = ∇L(φ') − γ(φ − φ')
      const gl = g(xp);
      let next = treeMap((xpi, gi, x0) => sub(xpi, mul(sub(gi!, mul(sub(x0!, xpi), gamma)), lr)), xp, gl, x);
      if (noise > 0) next = treeMap((a, z) => add(a, z!), next, gaussianLike(next, keys[l]!, sd));
      // detach every iterate: the loop is not differentiated, and chained graphs would only grow
      xp = treeMap((a) => stopGradient(a), next);
      mu = treeMap((m, a) => stopGradient(add(mul(m, 1 - alpha), mul(a!, alpha))), mu, xp);
    }
    // value L(φ) (computed at the detached copy) plus γ/2‖φ − μ‖² minus its own value: numerically
    // L(φ), with gradient γ(φ − μ)
    const half = gamma / 2;
    const offset: Tensor = mul(treeSquaredNorm(treeSub(x, mu)), half);
    return add(loss(x), sub(mul(treeSquaredNorm(treeSub(p, mu)), half), offset));
  };
}

/**
 * Entropy-SGD as a plugin: each step's objective is replaced by `entropySgdObjective` with the
 * plugin's per-step key, so the optimizer steps along γ(φ − μ). The paper's outer optimizer is SGD
 * (with Nesterov momentum); the logged loss is the data loss at φ.
 */
export function entropySgd(options: EntropySgdOptions & NamedPluginOptions = {}): Plugin {
  checkOptions("entropySgd", options, { gamma: true, innerSteps: true, innerLr: true, noise: true, alpha: true, name: true });
  const { name: given, ...rest } = options;
  const name = check.name("entropySgd", given, "entropySgd");
  resolve("entropySgd", rest);
  return {
    name,
    objective: (inner, ctx) => {
      checkHookContext(name, "objective", ctx, ["key"]);
      return entropySgdObjective(inner, ctx.key, rest);
    },
  };
}
