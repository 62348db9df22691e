import {
  type Activation, type ForwardContext, type Model, type OptionKeys, type Plugin, type Predictive, type PredictiveKind, describeValue,
  optionOr, predictiveFromMembers, resolveActivation, site,
} from "@regularize/core-train";
import {
  type PRNGKey, Tensor, type Tree, add, foldIn, full, grad, log, matmul, mul, noGrad, normal, prngKey, softplus, sqrt, square, stopGradient,
  sub, sum, tensor, treeFlatten, treeMap, treeUnflatten,
} from "@regularize/core-autodiff";
import { adam } from "@regularize/optim";
import { BayesArgumentError, check, requireInteger, requireModel, requireObject, requirePositive } from "./errors.js";
import { clampProbabilities } from "./predictive.js";

/** Variational parameters of a mean-field Gaussian q(θ) = N(μ, diag(softplus(ρ)²)) over a model's parameters P. */
export type MeanFieldParams<P extends Tree> = {
  readonly mu: P;
  readonly rho: P;
};

/** Options of {@link meanField}. */
export interface MeanFieldOptions {
  /** Initial posterior sd softplus(ρ₀) (default 1e-3, so training starts near the deterministic net). */
  readonly initStd?: number;
  /**
   * Local reparameterisation (Kingma et al. 2015): sample each dense layer's pre-activations
   * N(aμ_W + μ_b, a²σ_W² + σ_b²) per example instead of one weight matrix per batch. Needs a core-train
   * `mlp` without residual layers; give its hidden activation here (e.g. "relu").
   */
  readonly localReparameterization?: { readonly activation: Activation };
}

const RHO_KEY = "__bayesLocalKey";

/** softplus⁻¹(s) = log(eˢ − 1), stable for small and large s. */
function inverseSoftplus(s: number): number {
  return s > 20 ? s : Math.log(Math.expm1(s));
}

/**
 * Wrap a model for mean-field variational inference: parameters { mu, rho }; `apply` uses μ (the
 * posterior mean) unless the {@link bayesByBackprop} plugin, in train mode, hands it a sample.
 * @example const vmodel = meanField(mlp({ widths: [40, 100, 10] })); fit({ model: vmodel, plugins: [bayesByBackprop({ dataSize: N, priorVariance: 1 })], ... })
 */
export function meanField<P extends Tree>(model: Model<P>, options: MeanFieldOptions = {}): Model<MeanFieldParams<P>> {
  const fn = "meanField";
  requireModel(fn, "model", model);
  const s0 = requirePositive(fn, "initStd", options.initStd ?? 1e-3);
  const rho0 = inverseSoftplus(s0);
  const lrt = options.localReparameterization;
  const act = lrt ? resolveActivation(lrt.activation, `${fn}.localReparameterization.activation`) : undefined;
  return {
    name: `meanField(${model.name}${lrt ? ", local reparameterisation" : ""})`,
    ...(model.sites ? { sites: model.sites } : {}),
    init(key) {
      const mu = model.init(key);
      return { mu, rho: treeMap((t) => full([...t.shape], rho0, { dtype: t.dtype === "float32" ? "float32" : "float64" }), mu) };
    },
    apply(params, x, ctx) {
      const keyLeaf = (params as unknown as Record<string, unknown>)[RHO_KEY];
      if (keyLeaf instanceof Tensor && act) return localForward(params, x, keyLeaf, act, ctx);
      return model.apply(params.mu, x, ctx);
    },
  };
}

/** The mlp forward with pre-activation sampling (local reparameterisation). */
function localForward<P extends Tree>(params: MeanFieldParams<P>, x: Tensor, keyLeaf: Tensor, act: (t: Tensor) => Tensor, ctx?: ForwardContext): Tensor {
  const mu = (params.mu as unknown as { layers?: { w: Tensor; b?: Tensor }[] }).layers;
  const rho = (params.rho as unknown as { layers?: { w: Tensor; b?: Tensor }[] }).layers;
  if (!mu || !rho) throw new BayesArgumentError("meanField", "localReparameterization", "needs a core-train mlp ({ layers: [{ w, b }] })");
  // the step's key travels as two words in the params the plugin hands over
  const key = foldIn(prngKey(keyLeaf.data[0]!), keyLeaf.data[1]!);
  let h = ctx ? ctx.site(site("input", 0, "input"), x) : x;
  mu.forEach((l, i) => {
    const r = rho[i]!;
    let m = matmul(h, l.w);
    let v = matmul(square(h), square(softplus(r.w)));
    if (l.b && r.b) { m = add(m, l.b); v = add(v, square(softplus(r.b))); }
    const eps = normal(foldIn(key, i), [...m.shape], { dtype: m.dtype === "float32" ? "float32" : "float64" });
    const s = add(m, mul(sqrt(v), eps));
    if (i < mu.length - 1) {
      const a = act(s);
      h = ctx ? ctx.site(site(`hidden${i}`, i + 1), a) : a;
    } else h = s;
  });
  return h;
}

/** A KL weight: a number or a schedule of the step (KL annealing). */
export type KlWeight = number | ((step: number) => number);

/** Options of {@link bayesByBackprop}. */
export interface BayesByBackpropOptions {
  /** N: the KL is divided by N so that a mean loss plus the penalty is −ELBO/N. */
  readonly dataSize: number;
  /** σ_p² of the prior N(0, σ_p² I) (default 1). */
  readonly priorVariance?: number;
  /** β multiplying the KL (default 1); a schedule anneals it, e.g. {@link klAnnealing}. */
  readonly klWeight?: KlWeight;
  /** Use the local reparameterisation trick (the model must be `meanField(mlp, { localReparameterization })`). */
  readonly local?: boolean;
  /** Plugin name (default "bayesByBackprop"). */
  readonly name?: string;
  /**
   * Keep ρ in the plugin instead of in the parameters: any model's own parameters are then μ (no
   * `meanField` wrapper, so a plugin name is enough: the CLI's `--plugin bayesByBackprop`, the
   * playground). ρ gets its exact gradient each step (an extra backward pass of the data loss with μ
   * held fixed) and its own Adam steps; `fit(...).plugins[name]` returns `{ rho, std }`, and
   * `meanFieldPredictive(model, { mu: r.params, rho }, ...)` the predictive. Runs fit eagerly.
   */
  readonly scales?: ScalesOptions;
}
const BBB_KEYS: OptionKeys<BayesByBackpropOptions> = { dataSize: true, priorVariance: true, klWeight: true, local: true, name: true, scales: true };

/** Options of the plugin-owned scales of {@link bayesByBackprop}. */
export interface ScalesOptions {
  /** Initial posterior sd softplus(ρ₀) (default 1e-3). */
  readonly initStd?: number;
  /** Adam learning rate of ρ (default 1e-2). */
  readonly learningRate?: number;
}

/** What `fit(...).plugins[name]` holds for {@link bayesByBackprop} with plugin-owned `scales`. */
export interface BayesByBackpropScales {
  /** ρ shaped like the parameters (undefined before the fit starts). */
  readonly rho: Tree | undefined;
  /** σ = softplus(ρ). */
  readonly std: Tree | undefined;
}

/** KL(N(μ, σ²) ‖ N(0, σ_p²)) summed over every parameter, σ = softplus(ρ) (differentiable). */
export function meanFieldKl(params: MeanFieldParams<Tree>, priorVariance: number): Tensor {
  requireMeanFieldParams("meanFieldKl", params);
  const [mus] = treeFlatten(params.mu), [rhos] = treeFlatten(params.rho);
  let total: Tensor | undefined;
  mus.forEach((m, i) => {
    const s = softplus(rhos[i]!);
    // log σ_p − log σ + (σ² + μ²)/(2σ_p²) − ½
    const kl = sum(add(sub(mul(add(square(s), square(m)), 1 / (2 * priorVariance)), log(s)), 0.5 * Math.log(priorVariance) - 0.5));
    total = total ? add(total, kl) : kl;
  });
  return total ?? tensor(0);
}

/** Mean-field parameters ({ mu, rho } trees, as meanField's init returns) or throw. */
function requireMeanFieldParams(fn: string, params: unknown): void {
  const p = requireObject(fn, "params", params) as { mu?: unknown; rho?: unknown };
  if (p.mu == null || typeof p.mu !== "object" || p.rho == null || typeof p.rho !== "object") throw new BayesArgumentError(fn, "params", "must be mean-field parameters { mu, rho } (from meanField's init)");
}

/** Linear KL annealing β(t) = min(1, t / steps) (Blundell et al. 2015 / Sønderby et al. 2016 warm-up). */
export function klAnnealing(steps: number): (step: number) => number {
  const n = requireInteger("klAnnealing", "steps", steps, 1);
  // the step comes from the caller: an object gave NaN (or a TypeError) instead of a factor
  return (t) => Math.min(1, (requireInteger("klAnnealing", "step", t, 0) + 1) / n);
}

/**
 * Bayes by Backprop (Blundell et al. 2015): in train mode the forward pass uses θ = μ + softplus(ρ)·ε
 * (ε ~ N(0, I), fresh each step: the reparameterisation trick) — or, with `local`, per-example
 * pre-activation samples — and the penalty β·KL(q ‖ p)/N makes a mean loss the negative ELBO per example.
 * @example bayesByBackprop({ dataSize: 4000, priorVariance: 1, klWeight: klAnnealing(500) })
 */
export function bayesByBackprop(options: BayesByBackpropOptions): Plugin {
  const fn = check.plugin("bayesByBackprop", options, BBB_KEYS);
  if (options.local !== undefined) check.boolean(fn, "local", options.local);
  if (options.scales !== undefined) return ownScales(fn, options, check.options(fn, check.tree(fn, "scales", options.scales) as ScalesOptions, { initStd: true, learningRate: true }));
  const n = check.integer(fn, "dataSize", options.dataSize, 1);
  const sp2 = check.positive(fn, "priorVariance", optionOr(options.priorVariance, 1));
  const w = optionOr(options.klWeight, 1);
  const weight = klWeightOf(fn, w);
  return {
    name: fn,
    penalty(params, ctx) {
      // a constant β never reads ctx.step, so fit's compiled step stays compiled
      const b = typeof w === "number" ? w : weight(ctx.step);
      return mul(meanFieldKl(checkParams(fn, params), sp2), b / n);
    },
    forwardParams(params, ctx) {
      if (!ctx.active) return params;
      const p = checkParams(fn, params);
      if (options.local === true) {
        const k = ctx.key;
        return { ...p, [RHO_KEY]: new Tensor(Float64Array.of(k.k0, k.k1), [2], "float64") } as unknown as Tree;
      }
      return { ...p, mu: sampleMeanField(p, ctx.key) } as unknown as Tree;
    },
  };
}

/** β as a function of the step, validated. */
function klWeightOf(fn: string, w: KlWeight | undefined): (step: number) => number {
  const k = optionOr(w, 1);
  if (typeof k === "number") { check.nonNegative(fn, "klWeight", k); return () => k; }
  if (typeof k !== "function") check.fail(fn, "klWeight", `must be a number ≥ 0 or a schedule step → number, got ${describeValue(k)}`);
  return (t) => {
    const b = k(t);
    if (!(Number.isFinite(b) && b >= 0)) throw new BayesArgumentError(fn, "klWeight", `schedule returned ${b} at step ${t}`);
    return b;
  };
}

/** Σ KL(N(μ, softplus(ρ)²) ‖ N(0, σ_p²)) for a μ tree and a ρ tree of the same shape. */
function klOf(mu: Tree, rho: Tree, sp2: number): Tensor {
  return meanFieldKl({ mu, rho }, sp2);
}

/** bayesByBackprop with ρ owned by the plugin (see {@link BayesByBackpropOptions.scales}). */
function ownScales(fn: string, options: BayesByBackpropOptions, scales: ScalesOptions): Plugin {
  if (options.local === true) throw new BayesArgumentError(fn, "local", "needs the meanField(mlp, { localReparameterization }) model; it cannot be combined with plugin-owned scales");
  const n = check.integer(fn, "dataSize", options.dataSize, 1);
  const sp2 = check.positive(fn, "priorVariance", optionOr(options.priorVariance, 1));
  const beta = klWeightOf(fn, options.klWeight);
  const rho0 = inverseSoftplus(check.positive(fn, "scales.initStd", optionOr(scales.initStd, 1e-3)));
  const opt = adam({ learningRate: check.positive(fn, "scales.learningRate", optionOr(scales.learningRate, 1e-2)) });
  let rho: Tree | undefined, optState: unknown, pending: { rho: Tree; optState: unknown } | undefined;
  // ρ as the forward sees it: the plugin's, or a traced copy while its gradient is taken
  let rhoInUse: Tree | undefined;
  const init = (params: Tree) => {
    rho = treeMap((t) => full([...t.shape], rho0, { dtype: t.dtype === "float32" ? "float32" : "float64" }), params);
    optState = opt.init(rho);
  };
  const detach = (t: Tree) => treeMap((l) => stopGradient(l), t);
  return {
    name: fn,
    // ρ changes in JS from step to step and its gradient is read back: not recordable by jit
    compile: false,
    // ρ and Adam's state are made inside a step and kept: the runner must not recycle that step's memory
    keepsTensors: true,
    beforeFit: (ctx) => { if (!ctx.resumed || rho === undefined) init(ctx.params); pending = undefined; },
    forwardParams(params, ctx) {
      const r = rhoInUse ?? rho;
      if (!ctx.active || r === undefined) return params;
      return sampleMeanField({ mu: params, rho: r }, ctx.key);
    },
    // the μ-part of β·KL/N (ρ held fixed): its value is the whole KL term, its gradient μ/σ_p² · β/N
    penalty: (params, ctx) => (rho === undefined ? tensor(0) : mul(klOf(params, rho, sp2), beta(ctx.step) / n)),
    objective(inner, ctx) {
      pending = undefined;
      return (params) => {
        if (pending === undefined && rho !== undefined) {
          // ∂/∂ρ of (data loss + β·KL/N) at this step's ε, with μ fixed: the same forward (same key) with ρ traced
          const mu = detach(params), b = beta(ctx.step) / n, cur = rho;
          const g = grad((r: Tree) => {
            rhoInUse = r;
            try { return add(ctx.dataLoss(mu, ctx.batch), mul(klOf(mu, r, sp2), b)); } finally { rhoInUse = undefined; }
          })(cur);
          // outside any tape: ρ must not carry this step's graph into the next one
          pending = noGrad(() => {
            const [u, s] = opt.update(g, optState, cur);
            return { rho: treeMap((a, d) => add(a, d!), cur, u), optState: s };
          });
        }
        return inner(params);
      };
    },
    // commit only after a successful step: a failed step leaves ρ as it was
    afterStep: () => { if (pending) { rho = pending.rho; optState = pending.optState; } pending = undefined; },
    saveState: () => ({ rho, optState }),
    loadState: (st) => { const v = st as { rho?: Tree; optState?: unknown }; rho = v.rho; optState = v.optState; },
    result: (): BayesByBackpropScales => ({ rho, std: rho === undefined ? undefined : treeMap((t) => softplus(t), rho) }),
  };
}

function checkParams(fn: string, params: Tree): MeanFieldParams<Tree> {
  const p = params as unknown as MeanFieldParams<Tree>;
  if (p === null || typeof p !== "object" || !("mu" in p) || !("rho" in p)) throw new BayesArgumentError(fn, "params", "must be { mu, rho }: wrap the model with meanField(model)");
  return p;
}

/** θ = μ + softplus(ρ)·ε, one ε per leaf from `key` (differentiable in μ and ρ). */
export function sampleMeanField<P extends Tree>(params: MeanFieldParams<P>, key: PRNGKey): P {
  requireMeanFieldParams("sampleMeanField", params);
  const [mus, def] = treeFlatten(params.mu), [rhos] = treeFlatten(params.rho);
  return treeUnflatten<P>(def, mus.map((m, i) => add(m, mul(softplus(rhos[i]!), normal(foldIn(key, i), [...m.shape], { dtype: m.dtype === "float32" ? "float32" : "float64" })))));
}

/** Options of {@link meanFieldPredictive}. */
export interface MeanFieldPredictiveOptions {
  readonly kind: PredictiveKind;
  /** Weight samples averaged (default 100). */
  readonly samples?: number;
  readonly key?: PRNGKey;
  /** Regression: σ² added to the spread of the samples (default 0). */
  readonly noiseVariance?: number;
}

/**
 * The variational posterior predictive: the model at `samples` weight draws from q (core-train's Predictive).
 * @example meanFieldPredictive(mlp, r.params, { kind: "classification", samples: 50 }).predict(xTest)
 */
export function meanFieldPredictive<P extends Tree>(model: Model<P>, params: MeanFieldParams<P>, options: MeanFieldPredictiveOptions): Predictive {
  requireModel("meanFieldPredictive", "model", model);
  requireMeanFieldParams("meanFieldPredictive", params);
  const S = requireInteger("meanFieldPredictive", "samples", requireObject("meanFieldPredictive", "options", options).samples ?? 100, 1);
  const key = options.key ?? prngKey(0);
  const draws = Array.from({ length: S }, (_, s) => noGrad(() => sampleMeanField(params, foldIn(key, s))));
  return clampProbabilities(predictiveFromMembers({
    kind: options.kind, name: "meanFieldPredictive",
    members: (x) => draws.map((p) => noGrad(() => model.apply(p, x))),
    ...(options.noiseVariance !== undefined ? { noiseVariance: options.noiseVariance } : {}),
  }));
}
