import { PenaltyOptionError, requireTensor } from "./errors.js";
import { type PRNGKey, type Tensor, add, clip, div, log, mul, sigmoid, sub, uniform } from "@regularize/core-autodiff";

/** Stretched hard-concrete constants of Louizos, Welling & Kingma (2018): temperature β, stretch (γ, ζ). */
export interface HardConcreteConstants {
  /** Temperature β (default 2/3). */
  readonly beta: number;
  /** Lower stretch γ < 0 (default −0.1). */
  readonly gamma: number;
  /** Upper stretch ζ > 1 (default 1.1). */
  readonly zeta: number;
}

/** The paper's constants β = 2/3, γ = −0.1, ζ = 1.1. */
export const HARD_CONCRETE: HardConcreteConstants = Object.freeze({ beta: 2 / 3, gamma: -0.1, zeta: 1.1 });

/** Throw unless `c` holds hard-concrete constants β > 0, γ < 0, ζ > 1. @internal */
export function checkConstants(fn: string, c: unknown): void {
  const k = c as Partial<HardConcreteConstants> | null;
  if (k === null || typeof k !== "object" || !((k.beta as number) > 0) || !((k.gamma as number) < 0) || !((k.zeta as number) > 1)) {
    throw new PenaltyOptionError(fn, "constants", `must be { beta > 0, gamma < 0, zeta > 1 }, got ${k !== null && typeof k === "object" ? JSON.stringify(k) : String(c)}`);
  }
}

/**
 * A reparameterised gate sample z = min(1, max(0, s(ζ−γ)+γ)), s = σ((log u − log(1−u) + log α)/β),
 * u ~ U(0, 1): differentiable in log α, and exactly 0 or 1 with positive probability.
 */
export function hardConcreteSample(logAlpha: Tensor, key: PRNGKey, c: HardConcreteConstants = HARD_CONCRETE): Tensor {
  requireTensor("hardConcreteSample", "logAlpha", logAlpha);
  // keep u away from 0 and 1 so the logistic noise stays finite
  const u = clip(uniform(key, logAlpha.shape, { dtype: logAlpha.dtype === "float32" ? "float32" : "float64" }), 1e-12, 1 - 1e-12);
  const noise = sub(log(u), log(sub(1, u)));
  const s = sigmoid(div(add(noise, logAlpha), c.beta));
  return clip(add(mul(s, c.zeta - c.gamma), c.gamma), 0, 1);
}

/** The deterministic test-time gate ẑ = min(1, max(0, σ(log α)(ζ−γ)+γ)). */
export function hardConcreteGate(logAlpha: Tensor, c: HardConcreteConstants = HARD_CONCRETE): Tensor {
  return clip(add(mul(sigmoid(logAlpha), c.zeta - c.gamma), c.gamma), 0, 1);
}

/** P(z ≠ 0) per gate, σ(log α − β·log(−γ/ζ)): summed, the expected L0 norm (eq. 12 of the paper). */
export function hardConcreteNonZeroProb(logAlpha: Tensor, c: HardConcreteConstants = HARD_CONCRETE): Tensor {
  checkConstants("hardConcreteNonZeroProb", c);
  return sigmoid(sub(logAlpha, c.beta * Math.log(-c.gamma / c.zeta)));
}

