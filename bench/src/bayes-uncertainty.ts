/**
 * The MNIST-1D uncertainty comparison of @regularize/bayes's README in one command:
 *   pnpm --filter @regularize/bench run uncertainty [--key value ...]   (any param of the mnist1d-uncertainty entry)
 * Prints the markdown table (test set) and the machine load.
 */
import { loadavg } from "node:os";
import { runExperiment } from "@regularize/experiments";

const args = process.argv.slice(2);
const params: Record<string, number> = {};
for (let i = 0; i < args.length; i += 2) params[args[i]!.replace(/^--/, "")] = Number(args[i + 1]);
const t0 = performance.now();
const r = (await runExperiment("mnist1d-uncertainty", params, {
  onProgress: (p) => process.stderr.write(`${(100 * p.fraction).toFixed(0)}% ${p.message ?? ""}\n`),
})) as { rows: { method: string; accuracy: number; nll: number; ece: number; seconds: number }[]; train: number; test: number };
console.log(`MNIST-1D (${r.train} train / ${r.test} test), params ${JSON.stringify(params)}; total ${((performance.now() - t0) / 1000).toFixed(0)} s, loadavg ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
console.log("| method | test accuracy | NLL | ECE (15 bins) | time (s) |\n| --- | --- | --- | --- | --- |");
for (const x of r.rows) console.log(`| ${x.method} | ${(100 * x.accuracy).toFixed(1)}% | ${x.nll.toFixed(3)} | ${x.ece.toFixed(3)} | ${x.seconds.toFixed(1)} |`);
