/**
 * Profile helper (not part of `pnpm bench`): runs engine steps of one figure under the V8 CPU
 * profiler and prints the top functions by self time, grouped by file; or, with --kernels, times
 * every backend kernel call (the backend is wrapped) and prints where a step's time goes: per
 * kernel µs/step, calls/step and ns/element, the time spent outside kernels (graph, allocation,
 * dispatch), CPU user/system time and minor page faults per step.
 *
 *   pnpm --filter @regularize/bench run bench:profile --figure b10 --seconds 5 [--backend ts] [--out x.cpuprofile]
 *   pnpm --filter @regularize/bench run bench:profile --figure b100 --kernels
 *   (figure: b100 | b10 | wide | mod; --out also saves the profile for Chrome DevTools)
 */
import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { makeProblem, type MlpSpec } from "./data.js";
import { EngineMlp } from "./mlp-engine.js";
import { type Backend, getBackend, setBackend, tsBackend } from "@regularize/core-autodiff";
import { readFileSync } from "node:fs";

const { values } = parseArgs({
  // `pnpm … -- --flag` forwards the `--` itself: drop it
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--")),
  options: {
    figure: { type: "string", default: "b10" },
    seconds: { type: "string", default: "5" },
    top: { type: "string", default: "30" },
    out: { type: "string" },
    backend: { type: "string" },
    kernels: { type: "boolean", default: false },
  },
});
const specs: Record<string, MlpSpec> = {
  b100: { id: "b100", sizes: [40, 100, 100, 10], batch: 100, lr: 0.1, nBatches: 8, seed: 1 },
  mod: { id: "b100", sizes: [40, 100, 100, 10], batch: 100, lr: 0.1, nBatches: 8, seed: 1 },
  b10: { id: "b10", sizes: [40, 100, 100, 10], batch: 10, lr: 0.1, nBatches: 8, seed: 2 },
  wide: { id: "wide", sizes: [40, 1024, 1024, 10], batch: 256, lr: 0.1, nBatches: 2, seed: 3 },
};
if (values.backend === "ts") setBackend(tsBackend);
const figure = values.figure!;
const spec = specs[figure];
if (!spec) throw new Error(`unknown figure ${figure}`);

/** Minor page faults of this process so far (Linux; 0 elsewhere). */
function minorFaults(): number {
  try {
    return Number(readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")[7]);
  } catch {
    return 0;
  }
}

// --kernels: wrap the backend so every kernel call is timed
interface Acc { ms: number; calls: number; elems: number }
const acc = new Map<string, Acc>();
if (values.kernels) {
  const base = getBackend();
  const timed = <A extends unknown[]>(name: string, f: (...a: A) => void, key: (...a: A) => string, elems: (...a: A) => number) =>
    (...a: A): void => {
      const t = performance.now();
      f(...a);
      const dt = performance.now() - t;
      const k = `${name}${key(...a)}`;
      const e = acc.get(k) ?? { ms: 0, calls: 0, elems: 0 };
      e.ms += dt; e.calls++; e.elems += elems(...a);
      acc.set(k, e);
    };
  const wrapped: Backend = {
    ...base,
    name: `${base.name} (timed)`,
    unary: timed("unary ", base.unary, (op) => op, (_op, x) => x.length),
    binary: timed("binary ", base.binary, (op, a, _as, b, _bs, out) => `${op}${a.length === out.length && b.length === out.length ? "" : a.length === 1 || b.length === 1 ? " (scalar)" : " (broadcast)"}`, (_o, _a, _as, _b, _bs, out) => out.length),
    gemm: timed("gemm", base.gemm, () => "", (_a, _ao, _b, _bo, _c, _co, M, N, K) => M * N * K),
    reduce: timed("reduce ", base.reduce, (op) => op, (_op, x) => x.length),
    where: timed("where", base.where, () => "", (...a) => a[6].length),
    stridedCopy: timed("stridedCopy", base.stridedCopy, () => "", (_x, _o, _s, _sh, out) => out.length),
    stridedAccumulate: timed("stridedAccumulate", base.stridedAccumulate, () => "", (src) => src.length),
    gather: timed("gather", base.gather, () => "", (...a) => a[7].length),
    scatterAdd: timed("scatterAdd", base.scatterAdd, () => "", (src) => src.length),
  };
  setBackend(wrapped);
}

const m = new EngineMlp(makeProblem(spec));
const step = figure === "mod" ? () => m.modifiedStep() : () => m.step();
for (let i = 0; i < 20 && figure !== "wide"; i++) step(); // warm-up

if (values.kernels) {
  acc.clear();
  const until = performance.now() + Number(values.seconds) * 1000;
  const f0 = minorFaults(), c0 = process.cpuUsage(), t0 = performance.now();
  let n = 0;
  while (performance.now() < until) { step(); n++; }
  const wall = (performance.now() - t0) / n, cpu = process.cpuUsage(c0), faults = (minorFaults() - f0) / n;
  const rows = [...acc].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = rows.reduce((p, [, e]) => p + e.ms, 0) / n;
  const us = (ms: number) => (ms * 1000).toFixed(1).padStart(8);
  console.log(`${figure} (backend ${getBackend().name}): ${n} steps, ${us(wall)} µs/step wall (timing wrappers included); CPU user ${(cpu.user / n).toFixed(0)} + system ${(cpu.system / n).toFixed(0)} µs/step; ${faults.toFixed(1)} minor page faults/step`);
  console.log(`  in kernels ${us(inKernels)} µs/step (${((100 * inKernels) / wall).toFixed(0)}%), outside kernels ${us(wall - inKernels)} µs/step (graph, allocation, dispatch, JS glue)`);
  console.log(`  ${"kernel".padEnd(26)} ${"µs/step".padStart(8)} ${"calls/step".padStart(10)} ${"ns/elem".padStart(8)}   (gemm: ns per multiply-add)`);
  for (const [k, e] of rows.slice(0, Number(values.top))) {
    console.log(`  ${k.padEnd(26)} ${us(e.ms / n)} ${(e.calls / n).toFixed(1).padStart(10)} ${(e.elems > 0 ? (e.ms * 1e6) / e.elems : NaN).toFixed(2).padStart(8)}`);
  }
  process.exit(0);
}

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
console.log(`${figure} (backend ${getBackend().name}): ${steps} steps in ${elapsed.toFixed(0)} ms = ${(elapsed / steps).toFixed(3)} ms/step; ${total} samples`);
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
