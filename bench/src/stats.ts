/**
 * Timing statistics and the interleaved runner.
 *
 * Every competitor of one figure is a `Runner` that runs `steps` training steps and returns the
 * elapsed wall time and process CPU time it measured itself (the Python runner measures inside
 * Python, so the pipe round trip is not charged to PyTorch). Wall time is the headline figure;
 * CPU time (user + system of the whole process, so GC helper threads count) is printed beside
 * it because it stays meaningful when other jobs share the machine's cores. Runners are warmed up, given a block size that takes
 * about `blockMs`, then run in rounds A, B, C, A, B, C... with the starting runner rotated each
 * round, so slow drifts of the machine's load hit every runner alike. The figure of a runner is
 * the median of its per-block ms/step.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Median of a non-empty sample (mean of the two middle values for even sizes). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Linear-interpolated quantile q ∈ [0, 1]. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Elapsed wall-clock and process CPU milliseconds of one block. */
export interface Elapsed {
  readonly wall: number;
  readonly cpu: number;
}

/** A competitor: runs `steps` steps, returns the time it measured. */
export interface Runner {
  readonly name: string;
  run(steps: number): Elapsed | Promise<Elapsed>;
}

/** How long to warm up and how many interleaved rounds of which size. */
export interface InterleaveOptions {
  /** Rounds of A, B, C... (each runner gets this many timed blocks). */
  readonly rounds: number;
  /** Target duration of one timed block (steps per block are calibrated from the warm-up). */
  readonly blockMs: number;
  /** Minimum warm-up time per runner (JIT, caches, allocator). */
  readonly warmupMs: number;
  /** Minimum warm-up steps per runner. */
  readonly warmupSteps: number;
  /** Cap on steps per block (1 for very slow steps). */
  readonly maxStepsPerBlock?: number;
}

/** The timing of one runner. */
export interface Timing {
  readonly name: string;
  /** Median wall-clock ms per step over the timed blocks. */
  readonly msPerStep: number;
  readonly stepsPerSec: number;
  /** Median process-CPU ms per step over the same blocks. */
  readonly cpuMsPerStep: number;
  /** Interquartile range of the per-block ms/step (spread). */
  readonly p25: number;
  readonly p75: number;
  readonly stepsPerBlock: number;
  /** Per-block wall ms/step samples, in round order. */
  readonly samples: readonly number[];
  /** Per-block CPU ms/step samples. */
  readonly cpuSamples: readonly number[];
}

/** Warm up, calibrate, then time the runners interleaved. */
/** V8's full collection (exposed at run time: `--expose-gc` cannot be passed through tsx), or null. */
const fullGc: (() => void) | null = (() => {
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
})();

export async function interleave(runners: readonly Runner[], opts: InterleaveOptions): Promise<Map<string, Timing>> {
  const perBlock: number[] = [];
  for (const r of runners) {
    // warm-up: at least warmupSteps steps and warmupMs of work; estimate ms/step from its tail
    let steps = 0, ms = 0, lastMs = 0, lastSteps = 0;
    let n = 1;
    while (steps < opts.warmupSteps || ms < opts.warmupMs) {
      const t = (await r.run(n)).wall;
      steps += n;
      ms += t;
      lastMs = t;
      lastSteps = n;
      if (t < 20) n = Math.min(n * 2, 1 << 16);
    }
    const est = lastMs / lastSteps;
    let k = Math.max(1, Math.round(opts.blockMs / Math.max(est, 1e-6)));
    if (opts.maxStepsPerBlock !== undefined) k = Math.min(k, opts.maxStepsPerBlock);
    perBlock.push(k);
  }
  const samples: number[][] = runners.map(() => []);
  const cpuSamples: number[][] = runners.map(() => []);
  for (let round = 0; round < opts.rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (j + round) % runners.length;
      const k = perBlock[i]!;
      // a full collection between blocks: each block pays for its own garbage, not for the
      // garbage of the competitor before it (they share one V8 heap)
      fullGc?.();
      const t = await runners[i]!.run(k);
      samples[i]!.push(t.wall / k);
      cpuSamples[i]!.push(t.cpu / k);
    }
  }
  const out = new Map<string, Timing>();
  runners.forEach((r, i) => {
    const s = samples[i]!;
    const m = median(s);
    out.set(r.name, {
      name: r.name,
      msPerStep: m,
      stepsPerSec: 1000 / m,
      cpuMsPerStep: median(cpuSamples[i]!),
      p25: quantile(s, 0.25),
      p75: quantile(s, 0.75),
      stepsPerBlock: perBlock[i]!,
      samples: s,
      cpuSamples: cpuSamples[i]!,
    });
  });
  return out;
}

/** Time `steps` calls of a synchronous step function. */
export function timeSteps(steps: number, step: () => unknown): Elapsed {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}
