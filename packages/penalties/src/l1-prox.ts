import type { GradientTransformation, Plugin, OptionKeys } from "@regularize/core-train";
import { Tensor, type Tree } from "@regularize/core-autodiff";
import { check, PenaltyOptionError, requireNonNegative, requirePositive } from "./errors.js";
import { type ParamMask, describeValue, leavesWithPaths, mapWithPaths, maskInfo, weightsOnly } from "@regularize/core-train";

/** Options of {@link l1Prox}. */
export interface L1ProxOptions {
  /** λ ≥ 0 of the L1 term λ·Σ|φ|. */
  readonly lambda: number;
  /** The optimizer's learning rate α: the proximal threshold is α·λ. */
  readonly learningRate: number;
  /** Which tensors are thresholded. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Plugin name (default "l1Prox"). */
  readonly name?: string;
}
const L1_PROX_KEYS: OptionKeys<L1ProxOptions> = { lambda: true, learningRate: true, mask: true, name: true };

/** Soft-thresholding S_τ(v) = sign(v)·max(|v| − τ, 0), the proximal map of τ·|·|. */
export function softThreshold(v: number, tau: number): number {
  if (typeof v !== "number") throw new PenaltyOptionError("softThreshold", "v", `must be a number, got ${describeValue(v)}`);
  if (typeof tau !== "number" || !(tau >= 0)) throw new PenaltyOptionError("softThreshold", "tau", `must be a number ≥ 0, got ${describeValue(tau)}`);
  // NaN stays NaN (the comparisons below would map it to 0 and hide it)
  if (Number.isNaN(v)) return v;
  return v > tau ? v - tau : v < -tau ? v + tau : 0;
}

/**
 * The proximal-gradient step for L1 as a gradient transformation placed after the optimizer:
 * φ' = S_{αλ}(φ + u), returned as the update φ' − φ. Where φ' is 0 the update is exactly −φ, so
 * φ + update is an exact IEEE zero: ISTA gives true sparsity where subgradient steps only hover.
 */
export function l1ProxTransform(options: L1ProxOptions): GradientTransformation<null> {
  const name = check.plugin("l1Prox", options, L1_PROX_KEYS);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  const tau = requireNonNegative(name, "lambda", options.lambda) * requirePositive(name, "learningRate", options.learningRate);
  const mask = options.mask ?? weightsOnly;
  return {
    init: () => null,
    update(updates: Tree, state: null, params: Tree): [Tree, null] {
      const info = maskInfo(params);
      const paramLeaves = new Map(leavesWithPaths(params).map(({ path, leaf }) => [path, leaf] as const));
      const out = mapWithPaths(updates, (path, u) => {
        const p = paramLeaves.get(path);
        if (p === undefined || !mask(path, p, info)) return u;
        const d = u.dtype === "float32" ? new Float32Array(u.size) : new Float64Array(u.size);
        for (let i = 0; i < d.length; i++) {
          const phi = p.data[i]!;
          const next = softThreshold(phi + u.data[i]!, tau);
          d[i] = next === 0 ? -phi : next - phi;
        }
        return new Tensor(d, u.shape, u.dtype);
      });
      return [out, state];
    },
  };
}

/**
 * Proximal L1 (ISTA): soft-thresholds the parameters after each optimizer step; use it instead of
 * {@link l1} when exact zeros matter. Runs last (`enforce: "post"`), after the learning rate.
 * @example l1Prox({ lambda: 1e-2, learningRate: 0.1 })
 */
export function l1Prox(options: L1ProxOptions): Plugin<null> {
  const transform = l1ProxTransform(options); // validates the options
  return { name: options.name ?? "l1Prox", enforce: "post", transform };
}
