import { type Tree, abs, add, grad, mul, stopGradient, treeMap, treeNorm } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { OptionError } from "./errors.js";
import type { Loss } from "./loss.js";
import { checkOptions, optionalBoolean, optionalNumber, check } from "./validate.js";

/** Options of `samObjective` and `sam`. */
export interface SamOptions {
  /** Radius ρ of the neighbourhood (default 0.05 for SAM, 0.5 for adaptive SAM, as the papers). */
  readonly rho?: number;
  /** Adaptive SAM (Kwon et al. 2021): scale ε by |φ| + η so the radius is relative to each weight (default false). */
  readonly adaptive?: boolean;
  /** η of adaptive SAM's scaling |φ| + η (default 0.01). */
  readonly eta?: number;
}

/** Plugin name option shared by the plugins of this package. */
export interface NamedPluginOptions {
  /** Plugin name (default the factory's name); give two instances different names. */
  readonly name?: string;
}

function resolveSam(options: SamOptions): { adaptive: boolean; rho: number; eta: number } {
  const fn = "sam";
  checkOptions(fn, options, { rho: true, adaptive: true, eta: true });
  const adaptive = optionalBoolean(fn, "adaptive", options.adaptive, false);
  return {
    adaptive,
    rho: optionalNumber(fn, "rho", options.rho, adaptive ? 0.5 : 0.05, { min: 0 }),
    eta: optionalNumber(fn, "eta", options.eta, 0.01, { min: 0 }),
  };
}

// ‖g‖ can be 0 at a stationary point: the official implementations add 1e-12 to avoid 0/0.
const NORM_GUARD = 1e-12;

/**
 * Sharpness-aware minimisation (Foret et al. 2021) as an objective: φ ↦ L(φ + ε) with
 * ε = ρ·g/‖g‖, g = ∇L(φ) (adaptive: ε = ρ·T²g/‖Tg‖, T = |φ| + η). ε is computed at a detached
 * copy of φ and enters through stopGradient, so the gradient of the objective is exactly ∇L(φ + ε)
 * — SAM's update direction — and its value is the perturbed loss.
 */
export function samObjective<T extends Tree>(loss: Loss<T>, options: SamOptions = {}): Loss<T> {
  if (typeof loss !== "function") throw new OptionError("sam", "loss", "must be a function of the parameters returning a scalar tensor");
  const { adaptive, rho, eta } = resolveSam(options);
  return (p: T) => {
    const fixed = treeMap((x) => stopGradient(x), p);
    const g = grad(loss)(fixed);
    let eps: T;
    if (!adaptive) {
      const s = rho / (treeNorm(g) + NORM_GUARD);
      eps = treeMap((gi) => stopGradient(mul(gi, s)), g);
    } else {
      const scale = treeMap((x) => add(abs(x), eta), fixed);
      const tg = treeMap((t, gi) => mul(t, gi!), scale, g);
      const s = rho / (treeNorm(tg) + NORM_GUARD);
      eps = treeMap((t, tgi) => stopGradient(mul(mul(t, tgi!), s)), scale, tg);
    }
    return loss(treeMap((x, e) => add(x, e!), p, eps));
  };
}

/**
 * SAM as a plugin: wraps the step's objective with `samObjective`, so any optimizer takes SAM's
 * step (two forward/backward passes per step). The logged loss is the perturbed loss L(φ + ε).
 */
export function sam(options: SamOptions & NamedPluginOptions = {}): Plugin {
  checkOptions("sam", options, { rho: true, adaptive: true, eta: true, name: true });
  const { name: given, ...rest } = options;
  const name = check.name("sam", given, "sam");
  // validate eagerly: the objective is only built when the first step runs
  resolveSam(rest);
  return {
    name,
    objective: (inner) => samObjective(inner, rest),
  };
}
