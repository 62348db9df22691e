/**
 * Bench rows of @regularize/bayes (issue targets): last-layer Laplace vs one training epoch (≤ 2×),
 * diagonal Laplace vs one epoch (≤ 3×), KFAC over all layers (no target), an SGLD step (Gaussian noise on Threefry-2x32-20 and -13,
 * Rademacher noise) vs an SGD step (≤ 1.1×), on the MNIST-1D
 * MLP 40-100-100-10 (residual) with the 4000 training examples, batch 100, float64.
 *   pnpm --filter @regularize/bench run bench:bayes [--rounds 3] [--only sgld]
 * (`--only sgld`: the SGD and SGLD rows alone, for repeated ratio measurements on a loaded machine.)
 */
import { loadavg } from "node:os";
import { laplace, sgld } from "@regularize/bayes";
import { type Tree, tensor } from "@regularize/core-autodiff";
import { fit, mlp } from "@regularize/core-train";
import { makeMnist1d } from "@regularize/datasets";
import { adam, sgd } from "@regularize/optim";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] ?? 3) || 3;
const onlySgld = process.argv[process.argv.indexOf("--only") + 1] === "sgld";
const d = makeMnist1d();
const train = { x: tensor(d.x, { shape: d.shape.train }), y: tensor(d.y, { shape: [d.shape.train[0]], dtype: "int32" }) };
const N = d.shape.train[0];
const model = mlp({ widths: [40, 100, 100, 10], residual: true });
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
const time = async (f: () => unknown) => { const t = performance.now(); await f(); return (performance.now() - t) / 1000; };
// the step rows also record this process's CPU time (user + system), less sensitive to other processes on a loaded machine
const cpu: Record<string, number[]> = { sgd: [], sgld: [], sgld13: [], rad: [] };
const timed = async (row: string, r: number, f: () => unknown) => {
  const c = process.cpuUsage();
  const t = await time(f);
  const d = process.cpuUsage(c);
  if (r > 0) cpu[row]!.push((d.user + d.system) / 1e6);
  return t;
};

// a trained MAP (600 Adam steps) for the Laplace rows
const map = (await fit({ model, data: train, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-2 }), batchSize: 100, steps: onlySgld ? 10 : 600, seed: 0 })).params as Tree;
const epoch: number[] = [], lastLayer: number[] = [], lastLayerTuned: number[] = [], diag: number[] = [], kfac: number[] = [], sgdStep: number[] = [], sgldStep: number[] = [], sgld13Step: number[] = [], sgldRad: number[] = [];
const STEPS = 1000;
const load0 = loadavg();
// round 0 warms V8 and WebAssembly up (not recorded); then `rounds` interleaved rounds
for (let r = 0; r <= rounds; r++) {
  const keep = <T>(a: T[], v: T) => { if (r > 0) a.push(v); };
  if (!onlySgld) {
    keep(epoch, await time(() => fit({ model, params: map as never, data: train, loss: "crossEntropy", optimizer: adam({ learningRate: 1e-3 }), batchSize: 100, epochs: 1, seed: r })));
    keep(lastLayer, await time(() => laplace({ model, params: map as never, data: train, likelihood: "categorical", subset: "lastLayer", structure: "kron", priorPrecision: 1 })));
    keep(lastLayerTuned, await time(() => laplace({ model, params: map as never, data: train, likelihood: "categorical", subset: "lastLayer", structure: "kron", priorPrecision: "marginalLikelihood" })));
    keep(diag, await time(() => laplace({ model, params: map as never, data: train, likelihood: "categorical", structure: "diagonal", priorPrecision: 1 })));
    keep(kfac, await time(() => laplace({ model, params: map as never, data: train, likelihood: "categorical", structure: "kron", priorPrecision: 1 })));
  }
  keep(sgdStep, (await timed("sgd", r, () => fit({ model, params: map as never, data: train, loss: "crossEntropy", optimizer: sgd({ learningRate: 1e-3 }), batchSize: 100, steps: STEPS, seed: r }))) / STEPS);
  keep(sgldStep, (await timed("sgld", r, () => fit({ model, params: map as never, data: train, loss: "crossEntropy", optimizer: sgld({ learningRate: 1e-3, dataSize: N }), batchSize: 100, steps: STEPS, seed: r }))) / STEPS);
  keep(sgld13Step, (await timed("sgld13", r, () => fit({ model, params: map as never, data: train, loss: "crossEntropy", optimizer: sgld({ learningRate: 1e-3, dataSize: N, threefryRounds: 13 }), batchSize: 100, steps: STEPS, seed: r }))) / STEPS);
  keep(sgldRad, (await timed("rad", r, () => fit({ model, params: map as never, data: train, loss: "crossEntropy", optimizer: sgld({ learningRate: 1e-3, dataSize: N, noise: "rademacher" }), batchSize: 100, steps: STEPS, seed: r }))) / STEPS);
}
const e = median(epoch);
const verdict = (ratio: number, target: number) => `${ratio.toFixed(2)}× (target ≤ ${target}×: ${ratio <= target ? "PASS" : "MISS"})`;
const fmt = (l: number[]) => l.map((v) => v.toFixed(2)).join(" ");
console.log(`@regularize/bayes bench: MNIST-1D MLP 40-100-100-10 residual, N = ${N}, batch 100, float64; medians of ${rounds} rounds after a warm-up round; loadavg ${fmt(load0)} → ${fmt(loadavg())}`);
console.log("| row | time | ratio |\n| --- | --- | --- |");
if (!onlySgld) {
  console.log(`| one training epoch (40 Adam steps, fit() with its compile) | ${(e * 1000).toFixed(0)} ms | 1 |`);
  console.log(`| last-layer Laplace, Kronecker GGN, δ fixed | ${(median(lastLayer) * 1000).toFixed(0)} ms | ${verdict(median(lastLayer) / e, 2)} vs one epoch |`);
  console.log(`| last-layer Laplace, Kronecker GGN, δ by the evidence | ${(median(lastLayerTuned) * 1000).toFixed(0)} ms | ${verdict(median(lastLayerTuned) / e, 2)} vs one epoch |`);
  console.log(`| diagonal Laplace, all 15,210 parameters, exact GGN (batched) | ${(median(diag) * 1000).toFixed(0)} ms | ${verdict(median(diag) / e, 3)} vs one epoch |`);
  console.log(`| KFAC Laplace, all layers, δ fixed | ${(median(kfac) * 1000).toFixed(0)} ms | ${(median(kfac) / e).toFixed(2)}× one epoch (no target) |`);
}
const cpuRatio = (row: string) => `; CPU time ${(median(cpu[row]!) / median(cpu.sgd!)).toFixed(2)}×`;
console.log(`| SGD step (batch 100) | ${(median(sgdStep) * 1e3).toFixed(3)} ms | 1 |`);
console.log(`| SGLD step, Gaussian noise (batch 100) | ${(median(sgldStep) * 1e3).toFixed(3)} ms | ${verdict(median(sgldStep) / median(sgdStep), 1.1)} vs SGD${cpuRatio("sgld")} |`);
console.log(`| SGLD step, Gaussian noise, Threefry-2x32-13 (batch 100) | ${(median(sgld13Step) * 1e3).toFixed(3)} ms | ${verdict(median(sgld13Step) / median(sgdStep), 1.1)} vs SGD${cpuRatio("sgld13")} |`);
console.log(`| SGLD step, Rademacher noise (batch 100) | ${(median(sgldRad) * 1e3).toFixed(3)} ms | ${verdict(median(sgldRad) / median(sgdStep), 1.1)} vs SGD${cpuRatio("rad")} |`);
// per-round ratios (interleaved rounds: each pair ran back to back under the same load)
const perRound = (steps: number[], row: string) => `wall ${steps.map((v, i) => (v / sgdStep[i]!).toFixed(2)).join(" ")}; CPU ${cpu[row]!.map((v, i) => (v / cpu.sgd![i]!).toFixed(2)).join(" ")}`;
console.log(`per-round ratios to SGD (interleaved rounds) — SGLD: ${perRound(sgldStep, "sgld")}; SGLD Threefry-13: ${perRound(sgld13Step, "sgld13")}`);
