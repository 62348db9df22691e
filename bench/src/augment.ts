/**
 * The on-the-fly augmentation figure: a fit() step of the MNIST-1D reference MLP with
 * @regularize/noise's dataAugmentation plugin (notebook 9.5's circular shift + amplitude scale,
 * drawn per batch from the step's key) against the same step without it, with an inert plugin, and
 * with a plugin that replaces each batch by a plain copy (fit()'s price for a replaced batch). Every competitor runs
 * whole fit() calls from the same initial state, interleaved; a runner's unit is UNIT steps, so
 * each fit() is long enough that its start-up (init, the step's recording) is a small share.
 */
import { type DType, tensor } from "@regularize/core-autodiff";
import { type FitOptions, type Plugin, fit, mlp } from "@regularize/core-train";
import { amplitudeScale, circularShift, makeMnist1d, sequence } from "@regularize/datasets";
import { dataAugmentation } from "@regularize/noise";
import { adam } from "@regularize/optim";
import { type InterleaveOptions, type Runner, type Timing, interleave } from "./stats.js";

/** Result of the figure for one dtype. */
export interface AugmentFigure {
  readonly dtype: "float64" | "float32";
  readonly plainMsPerStep: number;
  readonly plainCpuMsPerStep: number;
  readonly inertMsPerStep: number;
  readonly augmentedMsPerStep: number;
  /** Augmented / plain (plugin-free) step time, by wall clock and by CPU time: the figure. */
  readonly ratio: { readonly wall: number; readonly cpu: number };
  /**
   * Augmented / a fit with an inert plugin (a beforeBatch that returns nothing): the augmentation's
   * own cost, without the price fit() charges any plugin (no per-step tidy scope with plugins).
   */
  readonly ratioVsInert: { readonly wall: number; readonly cpu: number };
  /**
   * A fit whose plugin replaces each batch by a plain copy of it / plain: what fit() charges for a
   * replaced batch, whatever the plugin does (the train engineer's side of the cost).
   */
  readonly ratioCopy: { readonly wall: number; readonly cpu: number };
  /** Augmented / the copying plugin: the augmentation's own work inside fit() (the plugin's side). */
  readonly ratioVsCopy: { readonly wall: number; readonly cpu: number };
  /** CPU µs of the plugin's beforeBatch alone on a batch of 100 × 40 (mean of many calls): the steadier figure on a loaded machine. */
  readonly hookCpuUs: number;
  /** (plain CPU ms/step + hook) / plain CPU ms/step: the ratio implied by the hook's own cost. */
  readonly impliedRatio: number;
  readonly timings: Record<string, Timing>;
}

/** Steps per runner unit (the interleaved runner counts units; timings are divided back per step). */
const UNIT = 100;

function fitRunner(name: string, dtype: "float64" | "float32", plugins: () => Plugin[]): Runner {
  const data = makeMnist1d();
  const [n, dim] = data.shape.train;
  const x = tensor(dtype === "float32" ? Float32Array.from(data.x) : data.x, { shape: [n, dim], dtype: dtype as DType });
  const y = tensor(data.y, { shape: [n], dtype: "int32" });
  const model = mlp({ widths: [40, 100, 100, 10], residual: true, dtype });
  return {
    name,
    run: async (units) => {
      const options = {
        model, data: { x, y }, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-2 }), batchSize: 100, steps: units * UNIT,
        seed: 1, plugins: plugins(), yieldEveryMs: 1e9,
      } as FitOptions;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await fit(options);
      const wall = performance.now() - t0;
      const c = process.cpuUsage(c0);
      return { wall, cpu: (c.user + c.system) / 1000 };
    },
  };
}

/** Times plain vs augmented fit() steps for one dtype. */
export async function augmentFigure(dtype: "float64" | "float32", timing: InterleaveOptions): Promise<AugmentFigure> {
  const augment = sequence([circularShift({ max: 39 }), amplitudeScale({ low: 0.8, high: 1.2 })]);
  const plain = fitRunner("fit step", dtype, () => []);
  const inert = fitRunner("fit step + inert plugin", dtype, () => [{ name: "inert", beforeBatch: () => undefined }]);
  const copy = fitRunner("fit step + batch copy", dtype, () => [{
    name: "copy", beforeBatch: (b) => ({ ...b, x: tensor(b.x.data, { shape: b.x.shape, dtype: b.x.dtype }) }),
  }]);
  const augmented = fitRunner("fit step + dataAugmentation", dtype, () => [dataAugmentation({ augment })]);
  const ts = await interleave([plain, inert, copy, augmented], timing);
  // The hook alone, on a real batch, with fresh per-step keys.
  const plugin = dataAugmentation({ augment });
  const data = makeMnist1d();
  const bx = tensor(dtype === "float32" ? Float32Array.from(data.x.subarray(0, 4000)) : data.x.slice(0, 4000), { shape: [100, 40], dtype: dtype as DType });
  const by = tensor(data.y.slice(0, 100), { dtype: "int32" });
  const ctx = (i: number) => ({ key: { k0: i, k1: 0x95 } }) as unknown as Parameters<NonNullable<Plugin["beforeBatch"]>>[1];
  for (let i = 0; i < 500; i++) plugin.beforeBatch!({ x: bx, y: by }, ctx(i));
  const calls = 3000;
  const c0 = process.cpuUsage();
  for (let i = 0; i < calls; i++) plugin.beforeBatch!({ x: bx, y: by }, ctx(i));
  const c = process.cpuUsage(c0);
  const hookCpuUs = (c.user + c.system) / calls;
  const p = ts.get(plain.name)!, i = ts.get(inert.name)!, k = ts.get(copy.name)!, a = ts.get(augmented.name)!;
  return {
    dtype,
    plainMsPerStep: p.msPerStep / UNIT,
    plainCpuMsPerStep: p.cpuMsPerStep / UNIT,
    inertMsPerStep: i.msPerStep / UNIT,
    augmentedMsPerStep: a.msPerStep / UNIT,
    ratio: { wall: a.msPerStep / p.msPerStep, cpu: a.cpuMsPerStep / p.cpuMsPerStep },
    ratioVsInert: { wall: a.msPerStep / i.msPerStep, cpu: a.cpuMsPerStep / i.cpuMsPerStep },
    ratioCopy: { wall: k.msPerStep / p.msPerStep, cpu: k.cpuMsPerStep / p.cpuMsPerStep },
    ratioVsCopy: { wall: a.msPerStep / k.msPerStep, cpu: a.cpuMsPerStep / k.cpuMsPerStep },
    hookCpuUs,
    impliedRatio: (p.cpuMsPerStep / UNIT + hookCpuUs / 1000) / (p.cpuMsPerStep / UNIT),
    timings: Object.fromEntries(ts),
  };
}
