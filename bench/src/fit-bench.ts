/**
 * fit() through the public API against the idiomatic PyTorch training loop (bench/python/fit_bench.py,
 * one thread), interleaved: the MNIST-1D MLP 40-100-100-10 (ReLU), Adam 1e-2, float32, shuffled
 * batches from a 4000 × 40 training set. A block of n steps is one `fit({ steps: n })` call, so
 * everything a user pays is in the figure: option checks, the first step's recording, the batch
 * slicing, hooks, history rows, the NaN checks. Also fit() with `l2` + `dropout` vs plain fit().
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Tensor, astype, normal, prngKey, randint, treeMap } from "@regularize/core-autodiff";
import { type Plugin, fit, mlp } from "@regularize/core-train";
import { dropout } from "@regularize/noise";
import { adam } from "@regularize/optim";
import { l2 } from "@regularize/penalties";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Elapsed, Timing } from "./stats.js";
import { median, quantile } from "./stats.js";

const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), "../python/fit_bench.py");
const N = 4000;

/** The fit() side: one training set, one model, fresh fit() calls. */
export class FitSide {
  readonly model = mlp({ widths: [40, 100, 100, 10] });
  readonly data: { x: Tensor; y: Tensor };
  readonly params: ReturnType<FitSide["model"]["init"]>;
  compiledRuns = 0;
  notices: string[] = [];

  constructor(readonly dtype: "float32" | "float64") {
    const x = normal(prngKey(1), [N, 40]);
    this.data = { x: dtype === "float32" ? astype(x, "float32") : x, y: randint(prngKey(2), [N], 0, 10) };
    this.params = treeMap((t: Tensor) => (dtype === "float32" ? astype(t, "float32") : t), this.model.init(prngKey(3))) as ReturnType<FitSide["model"]["init"]>;
  }

  async time(batchSize: number, steps: number, opts: { plugins?: () => Plugin[]; compile?: boolean } = {}): Promise<Elapsed> {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await fit({
      model: this.model, params: this.params, data: this.data, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-2 }),
      batchSize, steps, seed: 1, plugins: opts.plugins?.() ?? [], compile: opts.compile ?? true, onNotice: (m) => this.notices.push(m),
    });
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (r.compiled) this.compiledRuns++;
    return { wall, cpu: (c.user + c.system) / 1000 };
  }
}

/** The PyTorch side: one python3 process answering timing requests. */
export class TorchLoop {
  private constructor(private readonly p: ChildProcessWithoutNullStreams, private readonly lines: Interface, private readonly queue: ((l: string) => void)[], readonly info: Record<string, unknown>) {}

  static async start(python: string): Promise<TorchLoop | string> {
    // one thread, as the script sets; without the env an idle OpenMP worker spins and doubles the CPU figure
    const p = spawn(python, [SCRIPT], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" } });
    const lines = createInterface({ input: p.stdout });
    const queue: ((l: string) => void)[] = [];
    lines.on("line", (l) => queue.shift()?.(l));
    const first = await new Promise<string>((res) => {
      queue.push(res);
      p.on("error", (e) => res(JSON.stringify({ ready: false, error: String(e) })));
      p.on("exit", () => res(JSON.stringify({ ready: false, error: "python exited" })));
    });
    const info = JSON.parse(first) as Record<string, unknown>;
    if (info.ready !== true) return `PyTorch unavailable: ${String(info.error)}`;
    return new TorchLoop(p, lines, queue, info);
  }

  async time(batch: number, steps: number, dtype: "f32" | "f64"): Promise<Elapsed> {
    const line = await new Promise<string>((res) => {
      this.queue.push(res);
      this.p.stdin.write(JSON.stringify({ op: "time", batch, steps, dtype }) + "\n");
    });
    const r = JSON.parse(line) as { ms: number; cpu_ms: number };
    return { wall: r.ms, cpu: r.cpu_ms };
  }

  async close(): Promise<void> {
    this.p.stdin.write(JSON.stringify({ op: "quit" }) + "\n");
    this.lines.close();
    await new Promise((r) => setTimeout(r, 50));
    this.p.kill();
  }
}

/** The runners of the fit figures, by name. */
export const FIT_RUNNERS = {
  b10: "fit() f32 batch 10",
  b10Eager: "fit({ compile: false }) f32 batch 10",
  b10Plugins: "fit() f32 batch 10, l2 + dropout",
  b100: "fit() f32 batch 100",
  torch10: "PyTorch loop f32 batch 10",
  torch100: "PyTorch loop f32 batch 100",
} as const;

/** How many rounds, and the steps of one block per batch size (a block is one fit() call). */
export interface FitTimingOptions {
  readonly rounds: number;
  readonly steps10: number;
  readonly steps100: number;
}

const fullGc: (() => void) | null = (() => {
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return null;
  }
})();

interface FitRunner {
  readonly name: string;
  readonly steps: number;
  run(steps: number): Promise<Elapsed>;
}

/**
 * Time the fit figures interleaved (PyTorch too when available): fixed-size blocks (a fit() call
 * is measured whole, so a block must be long enough to be a training run, not a start-up), one
 * warm-up block each, then `rounds` rounds with the starting runner rotated and a full GC before
 * every block. The figure of a runner is the median of its blocks' ms/step.
 */
export async function fitTimings(opts: FitTimingOptions, torch: TorchLoop | null): Promise<{ timings: Map<string, Timing>; side: FitSide }> {
  const side = new FitSide("float32");
  const plugins = () => [l2({ lambda: 1e-4 }), dropout({ rate: 0.1 })];
  const { steps10: s10, steps100: s100 } = opts;
  const runners: FitRunner[] = [
    { name: FIT_RUNNERS.b10, steps: s10, run: (n) => side.time(10, n) },
    { name: FIT_RUNNERS.b10Plugins, steps: s10, run: (n) => side.time(10, n, { plugins }) },
    { name: FIT_RUNNERS.b10Eager, steps: s10, run: (n) => side.time(10, n, { compile: false }) },
    { name: FIT_RUNNERS.b100, steps: s100, run: (n) => side.time(100, n) },
  ];
  if (torch !== null) {
    runners.push({ name: FIT_RUNNERS.torch10, steps: s10, run: (n) => torch.time(10, n, "f32") });
    runners.push({ name: FIT_RUNNERS.torch100, steps: s100, run: (n) => torch.time(100, n, "f32") });
  }
  for (const r of runners) await r.run(Math.max(50, Math.round(r.steps / 4)));
  const wall: number[][] = runners.map(() => []), cpu: number[][] = runners.map(() => []);
  for (let round = 0; round < opts.rounds; round++) {
    for (let j = 0; j < runners.length; j++) {
      const i = (j + round) % runners.length;
      const r = runners[i]!;
      fullGc?.();
      const t = await r.run(r.steps);
      wall[i]!.push(t.wall / r.steps);
      cpu[i]!.push(t.cpu / r.steps);
    }
  }
  const timings = new Map<string, Timing>();
  runners.forEach((r, i) => {
    const m = median(wall[i]!);
    timings.set(r.name, {
      name: r.name, msPerStep: m, stepsPerSec: 1000 / m, cpuMsPerStep: median(cpu[i]!),
      p25: quantile(wall[i]!, 0.25), p75: quantile(wall[i]!, 0.75), stepsPerBlock: r.steps, samples: wall[i]!, cpuSamples: cpu[i]!,
    });
  });
  return { timings, side };
}
