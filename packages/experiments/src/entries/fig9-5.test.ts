import { describe, expect, it } from "vitest";
import { getExperiment } from "../registry.js";
import { runExperiment } from "../run-experiment.js";
import type { SweepTrial } from "../experiment.js";
import { fig95Steps } from "../impl/fig9-5.js";
import type { TrainResult } from "../impl/mnist1d-train.js";

describe("fig9.5", () => {
  it("trains the 40-D-D-10 MLP by SGD and reports train/test error in %", async () => {
    const r = (await runExperiment("fig9.5", { width: 8, samples: 400, steps: 40, batch: 50 })) as TrainResult;
    expect(r.parameters).toBe(40 * 8 + 8 + 8 * 8 + 8 + 8 * 10 + 10);
    expect(r.stepsDone).toBe(40);
    expect(r.trainError).toBeGreaterThanOrEqual(0);
    expect(r.testError).toBeLessThan(90); // better than chance after 40 steps
  });
  it("runs distance / lr steps when steps = 0 (the book's 6000 / LR with distance 6000)", () => {
    expect(fig95Steps({ steps: 0, distance: 6000, lr: 0.05 })).toBe(120_000);
    expect(fig95Steps({ steps: 0, distance: 200, lr: 0.1 })).toBe(2000);
    expect(fig95Steps({ steps: 7, distance: 200, lr: 0.1 })).toBe(7);
  });
  it("declares the two panels' grids and plots error vs width per lr", () => {
    const e = getExperiment("fig9.5");
    expect(e.sweeps?.map((s) => s.name)).toEqual(["lr", "batch", "lr-book", "batch-book"]);
    const trials: SweepTrial<TrainResult>[] = [];
    for (const lr of [0.5, 0.1]) for (const width of [10, 20]) for (const seed of [0, 1]) {
      trials.push({ params: { lr, width, seed }, result: { trainError: width / 10 + seed, testError: 30 + lr } as TrainResult });
    }
    const [fig] = e.sweepPlots!(trials, e.sweeps![0]);
    const test05 = fig!.marks.find((m) => m.type === "line" && m.series === "LR 0.5 test");
    expect(test05).toMatchObject({ x: [10, 20], y: [30.5, 30.5] });
    const train01 = fig!.marks.find((m) => m.type === "line" && m.series === "LR 0.1 train");
    expect(train01).toMatchObject({ x: [10, 20], y: [1.5, 2.5], dash: true });
  });
});
