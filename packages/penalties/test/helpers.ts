// Local test fixtures: contexts for calling hooks directly, a fit() wrapper, allclose checks and the book's data.
// Independent of @regularize/optim (DESIGN import rules); the book's data come from @regularize/datasets (test-only).
import { type Batch, type FitContext, type ForwardContext, type ForwardHookContext, type Model, type ObjectiveContext, type Plugin, type Site, fit } from "@regularize/core-train";
import {
  type PRNGKey, type Tensor, type Tree, foldIn, foldInString, prngKey, sse,
} from "@regularize/core-autodiff";
import { gaborDataset, makeToyData } from "@regularize/datasets";
import { assertAllclose, referenceSgd } from "@regularize/core-train/testing";

/** |a − b| ≤ atol + rtol·|b| elementwise, with a readable failure (core-train/testing's shared check). */
export const expectAllclose = assertAllclose;

/** A model as core-train's Model (structural). */
export interface TestModel<P extends Tree = Tree> {
  readonly name: string;
  init(key: PRNGKey): P;
  apply(params: P, x: Tensor, ctx?: ForwardContext): Tensor;
  readonly sites?: readonly Site[];
}

/** A forward context running the site hooks of `plugins` (train mode unless told). */
export function forwardContext(plugins: readonly Plugin[], key: PRNGKey, step: number, mode: "train" | "eval" = "train", activeNames?: ReadonlySet<string>): ForwardContext {
  return {
    mode,
    site(s, h) {
      let out = h;
      for (const p of plugins) {
        if (p.site === undefined) continue;
        const ctx: ForwardHookContext = { mode, active: mode === "train" || (activeNames?.has(p.name) ?? false), key: foldIn(foldInString(key, p.name), s.index), step };
        out = p.site(out, s, ctx);
      }
      return out;
    },
  };
}

/** The params a forward pass uses after every plugin's forwardParams. */
export function forwardParamsOf(plugins: readonly Plugin[], params: Tree, key: PRNGKey, step: number, mode: "train" | "eval" = "train"): Tree {
  let p = params;
  for (const pl of plugins) if (pl.forwardParams) p = pl.forwardParams(p, { mode, active: mode === "train", key: foldInString(key, `${pl.name}/params`), step });
  return p;
}

/** An ObjectiveContext for `model` with an SSE data loss. */
export function objectiveContext(model: TestModel, plugins: readonly Plugin[], batch: Batch, step = 0, key: PRNGKey = prngKey(0)): ObjectiveContext {
  const forward = (params: Tree, x: Tensor) => model.apply(forwardParamsOf(plugins, params, key, step), x, forwardContext(plugins, key, step));
  return {
    batch, step, key,
    forward,
    dataLoss: (params, b) => sse(forward(params, b.x), b.y),
  };
}

/** A FitContext stub recording setParams and log calls. */
export type StubFitContext = FitContext & { logs: [string, number][]; current: Tree };

/** A FitContext stub recording setParams and log calls. */
export function fitContext(params: Tree, extra: { step?: number; epoch?: number } = {}): StubFitContext {
  const logs: [string, number][] = [];
  let current = params;
  const ctx: StubFitContext = {
    step: extra.step ?? 0, epoch: extra.epoch ?? 0, batch: undefined, loss: undefined, key: prngKey(0), logs,
    get current() { return current; },
    set current(p: Tree) { current = p; },
    get params() { return current; },
    cancel() {},
    setParams(p: Tree) { current = p; },
    log(name: string, value: number) { logs.push([name, value]); },
    evaluate() { return { loss: 0 }; },
  };
  return ctx;
}

/**
 * `steps` full-batch gradient steps of core-train's fit() on the SSE (default) or MSE loss with core-train/testing's
 * reference SGD (−α·g), in data order: the training loop of this package's tests is the real runner.
 */
export async function fitSteps(model: TestModel, params0: Tree, batch: Batch, plugins: readonly Plugin[], opts: { steps: number; lr: number; seed?: number; loss?: "sse" | "mse" }): Promise<Tree> {
  const result = await fit({
    model: model as Model<Tree>, params: params0, data: batch, loss: opts.loss ?? "sse", optimizer: referenceSgd({ lr: opts.lr }), plugins,
    batchSize: batch.x.shape[0] ?? 1, steps: opts.steps, shuffle: false, seed: opts.seed ?? 0,
  });
  return result.params;
}

/** Central finite-difference gradient of f at the flat values of a single tensor-valued argument. */
export function finiteDiff(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xp = Float64Array.from(x), xm = Float64Array.from(x);
    xp[i] = x[i]! + h;
    xm[i] = x[i]! - h;
    g[i] = (f(xp) - f(xm)) / (2 * h);
  }
  return g;
}

// The notebooks' seed-1 data (CHAPTER9 §1.1) and the Gabor data (§1.3) come from the datasets package
// (test-only dependency); seed-1 values rounded to the 6 decimals the chapter's references use.
const SEED1 = makeToyData({ seed: 1 });
const GABOR = gaborDataset();
/** Inputs of the seed-1 dataset. */
export const SEED1_X: number[] = Array.from(SEED1.x, (v) => Number(v.toFixed(6)));
/** Targets of the seed-1 dataset. */
export const SEED1_Y: number[] = Array.from(SEED1.y, (v) => Number(v.toFixed(6)));

/** The Gabor dataset of figure 9.1 (CHAPTER9 §1.3), as [x, y] pairs. */
export const GABOR_DATA: readonly (readonly [number, number])[] = Array.from(GABOR.x, (x, i) => [x, GABOR.y[i]!] as const);

