/**
 * Profile helper for fit() (not part of `pnpm bench`): runs fit() blocks of the MNIST-1D MLP (adam,
 * float32, batch 10) with the chosen plugins under the V8 CPU profiler and prints self time per
 * function in µs/step. With `--vs`, blocks of the two plugin lists alternate in one process (so a
 * change of the machine's load hits both alike) and the table is their difference per function.
 *   tsx --conditions=source src/fit-profile.ts --plugins l2,dropout [--vs ""] --seconds 5 [--top 30]
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
    vs: { type: "string" },
    seconds: { type: "string", default: "5" },
    top: { type: "string", default: "30" },
    block: { type: "string", default: "2000" },
  },
});
const maker = (list: string) => {
  const names = list.split(",").filter(Boolean);
  return {
    label: `[${names.join(", ")}]`,
    make: (): Plugin[] => names.map((n) => {
      if (n === "l2") return l2({ lambda: 1e-4 });
      if (n === "dropout") return dropout({ rate: 0.1 });
      throw new Error(`unknown plugin ${n}`);
    }),
  };
};
const configs = [maker(values.plugins!), ...(values.vs === undefined ? [] : [maker(values.vs)])];
const side = new FitSide("float32");
const block = Number(values.block);
for (const c of configs) await side.time(10, 300, { plugins: c.make });

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }
interface Acc { self: Map<string, number>; steps: number; wall: number; cpu: number; profiled: number }
const accs: Acc[] = configs.map(() => ({ self: new Map(), steps: 0, wall: 0, cpu: 0, profiled: 0 }));
const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.setSamplingInterval", { interval: 50 });
const until = performance.now() + Number(values.seconds) * 1000 * configs.length;
for (let round = 0; performance.now() < until; round++) {
  for (let j = 0; j < configs.length; j++) {
    const i = (j + round) % configs.length;
    const acc = accs[i]!;
    await session.post("Profiler.start");
    const t = await side.time(10, block, { plugins: configs[i]!.make });
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile };
    acc.steps += block;
    acc.wall += t.wall;
    acc.cpu += t.cpu;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, k) => {
      const n = byId.get(id)!;
      const dt = profile.timeDeltas[k + 1] ?? 0;
      acc.profiled += dt;
      const url = n.callFrame.url.replace(/^.*\/(packages|bench)\//, "$1/");
      const key = `${n.callFrame.functionName || "(anonymous)"}  ${url}:${n.callFrame.lineNumber + 1}`;
      acc.self.set(key, (acc.self.get(key) ?? 0) + dt);
    });
  }
}
session.disconnect();
const perStep = (a: Acc, k: string) => (a.self.get(k) ?? 0) / a.steps;
configs.forEach((c, i) => {
  const a = accs[i]!;
  console.log(`plugins ${c.label}: ${a.steps} steps, ${((1000 * a.wall) / a.steps).toFixed(1)} µs/step wall, ${((1000 * a.cpu) / a.steps).toFixed(1)} µs/step CPU (profiler on); profile ${(a.profiled / a.steps).toFixed(1)} µs/step`);
});
const top = Number(values.top);
if (configs.length === 1) {
  const a = accs[0]!;
  for (const [k, v] of [...a.self].sort((x, y) => y[1] - x[1]).slice(0, top)) console.log(`  ${(v / a.steps).toFixed(2).padStart(7)} µs  ${k}`);
} else {
  const [a, b] = accs as [Acc, Acc];
  console.log(`difference ${configs[0]!.label} − ${configs[1]!.label}: ${(a.profiled / a.steps - b.profiled / b.steps).toFixed(1)} µs/step profiled, ${((1000 * a.cpu) / a.steps - (1000 * b.cpu) / b.steps).toFixed(1)} µs/step CPU`);
  const keys = new Set([...a.self.keys(), ...b.self.keys()]);
  const rows = [...keys].map((k) => [k, perStep(a, k) - perStep(b, k), perStep(a, k)] as const).sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]));
  for (const [k, d, v] of rows.slice(0, top)) console.log(`  ${(d >= 0 ? "+" : "") + d.toFixed(2).padStart(6)} µs (${v.toFixed(2).padStart(6)})  ${k}`);
}
