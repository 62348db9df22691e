import type { FitContext, Model, Plugin, Predictive, PredictiveKind } from "@regularize/core-train";
import { type PRNGKey, Tensor, type Tree, type TreeDef, normal, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { BayesArgumentError, requireInteger, requirePositive } from "./errors.js";
import { samplesPredictive } from "./predictive.js";

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

/**
 * SWAG (Maddox et al. 2019): along an SGD run with a constant or cyclical learning rate, collect the
 * SWA mean θ̄, the second moment (diagonal covariance θ²̄ − θ̄²) and the last K deviations θᵢ − θ̄ᵢ
 * (low-rank part). `swagPosterior(result)` samples θ̄ + (Σ_diag^{1/2}z₁ + D̂z₂/√(K−1))/√2.
 * @example fit({ ..., plugins: [swag({ startEpoch: 10, rank: 20 })] }).then((r) => swagPosterior(r.plugins.swag))
 */
export function swag(options: SwagOptions): Omit<Plugin, "result"> & { result(): SwagResult } {
  const name = options?.name ?? "swag";
  const start = requireInteger(name, "startEpoch", options?.startEpoch, 0);
  const every = options.everySteps === undefined ? undefined : requireInteger(name, "everySteps", options.everySteps, 1);
  const K = requireInteger(name, "rank", options.rank ?? 20, 0);
  let def: TreeDef | undefined, shapes: number[][] = [], dtypes: Tensor["dtype"][] = [];
  let mean = new Float64Array(0), sq = new Float64Array(0), devs: Float64Array[] = [], count = 0;
  const reset = () => { def = undefined; mean = new Float64Array(0); sq = new Float64Array(0); devs = []; count = 0; };
  const collect = (params: Tree) => {
    const [leaves, d] = treeFlatten(params);
    let size = 0;
    for (const l of leaves) size += l.size;
    if (def === undefined) {
      def = d;
      shapes = leaves.map((l) => [...l.shape]);
      dtypes = leaves.map((l) => l.dtype);
      mean = new Float64Array(size);
      sq = new Float64Array(size);
    } else if (size !== mean.length) throw new BayesArgumentError(name, "params", `changed size during the fit (${mean.length} → ${size})`);
    const n = count + 1;
    let o = 0;
    const dev = new Float64Array(size);
    for (const l of leaves) {
      const x = l.data;
      for (let k = 0; k < l.size; k++, o++) {
        const v = x[k]!;
        mean[o] = mean[o]! + (v - mean[o]!) / n;
        sq[o] = sq[o]! + (v * v - sq[o]!) / n;
        dev[o] = v - mean[o]!;
      }
    }
    count = n;
    if (K > 0) { devs.push(dev); if (devs.length > K) devs.shift(); }
  };
  const unflatten = (flat: ArrayLike<number>): Tree => {
    if (def === undefined) throw new BayesArgumentError(name, "result", "nothing was collected yet (is startEpoch beyond the run?)");
    let o = 0;
    return treeUnflatten(def, shapes.map((s, i) => {
      const n = s.reduce((a, b) => a * b, 1);
      const d = dtypes[i] === "float32" ? new Float32Array(n) : new Float64Array(n);
      for (let k = 0; k < n; k++) d[k] = flat[o + k]!;
      o += n;
      return new Tensor(d, s, dtypes[i]!);
    }));
  };
  const result = (): SwagResult => ({
    mean: def === undefined ? undefined : unflatten(mean), count, flatMean: Float64Array.from(mean), flatSquaredMean: Float64Array.from(sq),
    deviations: devs.map((d) => Float64Array.from(d)), rank: K, unflatten,
  });
  const fullEpoch = (ctx: FitContext) => ctx.stepsPerEpoch === undefined || ctx.step === (ctx.epoch + 1) * ctx.stepsPerEpoch;
  return {
    name,
    order: 100,
    beforeFit: (ctx) => { if (!ctx.resumed) reset(); },
    ...(every === undefined
      ? { afterEpoch: (ctx: FitContext) => { if (ctx.epoch >= start && fullEpoch(ctx)) collect(ctx.params); } }
      : {
        afterStep: (ctx: FitContext) => {
          const s = ctx.step - start * (ctx.stepsPerEpoch ?? 0);
          if (s >= 0 && (s + 1) % every === 0) collect(ctx.params);
        },
      }),
    saveState: () => ({ mean: Array.from(mean), sq: Array.from(sq), devs: devs.map((d) => Array.from(d)), count }),
    loadState: (s) => {
      const st = s as { mean: number[]; sq: number[]; devs: number[][]; count: number };
      mean = Float64Array.from(st.mean); sq = Float64Array.from(st.sq); devs = st.devs.map((d) => Float64Array.from(d)); count = st.count;
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
  if (!result || result.count === 0) throw new BayesArgumentError(fn, "result", "holds no collected iterates");
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
