import { describe, expect, it } from "vitest";
import { ExperimentParamsError, getExperiment, runExperiment } from "../index.js";
import type { Fig912Result } from "../impl/fig9-12.js";

describe("fig9.12", () => {
  it("transfer from the related labelled task beats training from scratch on 100 labelled signals (2 seeds, small budget)", async () => {
    const r = (await runExperiment("fig9.12", {
      labelled: [100], seeds: 2, methods: ["scratch", "transfer-frozen", "transfer-finetune"],
      steps: 250, pretrainSteps: 400, sourceExamples: 1500, unlabelled: 100, testExamples: 500,
    })) as Fig912Result;
    const row = (m: string) => r.rows.find((x) => x.method === m)!;
    expect(r.rows).toHaveLength(3);
    expect(row("scratch").accuracies).toHaveLength(2);
    // paired by seed: the pretrained trunk wins every time, by several points on average
    for (const m of ["transfer-frozen", "transfer-finetune"]) {
      expect(row(m).winsVsScratch).toBe(2);
      expect(row(m).vsScratch).toBeGreaterThan(0.03);
    }
    expect(row("scratch").mean).toBeGreaterThan(0.15); // far above chance (0.1): scratch did learn
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const figs = getExperiment("fig9.12").plots!(r, {});
    expect(figs.map((f) => f.name)).toEqual(["accuracy", "vs-scratch"]);
  }, 120_000);

  it("runs every other method end to end on a tiny budget and reports one accuracy per seed", async () => {
    const r = (await runExperiment("fig9.12", {
      labelled: [20], seeds: 1, steps: 3, pretrainSteps: 3, batchSize: 10, unlabelled: 100, testExamples: 50, hidden: 8,
      methods: ["multitask", "multitask-pcgrad", "multitask-uncertainty", "ssl-masked", "ssl-shift", "ssl-transform", "ssl-simclr"],
    })) as Fig912Result;
    expect(r.rows.map((x) => x.method)).toEqual(["multitask", "multitask-pcgrad", "multitask-uncertainty", "ssl-masked", "ssl-shift", "ssl-transform", "ssl-simclr"]);
    for (const row of r.rows) {
      expect(row.accuracies).toHaveLength(1);
      expect(row.accuracies[0]).toBeGreaterThanOrEqual(0);
      expect(row.accuracies[0]).toBeLessThanOrEqual(1);
      expect(Number.isNaN(row.vsScratch)).toBe(true); // scratch was not run
    }
    expect(Object.keys(r.pretrainLoss).sort()).toEqual(["ssl-masked", "ssl-shift", "ssl-simclr", "ssl-transform"]);
  }, 120_000);

  it("rejects unknown methods and out-of-range sizes before any work", async () => {
    await expect(runExperiment("fig9.12", { methods: ["magic"] })).rejects.toBeInstanceOf(ExperimentParamsError);
    await expect(runExperiment("fig9.12", { labelled: [5] })).rejects.toBeInstanceOf(ExperimentParamsError);
    await expect(runExperiment("fig9.12", { seeds: 0 })).rejects.toBeInstanceOf(ExperimentParamsError);
  });
});
