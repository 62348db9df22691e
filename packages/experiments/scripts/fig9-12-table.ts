// The fig9.12 README table: `runExperiment("fig9.12", params)` (defaults: 200 and 500 labels, 3 seeds,
// every method); progress to stderr, the result as JSON to stdout.
// Usage: npx tsx --conditions=source scripts/fig9-12-table.ts ['{"seeds": 3}'] > result.json
import { readFileSync } from "node:fs";
import { runExperiment } from "../src/index.js";

const params = JSON.parse(process.argv[2] ?? "{}") as Record<string, unknown>;
const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const t0 = performance.now();
const c0 = process.cpuUsage();
console.error(`start ${new Date().toISOString()} loadavg ${load()}`);
const r = await runExperiment("fig9.12", params, {
  onProgress: (p) => { if (p.message) console.error(`${((performance.now() - t0) / 1000).toFixed(0)} s ${p.message} ${p.metrics ? JSON.stringify(p.metrics) : ""} (loadavg ${load()})`); },
});
const c = process.cpuUsage(c0);
console.error(`done: ${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${((c.user + c.system) / 1e6).toFixed(0)} s CPU, loadavg ${load()}`);
console.log(JSON.stringify(r));
