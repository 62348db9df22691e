import type { FitContext, Model, Plugin, Predictive, PredictiveKind } from "@regularize/core-train";
import { type PRNGKey, type Tensor, type Tree, type TreeDef, noGrad, normal, square, treeFlatten, treeMap, treeUnflatten } from "@regularize/core-autodiff";
import { RunningTree, swa } from "@regularize/ensemble";
import { BayesArgumentError, check, requireInteger, requireObject, requirePositive } from "./errors.js";
import { flatLeaves, rebuildLeaves } from "./flat-params.js";
import { samplesPredictive } from "./predictive.js";
import { optionOr } from "@regularize/core-train";

/** Options of {@link swag}. */
export interface SwagOptions {
  /** First epoch (0-based) whose end is collected. */
  readonly startEpoch: number;
  /** Collect every `everySteps` steps from the start epoch on, instead of at the end of each epoch. */
  readonly everySteps?: number;
  /** Rank K of the low-rank part: the last K deviations θᵢ − θ̄ (default 20; 0 = diagonal SWAG only). */
  readonly rank?: number;
  /** Plugin name (default "swag"). */
  readonly name?: string;
}

/** The SWAG moments `fit(...).plugins[name]` returns (flat in tree-leaf order, plus the tree shape). */
export interface SwagResult {
  /** θ̄, the SWA mean, as a tree (undefined before the first collection). */
  readonly mean: Tree | undefined;
  /** Number of iterates collected. */
  readonly count: number;
  /** Flat θ̄ and the mean of θ², and the last K deviations (oldest first). */
  readonly flatMean: Float64Array;
  readonly flatSquaredMean: Float64Array;
  readonly deviations: readonly Float64Array[];
  readonly rank: number;
  /** @internal Rebuild trees from flat vectors. */
  readonly unflatten: (flat: ArrayLike<number>) => Tree;
}

const flatten = (tree: Tree): Float64Array => flatLeaves(treeFlatten(tree)[0]);

/**
 * SWAG (Maddox et al. 2019): along an SGD run with a constant or cyclical learning rate, collect the
 * SWA mean θ̄, the second moment (diagonal covariance θ²̄ − θ̄²) and the last K deviations θᵢ − θ̄ᵢ
 * (low-rank part). Built on @regularize/ensemble's `swa`: its schedule (`startEpoch`, `everySteps`) and
 * running mean are SWAG's first moment; SWAG adds the mean of θ² (ensemble's `RunningTree`) and the
 * deviations. `swagPosterior(result)` samples θ̄ + (Σ_diag^{1/2}z₁ + D̂z₂/√(K−1))/√2.
 * @example fit({ ..., plugins: [swag({ startEpoch: 10, rank: 20 })] }).then((r) => swagPosterior(r.plugins.swag))
 */
export function swag(options: SwagOptions): Omit<Plugin, "result"> & { result(): SwagResult } {
  const name = check.plugin("swag", options, { startEpoch: true, everySteps: true, rank: true, name: true });
  const start = check.integer(name, "startEpoch", options.startEpoch, 0);
  const every = options.everySteps === undefined ? undefined : check.integer(name, "everySteps", options.everySteps, 1);
  const K = check.integer(name, "rank", optionOr(options.rank, 20), 0);
  const first = swa({ startEpoch: start, name, ...(every === undefined ? {} : { everySteps: every }) });
  const second = new RunningTree();
  let devs: Float64Array[] = [];
  let def: TreeDef | undefined, template: Tensor[] = [];
  /** After swa's hook: when it folded in an iterate, fold θ² and keep θ − θ̄ (θ̄ including it). */
  const afterSwa = (params: Tree, before: number) => {
    const avg = first.average();
    if (avg.count === before || avg.params === undefined) return;
    if (def === undefined) {
      [template, def] = treeFlatten(params);
    }
    second.addToMean(name, treeMap((t) => noGrad(() => square(t)), params));
    if (K > 0) {
      const th = flatten(params), m = flatten(avg.params);
      if (th.length !== m.length) throw new BayesArgumentError(name, "params", `changed size during the fit (${m.length} → ${th.length})`);
      devs.push(th.map((v, k) => v - m[k]!));
      if (devs.length > K) devs.shift();
    }
  };
  const countNow = () => first.average().count;
  const unflatten = (flat: ArrayLike<number>): Tree => {
    if (def === undefined) throw new BayesArgumentError(name, "result", "nothing was collected yet (is startEpoch beyond the run?)");
    return treeUnflatten(def, rebuildLeaves(template, flat));
  };
  const result = (): SwagResult => {
    const avg = first.average(), sq = second.tree();
    return {
      mean: avg.params, count: avg.count, flatMean: avg.params ? flatten(avg.params) : new Float64Array(0),
      flatSquaredMean: sq ? flatten(sq) : new Float64Array(0), deviations: devs.map((d) => Float64Array.from(d)), rank: K, unflatten,
    };
  };
  return {
    name,
    order: first.order ?? 100,
    beforeFit: async (ctx) => {
      await first.beforeFit?.(ctx);
      if (!ctx.resumed) { second.reset(); devs = []; def = undefined; }
    },
    ...(every === undefined
      ? { afterEpoch: async (ctx: FitContext) => { const c = countNow(); await first.afterEpoch!(ctx); afterSwa(ctx.params, c); } }
      : { afterStep: (ctx: FitContext) => { const c = countNow(); first.afterStep!(ctx); afterSwa(ctx.params, c); } }),
    saveState: () => ({ swa: first.saveState!(), sq: second.save(), devs: devs.map((d) => Array.from(d)) }),
    loadState: (s) => {
      const st = s as { swa: unknown; sq: unknown; devs: number[][] };
      first.loadState!(st.swa);
      second.load(name, st.sq);
      devs = st.devs.map((d) => Float64Array.from(d));
      const avg = first.average().params;
      if (avg !== undefined) [template, def] = treeFlatten(avg);
    },
    result,
  };
}

/** A SWAG posterior: samples and the predictive. */
export interface SwagPosterior {
  /** θ̄ + √scale·(Σ_diag^{1/2}z₁ + D̂z₂/√(K−1))/√2; `diagonalOnly` drops the low-rank part. */
  sample(key: PRNGKey, count: number, options?: { readonly scale?: number; readonly diagonalOnly?: boolean }): Tree[];
  /** The Bayesian model average over `samples` draws as core-train's Predictive. */
  predictive<P extends Tree>(model: Model<P>, options: { readonly kind: PredictiveKind; readonly samples?: number; readonly key: PRNGKey; readonly scale?: number; readonly diagonalOnly?: boolean; readonly noiseVariance?: number }): Predictive;
}

/**
 * Gaussian posterior from SWAG's moments (diagonal + low rank).
 * @example swagPosterior(r.plugins.swag as SwagResult).predictive(model, { kind: "classification", samples: 30, key: prngKey(0) })
 */
export function swagPosterior(result: SwagResult): SwagPosterior {
  const fn = "swagPosterior";
  requireObject(fn, "result", result);
  if (result.count === 0) throw new BayesArgumentError(fn, "result", "holds no collected iterates");
  if (typeof result.flatMean?.length !== "number" || typeof result.flatSquaredMean?.length !== "number" || !Array.isArray(result.deviations)) throw new BayesArgumentError(fn, "result", "must be the swag plugin's SwagResult");
  const { flatMean: m, flatSquaredMean: sq, deviations: D } = result;
  const size = m.length, K = D.length;
  const sd = m.map((v, k) => Math.sqrt(Math.max(sq[k]! - v * v, 0)));
  const self: SwagPosterior = {
    sample(key, count, o = {}) {
      requireInteger(fn, "count", count, 0);
      const scale = requirePositive(fn, "scale", o.scale ?? 1);
      const lowRank = o.diagonalOnly !== true && K > 1;
      const z = normal(key, [count, size + K], { dtype: "float64" }).data;
      return Array.from({ length: count }, (_, s) => {
        const off = s * (size + K);
        const th = new Float64Array(size);
        for (let k = 0; k < size; k++) th[k] = sd[k]! * z[off + k]!;
        if (lowRank) for (let j = 0; j < K; j++) { const c = z[off + size + j]! / Math.sqrt(K - 1); const d = D[j]!; for (let k = 0; k < size; k++) th[k] = th[k]! + c * d[k]!; }
        const f = Math.sqrt(scale / (lowRank ? 2 : 1));
        for (let k = 0; k < size; k++) th[k] = m[k]! + f * th[k]!;
        return result.unflatten(th);
      });
    },
    predictive(model, o) {
      const samples = self.sample(o.key, requireInteger(fn, "samples", o.samples ?? 30, 1), {
        ...(o.scale !== undefined ? { scale: o.scale } : {}), ...(o.diagonalOnly !== undefined ? { diagonalOnly: o.diagonalOnly } : {}),
      }) as never[];
      return samplesPredictive({ model, samples, kind: o.kind, ...(o.noiseVariance !== undefined ? { noiseVariance: o.noiseVariance } : {}) });
    },
  };
  return self;
}
