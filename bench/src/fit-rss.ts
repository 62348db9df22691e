/**
 * Resident memory over a long fit() with plugins: 30 000 steps of the MNIST-1D MLP (float32,
 * batch 10, Adam) with `l2` + `dropout`, sampled every 1000 steps after a full GC (run with
 * --expose-gc; without it the samples include garbage not yet collected: V8's heap settling).
 * At the end the history is measured by dropping it and collecting again, so heap growth can be
 * told apart: the history's step rows (one per step, as asked for) vs anything else retained per
 * step (tensors, recordings, arenas), which must be ~0. Run as a child process by `pnpm bench`
 * (figure fitrss) so the bench's own heap does not count; prints JSON on stdout.
 *   node --expose-gc --import tsx --conditions=source src/fit-rss.ts [steps]
 */
import { FitSide } from "./fit-bench.js";
import { fit } from "@regularize/core-train";
import { adam } from "@regularize/optim";
import { l2 } from "@regularize/penalties";
import { dropout } from "@regularize/noise";

/** One sample (MB; heap figures after a full GC when `gc` is true). */
export interface RssSample { step: number; rssMB: number; heapMB: number; externalMB: number; arrayBuffersMB: number }
/** What the child prints. */
export interface RssRun {
  steps: number;
  compiled: boolean;
  seconds: number;
  gc: boolean;
  samples: RssSample[];
  /** Heap held by the returned history (its step rows), measured by dropping it: MB. */
  historyMB: number;
  historyRows: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (b: number) => b / 2 ** 20;
function sample(step: number): RssSample {
  gc?.();
  const m = process.memoryUsage();
  return { step, rssMB: mb(m.rss), heapMB: mb(m.heapUsed), externalMB: mb(m.external), arrayBuffersMB: mb(m.arrayBuffers) };
}

const steps = Number(process.argv[2] ?? 30000);
const side = new FitSide("float32");
const samples: RssSample[] = [];

/** The run, returning only scalars: once it returns, nothing but its caller can hold the result. */
async function run(): Promise<{ compiled: boolean; seconds: number; historyRows: number; withHistoryMB: number }> {
  const t0 = performance.now();
  const r = await fit({
    model: side.model, params: side.params, data: side.data, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-2 }),
    batchSize: 10, steps, seed: 1, plugins: [l2({ lambda: 1e-4 }), dropout({ rate: 0.1 })], progressEvery: 1000,
    onProgress: (p) => { samples.push(sample(p.step)); },
  });
  const seconds = (performance.now() - t0) / 1000;
  return { compiled: r.compiled, seconds, historyRows: r.history.steps.length, withHistoryMB: sample(steps).heapMB };
}

const { compiled, seconds, historyRows, withHistoryMB } = await run();
const historyMB = withHistoryMB - sample(steps).heapMB;
const out: RssRun = { steps, compiled, seconds, gc: gc !== undefined, samples, historyMB, historyRows };
process.stdout.write(JSON.stringify(out) + "\n");
