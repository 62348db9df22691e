/**
 * Profile helper for fit() (not part of `pnpm bench`): runs fit() blocks of the MNIST-1D MLP (adam,
 * float32, batch 10) with the chosen plugins under the V8 CPU profiler and prints self time per
 * function in µs/step, so the cost of a plugin shows as the difference of two runs.
 *   tsx --conditions=source src/fit-profile.ts --plugins l2,dropout --seconds 5 [--top 30]
 */
import { Session } from "node:inspector/promises";
import { parseArgs } from "node:util";
import { type Plugin } from "@regularize/core-train";
import { dropout } from "@regularize/noise";
import { l2 } from "@regularize/penalties";
import { FitSide } from "./fit-bench.js";

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--")),
  options: {
    plugins: { type: "string", default: "" },
    seconds: { type: "string", default: "5" },
    top: { type: "string", default: "30" },
    block: { type: "string", default: "2000" },
  },
});
const names = values.plugins!.split(",").filter(Boolean);
const make = (): Plugin[] => names.map((n) => {
  if (n === "l2") return l2({ lambda: 1e-4 });
  if (n === "dropout") return dropout({ rate: 0.1 });
  throw new Error(`unknown plugin ${n}`);
});
const side = new FitSide("float32");
const block = Number(values.block);
await side.time(10, 300, { plugins: make });

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 50 });
await session.post("Profiler.start");
const until = performance.now() + Number(values.seconds) * 1000;
let steps = 0, wall = 0;
while (performance.now() < until) { wall += (await side.time(10, block, { plugins: make })).wall; steps += block; }
const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
session.disconnect();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const n = byId.get(id)!;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  totalUs += dt;
  const url = n.callFrame.url.replace(/^.*\/(packages|bench)\//, "$1/");
  const key = `${n.callFrame.functionName || "(anonymous)"}  ${url}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + dt);
});
console.log(`plugins [${names.join(", ")}]: ${steps} steps, ${((1000 * wall) / steps).toFixed(1)} µs/step wall (profiler on); profile ${(totalUs / steps).toFixed(1)} µs/step`);
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`  ${(v / steps).toFixed(2).padStart(7)} µs  ${k}`);
