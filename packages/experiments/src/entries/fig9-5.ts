import * as v from "valibot";
import { defineExperiment, type PlotFigure, type PlotMark, type SweepTrial } from "../experiment.js";
import { boolParam, intParam, numberParam } from "../params.js";
import type { TrainResult } from "../impl/mnist1d-train.js";
import { lossFigure } from "./figures.js";

/** Notebook 8.3's hidden sizes (the book's D grid is not given; CHAPTER9 §2 fig 9.5). */
export const FIG95_WIDTHS = [2, 4, 6, 8, 10, 14, 18, 22, 26, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 400] as const;
/** A reduced D grid whose full sweep fits a 2-core machine (the cost of a step grows like D²). */
export const FIG95_WIDTHS_QUICK = [4, 10, 25, 50, 100, 200] as const;

/** Figure 9.5: one trial of the width × learning-rate / batch-size grids on MNIST-1D. */
export const fig95 = defineExperiment({
  id: "fig9.5",
  title: "Learning rate and batch size on MNIST-1D",
  reproduces: "Figure 9.5",
  description:
    "One training of the MLP 40-D-D-10 (ReLU, He-uniform, zero biases) by plain SGD on MNIST-1D 4000/4000, returning train/test error (%). " +
    "The figure is the sweep over D × lr (full batch, steps = 6000/lr in the book) and D × batch (lr 0.1). Defaults are reduced: " +
    "distance 200 (steps = 200/lr, 2000 at lr 0.1) instead of the book's 6000, so small widths do not reach 0 % train error.",
  acceptsPlugins: true,
  resumable: true,
  params: v.object({
    width: intParam(100, 1, 2000, "hidden width D of both hidden layers"),
    lr: numberParam(0.1, 1e-6, 10, "SGD learning rate"),
    batch: intParam(4000, 1, 100_000, "batch size (4000 = full batch)"),
    steps: intParam(0, 0, 10_000_000, "training steps (0 = distance / lr)"),
    distance: numberParam(200, 1e-3, 1e6, "lr × steps when steps = 0 (the book's panel a: 6000; reduced default 200)"),
    seed: intParam(0, 0, 2 ** 31 - 1, "seed of the initialisation and the batch order"),
    samples: intParam(8000, 10, 1_000_000, "dataset size (8000 with split 0.5 = the book's 4000/4000)"),
    split: numberParam(0.5, 0.01, 0.99, "train fraction"),
    dataSeed: intParam(42, 0, 2 ** 32 - 1, "seed of the MNIST-1D generator"),
    checkFinite: boolParam(true, "stop with an error on a NaN/Inf loss, gradient or update"),
  }),
  load: async () => (await import("../impl/fig9-5.js")).fig95,
  plots: (r: TrainResult) => [lossFigure("loss", "Training loss", "step", "cross-entropy (batch)", [{ name: "train", x: r.loss.steps, y: r.loss.values }], "log")],
  sweeps: [
    { name: "lr", title: "a) full batch, learning rates 0.5 / 0.1 / 0.05 (reduced widths)", params: { batch: 4000 }, grid: { lr: [0.5, 0.1, 0.05], width: [...FIG95_WIDTHS_QUICK] } },
    { name: "batch", title: "b) lr 0.1, batch sizes 10 / 100 / 4000 (reduced widths)", params: { lr: 0.1 }, grid: { batch: [10, 100, 4000], width: [...FIG95_WIDTHS_QUICK] } },
    { name: "lr-book", title: "a) as the book: notebook 8.3's widths, steps = 6000/lr", params: { batch: 4000, distance: 6000 }, grid: { lr: [0.5, 0.1, 0.05], width: [...FIG95_WIDTHS] } },
    { name: "batch-book", title: "b) as the book: notebook 8.3's widths, lr 0.1", params: { lr: 0.1, distance: 6000 }, grid: { batch: [10, 100, 4000], width: [...FIG95_WIDTHS] } },
  ],
  sweepPlots: (trials, sweep) => {
    const key = sweep?.grid.batch && !sweep.grid.lr ? "batch" : "lr";
    return [errorVsWidth(trials, key, sweep?.title ?? "Error vs hidden width")];
  },
});

/** Test (solid) and train (dashed) error vs width, one series per value of `key` (seeds averaged). */
export function errorVsWidth(trials: readonly SweepTrial<TrainResult>[], key: "lr" | "batch", title: string): PlotFigure {
  const groups = new Map<string, Map<number, { train: number[]; test: number[] }>>();
  for (const t of trials) {
    const g = String(t.params[key]);
    const w = Number(t.params.width);
    const byW = groups.get(g) ?? new Map<number, { train: number[]; test: number[] }>();
    groups.set(g, byW);
    const cell = byW.get(w) ?? { train: [], test: [] };
    byW.set(w, cell);
    cell.train.push(t.result.trainError);
    cell.test.push(t.result.testError);
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const marks: PlotMark[] = [];
  const sorted = [...groups.keys()].sort((a, b) => Number(b) - Number(a));
  for (const g of sorted) {
    const byW = groups.get(g)!;
    const ws = [...byW.keys()].sort((a, b) => a - b);
    const label = key === "lr" ? `LR ${g}` : `batch ${g}`;
    marks.push({ type: "line", x: ws, y: ws.map((w) => mean(byW.get(w)!.test)), series: `${label} test` });
    marks.push({ type: "line", x: ws, y: ws.map((w) => mean(byW.get(w)!.train)), series: `${label} train`, dash: true });
  }
  return { name: `error-vs-width-${key}`, title, x: { label: "hidden layer size D" }, y: { label: "error (%)", domain: [0, 100] }, marks };
}

