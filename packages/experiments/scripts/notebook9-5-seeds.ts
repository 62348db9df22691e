// One-off: notebook 9.5 over seeds 0..2, full recipe; prints per-seed best test errors and timings.
import { readFileSync } from "node:fs";
import { runExperiment } from "../src/index.js";
const seeds = (process.argv[2] ?? "0,1,2").split(",").map(Number);
for (const seed of seeds) {
  const t = performance.now();
  const c0 = process.cpuUsage();
  const r = (await runExperiment("notebook9.5", { seed })) as any;
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ seed, baselineBest: r.baseline.bestTestError, augmentedBest: r.augmented.bestTestError,
    baselineFinal: r.baseline.testError.at(-1), augmentedFinal: r.augmented.testError.at(-1),
    wallS: +((performance.now() - t) / 1000).toFixed(1), cpuS: +((c.user + c.system) / 1e6).toFixed(1), loadavg: readFileSync("/proc/loadavg", "utf8").trim() }));
}
