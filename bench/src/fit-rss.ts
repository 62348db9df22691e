/**
 * Resident memory over a long fit() with plugins: 30 000 steps of the MNIST-1D MLP (float32,
 * batch 10, Adam) with `l2` + `dropout`, RSS sampled every 1000 steps. Run as a child process by
 * `pnpm bench` (figure fitrss) so the bench's own heap does not count; prints JSON on stdout.
 *   tsx --conditions=source src/fit-rss.ts [steps]
 */
import { FitSide } from "./fit-bench.js";
import { fit } from "@regularize/core-train";
import { adam } from "@regularize/optim";
import { l2 } from "@regularize/penalties";
import { dropout } from "@regularize/noise";

const steps = Number(process.argv[2] ?? 30000);
const side = new FitSide("float32");
const samples: { step: number; rssMB: number; heapMB: number }[] = [];
const t0 = performance.now();
const r = await fit({
  model: side.model, params: side.params, data: side.data, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-2 }),
  batchSize: 10, steps, seed: 1, plugins: [l2({ lambda: 1e-4 }), dropout({ rate: 0.1 })], progressEvery: 1000,
  onProgress: (p) => {
    const m = process.memoryUsage();
    samples.push({ step: p.step, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20 });
  },
});
process.stdout.write(JSON.stringify({ steps, compiled: r.compiled, seconds: (performance.now() - t0) / 1000, samples }) + "\n");
