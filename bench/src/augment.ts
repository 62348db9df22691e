/**
 * The on-the-fly augmentation figure: a fit() step of the MNIST-1D reference MLP with
 * @regularize/noise's dataAugmentation plugin (notebook 9.5's circular shift + amplitude scale,
 * drawn per batch from the step's key) against the same step without it. Both competitors run
 * whole fit() calls of the block's length from the same initial state, interleaved.
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
  readonly inertMsPerStep: number;
  readonly augmentedMsPerStep: number;
  /** Augmented / plain (plugin-free) step time, by wall clock and by CPU time: the figure. */
  readonly ratio: { readonly wall: number; readonly cpu: number };
  /**
   * Augmented / a fit with an inert plugin (a beforeBatch that returns nothing): the augmentation's
   * own cost, without the price fit() charges any plugin (no per-step tidy scope with plugins).
   */
  readonly ratioVsInert: { readonly wall: number; readonly cpu: number };
  readonly timings: Record<string, Timing>;
}

function fitRunner(name: string, dtype: "float64" | "float32", plugins: () => Plugin[]): Runner {
  const data = makeMnist1d();
  const [n, dim] = data.shape.train;
  const x = tensor(dtype === "float32" ? Float32Array.from(data.x) : data.x, { shape: [n, dim], dtype: dtype as DType });
  const y = tensor(data.y, { shape: [n], dtype: "int32" });
  const model = mlp({ widths: [40, 100, 100, 10], residual: true, dtype });
  return {
    name,
    run: async (steps) => {
      const options = {
        model, data: { x, y }, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-2 }), batchSize: 100, steps,
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
  const augmented = fitRunner("fit step + dataAugmentation", dtype, () => [dataAugmentation({ augment })]);
  const ts = await interleave([plain, inert, augmented], timing);
  const p = ts.get(plain.name)!, i = ts.get(inert.name)!, a = ts.get(augmented.name)!;
  return {
    dtype,
    plainMsPerStep: p.msPerStep,
    inertMsPerStep: i.msPerStep,
    augmentedMsPerStep: a.msPerStep,
    ratio: { wall: a.msPerStep / p.msPerStep, cpu: a.cpuMsPerStep / p.cpuMsPerStep },
    ratioVsInert: { wall: a.msPerStep / i.msPerStep, cpu: a.cpuMsPerStep / i.cpuMsPerStep },
    timings: Object.fromEntries(ts),
  };
}
