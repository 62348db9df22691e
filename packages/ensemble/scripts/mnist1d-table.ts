/**
 * The README's MNIST-1D table: a 5-member ensemble of MLPs (seeds 1–5) vs its average member, and SWA
 * vs the final iterate. Full size (4000 train / 1000 test); run once and record the output:
 *   pnpm --filter @regularize/ensemble table:mnist1d [-- --epochs 40 --workers 2]
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { Tensor } from "@regularize/core-autodiff";
import { type Dataset, evaluatePredictive, fit, predictiveFromMembers, predict } from "@regularize/core-train";
import { makeMnist1d } from "@regularize/datasets";
import { sgd } from "@regularize/optim";
import {
  type AverageResult, type MlpMemberSpec, ensemble, meanOfProbabilities, memberModel, memberParams, seedMembers, swa, swaSchedule,
  toPlainData, trainMembers,
} from "../src/index.js";

const { values } = parseArgs({
  options: {
    epochs: { type: "string", default: "40" }, members: { type: "string", default: "5" }, workers: { type: "string", default: "2" },
    lr: { type: "string", default: "0.05" }, swaStart: { type: "string", default: "30" }, swaLr: { type: "string", default: "0.02" },
  },
});
const epochs = Number(values.epochs), M = Number(values.members), workers = Number(values.workers), lr = Number(values.lr);
const swaStart = Number(values.swaStart), swaLr = Number(values.swaLr);

const d = makeMnist1d();
const train: Dataset = { x: new Tensor(d.x, [...d.shape.train], "float64"), y: new Tensor(d.y, [d.shape.train[0]], "int32") };
const test: Dataset = { x: new Tensor(d.xTest, [...d.shape.test], "float64"), y: new Tensor(d.yTest, [d.shape.test[0]], "int32") };
const base = { widths: [40, 100, 100, 10], learningRate: lr, momentum: 0.9, epochs, batchSize: 100 };
const load0 = loadavg();
const fmt = (v: number | undefined, p = 4) => (v === undefined ? "–" : v.toFixed(p));
const rows: string[] = [];
const single = (params: Parameters<typeof predict>[1], model: ReturnType<typeof memberModel>) =>
  evaluatePredictive(predictiveFromMembers({ kind: "classification", members: (x) => [predict(model, params, x)] }), test);

// 1. the ensemble and its members
let t0 = performance.now();
const specs: MlpMemberSpec[] = seedMembers(base, Array.from({ length: M }, (_, i) => i + 1));
const plain = await trainMembers(specs, toPlainData(train), { workers });
const membersTrained = specs.map((s, i) => ({ model: memberModel(s), params: memberParams(s, plain[i]!) }));
const ensSec = (performance.now() - t0) / 1000;
const per = membersTrained.map((m) => single(m.params, m.model));
const avg = (k: "accuracy" | "nll" | "ece" | "brier") => per.reduce((s, m) => s + m[k]!, 0) / per.length;
const ens = evaluatePredictive(ensemble({ members: membersTrained, combiner: meanOfProbabilities() }), test);
per.forEach((m, i) => rows.push(`| member ${i + 1} (seed ${i + 1}) | ${fmt(1 - m.accuracy!)} | ${fmt(m.nll)} | ${fmt(m.ece)} |`));
rows.push(`| **average member** | **${fmt(1 - avg("accuracy"))}** | **${fmt(avg("nll"))}** | ${fmt(avg("ece"))} |`);
rows.push(`| **ensemble of ${M} (mean of probabilities)** | **${fmt(1 - ens.accuracy!)}** | **${fmt(ens.nll)}** | ${fmt(ens.ece)} |`);

// 2. SWA vs the final iterate (one run, seed 1): constant lr until swaStart, then swaLr, averaging every epoch end
t0 = performance.now();
const model = memberModel(base);
const spe = d.shape.train[0] / 100;
const r = await fit({
  model, data: train, loss: "crossEntropy", batchSize: 100, epochs, seed: 1, logEvery: 1_000_000,
  optimizer: sgd({ learningRate: swaSchedule({ learningRate: lr, swaLr, startStep: swaStart * spe, annealSteps: spe }), momentum: 0.9 }),
  plugins: [swa({ startEpoch: swaStart })],
});
const swaSec = (performance.now() - t0) / 1000;
const fin = single(r.params, model), sw = single((r.plugins.swa as AverageResult).params!, model);
rows.push(`| final iterate of the SWA run (seed 1) | ${fmt(1 - fin.accuracy!)} | ${fmt(fin.nll)} | ${fmt(fin.ece)} |`);
rows.push(`| SWA average (epochs ${swaStart}–${epochs - 1}, ${(r.plugins.swa as AverageResult).count} iterates) | ${fmt(1 - sw.accuracy!)} | ${fmt(sw.nll)} | ${fmt(sw.ece)} |`);

console.log(`MNIST-1D (makeMnist1d defaults: ${d.shape.train[0]} train / ${d.shape.test[0]} test), MLP ${base.widths.join("-")}, SGD lr ${lr} momentum 0.9, batch 100, ${epochs} epochs; SWA from epoch ${swaStart} at lr ${swaLr}\n`);
console.log(`| model | test error | test NLL | ECE (15 bins) |\n| --- | --- | --- | --- |\n${rows.join("\n")}`);
console.log(`\nensemble: ${M} members on ${workers} workers in ${ensSec.toFixed(1)} s; SWA run ${swaSec.toFixed(1)} s; loadavg before ${load0.map((v) => v.toFixed(2)).join(" ")}, after ${loadavg().map((v) => v.toFixed(2)).join(" ")}`);
