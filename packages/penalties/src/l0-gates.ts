import type { ForwardContext, Model, Plugin, Site, OptionKeys } from "@regularize/core-train";
import { Tensor, foldInString, full, mul, sum, treeFlatten, type Tree } from "@regularize/core-autodiff";
import { check, PenaltyOptionError, requireNonNegative, requireOptions, requirePositiveInteger } from "./errors.js";
import { HARD_CONCRETE, type HardConcreteConstants, checkConstants, hardConcreteGate, hardConcreteNonZeroProb, hardConcreteSample } from "./hard-concrete.js";
import { sumTerms } from "./sum-terms.js";

/** Parameters of a gated model: the inner model's, log α per gated site, and (train only) sampled gates. */
export type L0GatedParams<P extends Tree = Tree> = {
  readonly model: P;
  /** Learnable log α [units] per gated site (name → tensor). */
  readonly logAlpha: { readonly [site: string]: Tensor };
  /**
   * Gate samples z per site, written by the l0Gates plugin's forwardParams in train mode; absent
   * otherwise, in which case the deterministic test-time gate ẑ(log α) is used.
   */
  readonly gates?: { readonly [site: string]: Tensor };
};

/** Options of {@link withL0Gates}. */
export interface WithL0GatesOptions {
  /** Width of every hidden site to gate, e.g. `{ hidden0: 100, hidden1: 100 }`. */
  readonly units: { readonly [site: string]: number };
  /** Initial log α (default 2.3 ≈ log 10: gates start mostly open, P(z ≠ 0) ≈ 0.99). */
  readonly initLogAlpha?: number;
}

/**
 * Wrap a model so that every listed hidden site's activations h [N, units] are multiplied by
 * hard-concrete gates z [units] (Louizos et al. 2018). The gates' log α are extra parameters under
 * `params.logAlpha`: this is how a plugin contributes parameters without a core contract change.
 * @example const gated = withL0Gates(mlp({ widths: [40, 100, 10] }), { units: { hidden0: 100 } })
 */
export function withL0Gates<P extends Tree>(model: Model<P>, options: WithL0GatesOptions): Model<L0GatedParams<P>> {
  const units = requireOptions("withL0Gates", options).units;
  if (units === null || typeof units !== "object") throw new PenaltyOptionError("withL0Gates", "units", "must be an object { site: count }");
  const entries = Object.entries(units);
  if (entries.length === 0) throw new PenaltyOptionError("withL0Gates", "units", "must name at least one site");
  for (const [s, n] of entries) requirePositiveInteger("withL0Gates", `units.${s}`, n);
  const init0 = options.initLogAlpha ?? 2.3;
  if (!Number.isFinite(init0)) throw new PenaltyOptionError("withL0Gates", "initLogAlpha", `must be finite, got ${init0}`);
  const known = model.sites?.map((s) => s.name);
  if (known !== undefined) {
    for (const [s] of entries) if (!known.includes(s)) throw new PenaltyOptionError("withL0Gates", "units", `names site "${s}", which ${model.name} does not have (${known.join(", ")})`);
  }
  const gated: Model<L0GatedParams<P>> = {
    name: `l0Gated(${model.name})`,
    init(key) {
      const inner = model.init(key);
      const dtype = firstFloatDType(inner);
      const logAlpha: Record<string, Tensor> = {};
      for (const [s, n] of entries) logAlpha[s] = full([n], init0, { dtype });
      return { model: inner, logAlpha };
    },
    apply(params, x, ctx) {
      const gateCtx: ForwardContext = {
        mode: ctx?.mode ?? "eval",
        site(s: Site, h: Tensor): Tensor {
          const out = ctx === undefined ? h : ctx.site(s, h);
          const la = params.logAlpha[s.name];
          if (la === undefined) return out;
          return mul(out, params.gates?.[s.name] ?? hardConcreteGate(la));
        },
      };
      return model.apply(params.model, x, gateCtx);
    },
  };
  return model.sites === undefined ? gated : { ...gated, sites: model.sites };
}

function firstFloatDType(t: Tree): "float32" | "float64" {
  const stack: unknown[] = [t];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v instanceof Tensor) return v.dtype === "float32" ? "float32" : "float64";
    if (v !== null && typeof v === "object") stack.push(...Object.values(v as object));
  }
  return "float64";
}

function logAlphaOf(params: Tree): { readonly [site: string]: Tensor } | undefined {
  if (params instanceof Tensor || Array.isArray(params) || params === null || typeof params !== "object") return undefined;
  const la = (params as { readonly [k: string]: Tree }).logAlpha;
  return la === undefined || la instanceof Tensor || Array.isArray(la) ? undefined : (la as { readonly [site: string]: Tensor });
}

/** Options of {@link l0Gates}. */
export interface L0GatesOptions {
  /** λ ≥ 0, weight of the expected L0 norm Σ_j P(z_j ≠ 0) = Σ_j σ(log α_j − β log(−γ/ζ)). */
  readonly lambda: number;
  /** Hard-concrete constants (default β = 2/3, γ = −0.1, ζ = 1.1). */
  readonly constants?: Partial<HardConcreteConstants>;
  /** Plugin name (default "l0Gates"). */
  readonly name?: string;
}
const L0_GATES_KEYS: OptionKeys<L0GatesOptions> = { lambda: true, constants: true, name: true };

/** Expected number of open gates Σ σ(log α − β log(−γ/ζ)) of a gated model's parameters (differentiable). */
export function expectedL0(params: Tree, constants: HardConcreteConstants = HARD_CONCRETE): Tensor {
  checkConstants("expectedL0", constants);
  const la = logAlphaOf(params) ?? {};
  return sumTerms(Object.keys(la).sort().map((k) => sum(hardConcreteNonZeroProb(la[k]!, constants))), params);
}

/** Number of units whose deterministic test-time gate is exactly 0 (pruned), over all gated sites. */
export function l0PrunedUnits(params: Tree, constants: HardConcreteConstants = HARD_CONCRETE): number {
  check.tree("l0PrunedUnits", "params", params);
  const tensors = (() => {
    try {
      return treeFlatten(params)[0].every((l) => l instanceof Tensor);
    } catch {
      return false;
    }
  })();
  if (!tensors) throw new PenaltyOptionError("l0PrunedUnits", "params", "must be a tree of tensors (a model's parameters)");
  checkConstants("l0PrunedUnits", constants);
  let n = 0;
  for (const t of Object.values(logAlphaOf(params) ?? {})) for (const z of hardConcreteGate(t, constants).data) if (z === 0) n++;
  return n;
}

/**
 * Hard-concrete L0 regularization (Louizos et al. 2018) for a model wrapped by {@link withL0Gates}:
 * adds λ·E[‖z‖₀]; in train mode (`active`) its forwardParams draws fresh reparameterised gates z
 * per step, at test time the deterministic gates ẑ apply; logs `<name>/pruned` and
 * `<name>/expectedL0` after each epoch. Parameters without `logAlpha` are left alone (penalty 0).
 * @example fit({ model: withL0Gates(net, { units: { hidden0: 100 } }), plugins: [l0Gates({ lambda: 1e-3 })] })
 */
export function l0Gates(options: L0GatesOptions): Plugin {
  const name = check.plugin("l0Gates", options, L0_GATES_KEYS);
  const lambda = requireNonNegative(name, "lambda", options.lambda);
  if (options.constants !== undefined) check.options(name, check.tree(name, "constants", options.constants), { beta: true, gamma: true, zeta: true });
  const c: HardConcreteConstants = { ...HARD_CONCRETE, ...options.constants };
  if (!(c.beta > 0) || !(c.gamma < 0) || !(c.zeta > 1)) throw new PenaltyOptionError(name, "constants", `need β > 0, γ < 0, ζ > 1, got ${JSON.stringify(c)}`);
  return {
    name,
    penalty: (params) => mul(expectedL0(params, c), lambda),
    forwardParams(params, ctx) {
      const la = logAlphaOf(params);
      if (la === undefined || !ctx.active) return params;
      const gates: Record<string, Tensor> = {};
      for (const s of Object.keys(la).sort()) gates[s] = hardConcreteSample(la[s]!, foldInString(ctx.key, s), c);
      return { ...(params as object), gates } as Tree;
    },
    afterEpoch(ctx) {
      ctx.log(`${name}/pruned`, l0PrunedUnits(ctx.params, c));
      ctx.log(`${name}/expectedL0`, expectedL0(ctx.params, c).item());
    },
  };
}
