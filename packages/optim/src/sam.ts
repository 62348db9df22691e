import { type DataArray, type Tensor, type Tree, abs, add, astype, grad, mul, pureCallback, stopGradient, treeLeaves, treeMap } from "@regularize/core-autodiff";
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

/** The kernel writing ρ / (‖leaves‖ + guard) (float64 sum of squares, as treeNorm) into its scalar output. */
function scaleKernel(rho: number): (out: DataArray, ...leaves: DataArray[]) => void {
  return (out, ...leaves) => {
    let s = 0;
    for (const d of leaves) for (let k = 0; k < d.length; k++) s += d[k]! * d[k]!;
    out[0] = rho / (Math.sqrt(s) + NORM_GUARD);
  };
}

/**
 * ρ / (‖t‖ + guard) as a scalar tensor of `dtype`: computed by a kernel (not read into JS), so a
 * jit recording replays it with each step's gradient; the same float64 sum treeNorm makes, rounded
 * to the leaves' dtype as a JS number multiplying them would be — so results are unchanged.
 */
function inverseNormScale(t: Tree, rho: number, kernel: (out: DataArray, ...leaves: DataArray[]) => void): (dtype: Tensor["dtype"]) => Tensor {
  const s = pureCallback(kernel, treeLeaves(t), [], "float64");
  const by = new Map<string, Tensor>();
  return (dtype) => by.get(dtype) ?? by.set(dtype, dtype === "float64" ? s : astype(s, dtype)).get(dtype)!;
}

/**
 * Sharpness-aware minimisation (Foret et al. 2021) as an objective: φ ↦ L(φ + ε) with
 * ε = ρ·g/‖g‖, g = ∇L(φ) (adaptive: ε = ρ·T²g/‖Tg‖, T = |φ| + η). ε is computed at a detached
 * copy of φ and enters through stopGradient, so the gradient of the objective is exactly ∇L(φ + ε)
 * — SAM's update direction — and its value is the perturbed loss.
 */
export function samObjective<T extends Tree>(loss: Loss<T>, options: SamOptions = {}): Loss<T> {
  if (typeof loss !== "function") throw new OptionError("sam", "loss", "must be a function of the parameters returning a scalar tensor");
  const { adaptive, rho, eta } = resolveSam(options);
  const kernel = scaleKernel(rho);
  return (p: T) => {
    const fixed = treeMap((x) => stopGradient(x), p);
    const g = grad(loss)(fixed);
    let eps: T;
    if (!adaptive) {
      const s = inverseNormScale(g, rho, kernel);
      eps = treeMap((gi) => stopGradient(mul(gi, s(gi.dtype))), g);
    } else {
      const scale = treeMap((x) => add(abs(x), eta), fixed);
      const tg = treeMap((t, gi) => mul(t, gi!), scale, g);
      const s = inverseNormScale(tg, rho, kernel);
      eps = treeMap((t, tgi) => stopGradient(mul(mul(t, tgi!), s(t.dtype))), scale, tg);
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
