import type { Plugin, OptionKeys } from "@regularize/core-train";
import { add, type Tensor, type Tree } from "@regularize/core-autodiff";
import { check, requireNonNegative, requireOptions } from "./errors.js";
import { l1Penalty } from "./l1.js";
import { l2Penalty } from "./l2.js";
import type { ParamMask } from "./paths.js";

/** Options of {@link elasticNet}. */
export interface ElasticNetOptions {
  /** λ₁ ≥ 0, weight of Σ|φ|. */
  readonly l1: number;
  /** λ₂ ≥ 0, weight of Σφ² (no hidden ½, as eq. 9.5). */
  readonly l2: number;
  /** Which tensors are penalised. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Plugin name (default "elasticNet"). */
  readonly name?: string;
}
const ELASTIC_NET_KEYS: OptionKeys<ElasticNetOptions> = { l1: true, l2: true, mask: true, name: true };

/** λ₁·Σ|φ| + λ₂·Σφ² as a differentiable scalar. */
export function elasticNetPenalty(params: Tree, options: ElasticNetOptions): Tensor {
  requireOptions("elasticNetPenalty", options);
  const name = options.name ?? "elasticNet";
  const mask = options.mask !== undefined ? { mask: options.mask } : {};
  return add(l1Penalty(params, { lambda: options.l1, name, ...mask }), l2Penalty(params, { lambda: options.l2, name, ...mask }));
}

/**
 * Elastic net (Zou & Hastie 2005): L1 + L2 penalties together.
 * @example elasticNet({ l1: 1e-4, l2: 1e-3 })
 */
export function elasticNet(options: ElasticNetOptions): Plugin {
  const name = check.plugin("elasticNet", options, ELASTIC_NET_KEYS);
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  requireNonNegative(name, "l1", options.l1);
  requireNonNegative(name, "l2", options.l2);
  return { name, penalty: (params) => elasticNetPenalty(params, options) };
}
