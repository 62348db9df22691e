import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runExperiment } from "./index.js";
import { BASELINE_DATA, BASELINE_MODELS, MNIST1D_REFERENCE, type Mnist1dBaselinesResult, pointsOff } from "./impl/mnist1d-baselines.js";

// All eight trainings of the reference protocol over ten seeds (~15 min of CPU, the GRU most of
// it): too long for CI, so gated. Run: MNIST1D_BASELINES=1 npx vitest run src/mnist1d-baselines.full.test.ts
// The notebooks log one run per row, and one of our runs has a seed sd of 0.9–1.5 points (README),
// so a single seed against a single logged run fails now and then even for a faithful
// reproduction: the test compares the mean over seeds 0–9 (sd of the mean ≈ 0.3–0.5 points).
const enabled = process.env.MNIST1D_BASELINES === "1";
const SEEDS = (process.env.MNIST1D_BASELINES_SEEDS ?? "0,1,2,3,4,5,6,7,8,9").split(",").map(Number);

describe.runIf(enabled)("mnist1d-baselines (full reference protocol, mean over seeds)", () => {
  it("every model on both data sets averages within 2 points of the reference notebooks' logged accuracy", async () => {
    // One model and seed at a time, cheapest first; progress goes to MNIST1D_BASELINES_LOG when set
    // (vitest shows console output only at the end).
    const log = process.env.MNIST1D_BASELINES_LOG;
    const acc: Record<string, Record<string, number[]>> = { normal: {}, shuffled: {} };
    for (const m of BASELINE_MODELS) {
      for (const seed of SEEDS) {
        const one = (await runExperiment("mnist1d-baselines", { models: [m], seed })) as Mnist1dBaselinesResult;
        for (const d of BASELINE_DATA) (acc[d]![m] ??= []).push(one.runs[d]![m]!.testAccuracy);
        if (log) appendFileSync(log, `${new Date().toISOString()} ${m} seed ${seed} ${BASELINE_DATA.map((d) => `${d} ${(100 * one.runs[d]![m]!.testAccuracy).toFixed(1)}`).join(" ")}\n`);
      }
    }
    const rows = BASELINE_DATA.flatMap((d) =>
      BASELINE_MODELS.map((m) => {
        const a = acc[d]![m]!, mean = a.reduce((s, x) => s + x, 0) / a.length;
        const sd = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, a.length - 1));
        return { data: d, model: m, perSeed: a.map((x) => +(100 * x).toFixed(1)), mean: +(100 * mean).toFixed(1), sd: +(100 * sd).toFixed(1), reference: MNIST1D_REFERENCE[d][m], off: +pointsOff(mean, MNIST1D_REFERENCE[d][m]).toFixed(1) };
      }),
    );
    console.log(JSON.stringify(rows, null, 1));
    if (log) appendFileSync(log, `${JSON.stringify(rows)}\n`);
    for (const row of rows) expect(row.off, `${row.model} on ${row.data} data: mean ${row.mean} % over seeds ${SEEDS.join(",")} vs ${row.reference.join("–")} %`).toBeLessThanOrEqual(2);
  }, 4 * 3_600_000);
});
