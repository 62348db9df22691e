// Seed sweep of `mnist1d-baselines` (full reference protocol): one JSON line per (seed, data, model).
// Usage: npx tsx --conditions=source scripts/mnist1d-baselines-seeds.ts <models> <data> <seeds>
//   e.g. mlp,cnn normal,shuffled 0,1,2,3,4
import { readFileSync } from "node:fs";
import { runExperiment } from "../src/index.js";
import type { Mnist1dBaselinesResult } from "../src/impl/mnist1d-baselines.js";

const [models = "mlp,cnn", data = "normal,shuffled", seeds = "0,1,2,3,4"] = process.argv.slice(2);
for (const seed of seeds.split(",").map(Number)) {
  for (const d of data.split(",")) {
    for (const m of models.split(",")) {
      const r = (await runExperiment("mnist1d-baselines", { models: [m], data: [d], seed })) as Mnist1dBaselinesResult;
      const run = (r.runs as any)[d][m];
      console.log(JSON.stringify({ seed, data: d, model: m, test: +(100 * run.testAccuracy).toFixed(1), train: +(100 * run.trainAccuracy).toFixed(1),
        cpuS: +run.seconds.toFixed(1), loadavg: readFileSync("/proc/loadavg", "utf8").trim() }));
    }
  }
}
