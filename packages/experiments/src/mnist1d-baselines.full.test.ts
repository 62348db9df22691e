import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runExperiment } from "./index.js";
import { BASELINE_DATA, BASELINE_MODELS, MNIST1D_REFERENCE, type BaselineRun, type Mnist1dBaselinesResult, pointsOff } from "./impl/mnist1d-baselines.js";

// All eight trainings of the reference protocol (~6 min of CPU, the GRU most of it): too long for
// CI, so gated. Run: MNIST1D_BASELINES=1 npx vitest run src/mnist1d-baselines.full.test.ts
const enabled = process.env.MNIST1D_BASELINES === "1";

describe.runIf(enabled)("mnist1d-baselines (full reference protocol)", () => {
  it("every model on both data sets is within 2 points of the reference notebooks' logged accuracy", async () => {
    // One model at a time, cheapest first, each on both data sets; progress goes to
    // MNIST1D_BASELINES_LOG when set (vitest shows console output only at the end).
    const log = process.env.MNIST1D_BASELINES_LOG;
    const runs: Record<string, Record<string, BaselineRun | undefined>> = { normal: {}, shuffled: {} };
    for (const m of BASELINE_MODELS) {
      const one = (await runExperiment("mnist1d-baselines", { models: [m] }, {
        onProgress: (p) => { if (log && p.message?.endsWith("done")) appendFileSync(log, `${new Date().toISOString()} ${p.message} ${JSON.stringify(p.metrics)}\n`); },
      })) as Mnist1dBaselinesResult;
      for (const d of BASELINE_DATA) runs[d]![m] = one.runs[d]![m];
    }
    const r = { runs } as unknown as Mnist1dBaselinesResult;
    const rows = BASELINE_DATA.flatMap((d) =>
      BASELINE_MODELS.map((m) => {
        const run = r.runs[d]![m]!;
        return { data: d, model: m, test: +(100 * run.testAccuracy).toFixed(1), train: +(100 * run.trainAccuracy).toFixed(1), reference: MNIST1D_REFERENCE[d][m], cpuSeconds: +run.seconds.toFixed(1), off: +pointsOff(run.testAccuracy, MNIST1D_REFERENCE[d][m]).toFixed(1) };
      }),
    );
    console.log(JSON.stringify(rows, null, 1));
    for (const row of rows) expect(row.off, `${row.model} on ${row.data} data: ${row.test} % vs ${row.reference.join("–")} %`).toBeLessThanOrEqual(2);
  }, 3_600_000);
});
