/**
 * Profile helper (not part of `pnpm bench`): runs engine steps of one figure under the V8 CPU
 * profiler and prints the top functions by self time, grouped by file.
 *
 *   pnpm --filter @regularize/bench run bench:profile --figure b10 --seconds 5
 *   (figure: b100 | b10 | wide | mod)
 */
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { makeProblem, type MlpSpec } from "./data.js";
import { EngineMlp } from "./mlp-engine.js";

const { values } = parseArgs({
  // `pnpm … -- --flag` forwards the `--` itself: drop it
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--")),
  options: {
    figure: { type: "string", default: "b10" },
    seconds: { type: "string", default: "5" },
    top: { type: "string", default: "30" },
    out: { type: "string" },
  },
});
const specs: Record<string, MlpSpec> = {
  b100: { id: "b100", sizes: [40, 100, 100, 10], batch: 100, lr: 0.1, nBatches: 8, seed: 1 },
  mod: { id: "b100", sizes: [40, 100, 100, 10], batch: 100, lr: 0.1, nBatches: 8, seed: 1 },
  b10: { id: "b10", sizes: [40, 100, 100, 10], batch: 10, lr: 0.1, nBatches: 8, seed: 2 },
  wide: { id: "wide", sizes: [40, 1024, 1024, 10], batch: 256, lr: 0.1, nBatches: 2, seed: 3 },
};
const figure = values.figure!;
const spec = specs[figure];
if (!spec) throw new Error(`unknown figure ${figure}`);
const m = new EngineMlp(makeProblem(spec));
const step = figure === "mod" ? () => m.modifiedStep() : () => m.step();
for (let i = 0; i < 20 && figure !== "wide"; i++) step(); // warm-up

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 100 });
await session.post("Profiler.start");
const until = performance.now() + Number(values.seconds) * 1000;
let steps = 0;
const t0 = performance.now();
while (performance.now() < until) { step(); steps++; }
const elapsed = performance.now() - t0;
const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
session.disconnect();
if (values.out) writeFileSync(values.out, JSON.stringify(profile));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
const total = profile.samples.length;
for (const id of profile.samples) {
  const n = byId.get(id)!;
  const url = n.callFrame.url.replace(/^.*\/(packages|bench)\//, "$1/");
  const key = `${n.callFrame.functionName || "(anonymous)"}  ${url}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const byFile = new Map<string, number>();
for (const [k, v] of self) {
  const file = k.split("  ")[1]!.replace(/:\d+$/, "") || "(native/gc)";
  byFile.set(file, (byFile.get(file) ?? 0) + v);
}
console.log(`${figure}: ${steps} steps in ${elapsed.toFixed(0)} ms = ${(elapsed / steps).toFixed(3)} ms/step; ${total} samples`);
console.log("\nself time by function:");
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
// inclusive time of the engine entry points a user calls (a sample counts once per function on its stack)
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const watch = ["sgd", "backwardPass", "mlpLoss", "crossEntropy", "matmul", "gemm", "add", "relu", "sub", "mul", "alloc", "treeMap", "sumToShape", "logSoftmax"];
const incl = new Map<string, number>(watch.map((w) => [w, 0]));
for (const id of profile.samples) {
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const name = byId.get(cur)!.callFrame.functionName;
    if (incl.has(name) && !seen.has(name)) { seen.add(name); incl.set(name, incl.get(name)! + 1); }
  }
}
console.log("\ninclusive time of engine functions (self + callees):");
for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1])) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log("\nself time by file:");
for (const [k, v] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
