/**
 * Ensemble figures: (1) 8 MNIST-1D MLP members trained by @regularize/ensemble's trainMembers on 2
 * worker threads vs 1 (serial in-process), interleaved rounds, wall seconds per ensemble (worker
 * start-up included, for both: the one-worker baseline is a pool of one thread); (2) the per-step cost of fit() with the SWA and EMA plugins (averaging after
 * every step, the worst case) vs a plain fit and vs a fit with a no-op plugin, on the MNIST-1D MLP
 * at batch 100 — interleaved blocks, median ms/step.
 */
import { cpus, loadavg } from "node:os";
import { Tensor } from "@regularize/core-autodiff";
import { type Plugin, fit, mlp } from "@regularize/core-train";
import { makeMnist1d } from "@regularize/datasets";
import { ema, seedMembers, swa, toPlainData, trainMembers } from "@regularize/ensemble";
import { sgd } from "@regularize/optim";
import { type InterleaveOptions, type Timing, interleave, median } from "./stats.js";

/** Result of the members figure. */
export interface EnsembleFigure {
  readonly members: number;
  readonly epochs: number;
  readonly secondsTwo: readonly number[];
  readonly secondsOne: readonly number[];
  readonly speedup: number;
  readonly bitIdentical: boolean;
  readonly loadavg: readonly number[];
}

function mnist() {
  const d = makeMnist1d();
  return {
    x: new Tensor(d.x, [...d.shape.train], "float64"),
    y: new Tensor(d.y, [d.shape.train[0]], "int32"),
  };
}

/** 8 members (seeds 1..8) on 2 workers vs 1, `rounds` interleaved rounds. */
export async function ensembleFigure(opts: { members: number; epochs: number; rounds: number }): Promise<EnsembleFigure> {
  const data = toPlainData(mnist());
  const specs = seedMembers({ widths: [40, 100, 100, 10], learningRate: 0.05, momentum: 0.9, epochs: opts.epochs, batchSize: 100 }, Array.from({ length: opts.members }, (_, i) => i + 1));
  const two: number[] = [], one: number[] = [];
  let first: string | undefined, identical = true;
  const time = async (workers: number, into: number[]) => {
    const t0 = performance.now();
    // both settings run on a worker pool (1 or 2 threads), so both pay the workers' start-up
    const r = await trainMembers(specs, data, { workers, inProcess: false });
    into.push((performance.now() - t0) / 1000);
    const sig = JSON.stringify(r.map((p) => Array.from(p.leaves[0]!.data.subarray(0, 50))));
    first ??= sig;
    identical &&= sig === first;
  };
  const load = [loadavg()[0]!];
  for (let r = 0; r < opts.rounds; r++) {
    if (r % 2 === 0) { await time(2, two); await time(1, one); } else { await time(1, one); await time(2, two); }
    load.push(loadavg()[0]!);
  }
  return { members: opts.members, epochs: opts.epochs, secondsTwo: two, secondsOne: one, speedup: median(one) / median(two), bitIdentical: identical, loadavg: load };
}

/** ms/step of plain fit vs fit + swa (every step) vs fit + ema vs fit + a no-op plugin. */
export async function averagingFigure(timing: InterleaveOptions): Promise<Map<string, Timing>> {
  const data = mnist();
  const model = mlp({ widths: [40, 100, 100, 10] });
  // Each block is one fit() of WARM + k steps; only the last k count (timed from onProgress, which is
  // not a plugin), so the per-fit set-up — recording the compiled step — is left out.
  const WARM = 3;
  const runner = (name: string, make: () => Plugin[]) => ({
    name,
    run: async (k: number) => {
      let t0 = 0, t1 = 0;
      let c0 = process.cpuUsage(), c1 = c0;
      await fit({
        model, data, loss: "crossEntropy", optimizer: sgd({ learningRate: 0.05, momentum: 0.9 }), batchSize: 100, steps: WARM + k, seed: 1,
        logEvery: 1_000_000, progressEvery: 1, plugins: make(),
        onProgress: (p) => {
          if (p.step === WARM) { t0 = performance.now(); c0 = process.cpuUsage(); }
          if (p.step === WARM + k && t1 === 0) { t1 = performance.now(); c1 = process.cpuUsage(c0); }
        },
      });
      return { wall: t1 - t0, cpu: (c1.user + c1.system) / 1000 };
    },
  });
  return interleave([
    runner("plain step", () => []),
    runner("no-op plugin", () => [{ name: "noop", afterStep: () => {} }]),
    runner("swa (every step)", () => [swa({ startEpoch: 0, everySteps: 1 })]),
    runner("ema (every step)", () => [ema({ decay: 0.999 })]),
  ], timing);
}

/** Print both figures. */
export function printEnsemble(f: EnsembleFigure, say: (s?: string) => void): void {
  say(`ensemble members: ${f.members} MNIST-1D MLPs × ${f.epochs} epochs (trainMembers), ${cpus().length} cores`);
  say(`  2 workers: ${f.secondsTwo.map((s) => s.toFixed(1)).join(", ")} s (median ${median(f.secondsTwo).toFixed(1)})`);
  say(`  1 worker : ${f.secondsOne.map((s) => s.toFixed(1)).join(", ")} s (median ${median(f.secondsOne).toFixed(1)})`);
  say(`  speed-up 2 workers / 1: ${f.speedup.toFixed(2)}× (target ≥ 1.6×); members bit-identical across runs: ${f.bitIdentical}; loadavg ${f.loadavg.map((v) => v.toFixed(1)).join(" → ")}`);
}

export function printAveraging(ts: Map<string, Timing>, say: (s?: string) => void): void {
  const plain = ts.get("plain step")!.msPerStep;
  say(`averaging plugins: fit() ms/step, MNIST-1D MLP batch 100 (median of interleaved blocks)`);
  for (const t of ts.values()) say(`  ${t.name.padEnd(18)} ${t.msPerStep.toFixed(3)} ms/step  (${(t.msPerStep / plain).toFixed(3)}× plain; target ≤ 1.1× for swa/ema)`);
}
