/**
 * `pnpm bench`: steps/s of MLP training with our engine, side by side with a hand-written
 * Float64Array loop and (when installed) PyTorch on one thread — same data, same weights, same
 * SGD steps, timed interleaved in one run. See bench/README.md for what each figure means.
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { getBackend, setBackend, tsBackend } from "@regularize/core-autodiff";
import { type MlpSpec, type Problem, makeProblem, stepFlops } from "./data.js";
import { type ExactnessReport, checkModifiedGradient, checkModifiedGradient32 } from "./exactness.js";
import { EngineMlp } from "./mlp-engine.js";
import { HandMlp } from "./mlp-handwritten.js";
import { type InterleaveOptions, type Runner, type Timing, interleave, timeSteps } from "./stats.js";
import { type TorchImpl, TorchServer } from "./torch.js";
import { type BrowserResult, runBrowserBench } from "./browser.js";
import { type SweepFigure, mnist1dPeakRss, sweepFigure } from "./sweep.js";
import { formatQueueLoad, queueLoad } from "./queue-load.js";
import { FIT_RUNNERS, TorchLoop, fitTimings } from "./fit-bench.js";
import { mnist1dWall } from "./cli-mnist1d.js";
import { fitRss, rssVerdict } from "./fit-process.js";
import { averagingFigure, ensembleFigure, printAveraging, printEnsemble } from "./ensemble.js";
import { augmentFigure } from "./augment.js";
import { type PlaygroundFigure, playgroundFigure } from "./playground.js";
import { vmapFigure } from "./vmap.js";

const FIGURES = ["b100", "b10", "wide", "mod", "sweep", "rss", "queue", "browser", "fit", "fitwall", "fitrss", "ensemble", "averaging", "augment", "playground", "vmap"] as const;
const USAGE = `usage: pnpm bench [--quick | --full] [--json] [--out FILE] [--only ${FIGURES.join(",")}] [--rounds N] [--no-torch] [--backend ts] [--python PATH]
  --quick      short smoke run (few rounds, tiny blocks)
  --full       the long settings: sweep 3 rounds plus the 600-step sweep, ensemble 3 rounds, fit 7 rounds
  --json       print the machine-readable result (JSON) on stdout; the report goes to stderr
  --out FILE   also write the JSON result to FILE
  --only IDS   run only these figures (comma-separated: ${FIGURES.join(", ")})
  --rounds N   interleaved rounds per figure (default 9; wide: 5)
  --no-torch   skip the PyTorch baseline
  --backend ts run the engine on its pure-TS kernels (default: the engine's default backend)
  --python P   interpreter for the PyTorch baseline (default /usr/bin/python3)`;

const { values: args } = parseArgs({
  // `pnpm … -- --flag` forwards the `--` itself: drop it
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--")),
  options: {
    quick: { type: "boolean", default: false },
    full: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    out: { type: "string" },
    only: { type: "string" },
    rounds: { type: "string" },
    "no-torch": { type: "boolean", default: false },
    backend: { type: "string" },
    python: { type: "string", default: "/usr/bin/python3" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
  allowPositionals: false,
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const quick = args.quick;
const full = args.full && !quick;
const ALPHA = 0.1;
const LR = 0.1;
const only = new Set((args.only ?? FIGURES.join(",")).split(",").map((s) => s.trim()).filter(Boolean));
for (const id of only) if (!(FIGURES as readonly string[]).includes(id)) throw new Error(`--only: unknown figure ${id}\n${USAGE}`);
if (args.backend !== undefined) {
  if (args.backend !== "ts") throw new Error(`--backend: only "ts" can be selected explicitly (got ${args.backend})\n${USAGE}`);
  setBackend(tsBackend);
}
const roundsArg = args.rounds !== undefined ? Number(args.rounds) : undefined;
if (roundsArg !== undefined && !(Number.isInteger(roundsArg) && roundsArg > 0)) throw new Error(`--rounds must be a positive integer`);

// the report goes to stdout, or to stderr when stdout carries the JSON
const say = (s = ""): void => { (args.json ? process.stderr : process.stdout).write(s + "\n"); };

const SPECS: Record<"b100" | "b10" | "wide", MlpSpec> = {
  b100: { id: "b100", sizes: [40, 100, 100, 10], batch: 100, lr: LR, nBatches: 8, seed: 1 },
  b10: { id: "b10", sizes: [40, 100, 100, 10], batch: 10, lr: LR, nBatches: 8, seed: 2 },
  wide: { id: "wide", sizes: [40, 1024, 1024, 10], batch: 256, lr: LR, nBatches: 2, seed: 3 },
};

const TIMING = {
  small: { rounds: roundsArg ?? (quick ? 3 : 9), blockMs: quick ? 50 : 150, warmupMs: quick ? 250 : 500, warmupSteps: quick ? 10 : 20 },
  mod: { rounds: roundsArg ?? (quick ? 3 : 9), blockMs: quick ? 40 : 200, warmupMs: quick ? 80 : 600, warmupSteps: quick ? 2 : 10 },
  wide: { rounds: roundsArg ?? (quick ? 1 : 5), blockMs: 1, warmupMs: 0, warmupSteps: 1, maxStepsPerBlock: 1 },
  // whole fit() calls per block: long blocks so fit's start-up is a small share of each
  augment: { rounds: roundsArg ?? (quick ? 3 : 9), blockMs: quick ? 300 : 1500, warmupMs: quick ? 300 : 1500, warmupSteps: quick ? 1 : 2 },
  // one step = one vmap call (100 per-example gradients); the loop takes ~50 ms per call
  vmap: { rounds: roundsArg ?? (quick ? 3 : 9), blockMs: quick ? 60 : 250, warmupMs: quick ? 100 : 500, warmupSteps: quick ? 2 : 5 },
} satisfies Record<string, InterleaveOptions>;
const K_PLAIN = quick ? 5 : 20, K_WIDE = quick ? 1 : 3, K_MOD = quick ? 2 : 5;

const TARGETS = {
  b10Hand: 1.3,      // engine step time / hand-written step time at batch 10 (at most)
  b10Torch: 1.2,     // engine jit steps/s / PyTorch steps/s at batch 10, same dtype (at least; issue 7)
  b100Torch: 0.5,    // same at batch 100
  wideTorch: 0.35,   // wide MLP, engine float32 steps/s / PyTorch float32 steps/s (at least)
  wideGflops: 27,    // wide MLP, engine float32 GFLOP/s on one core (at least)
  modRatio: 3,       // modified-loss step / plain step, engine (at most)
  sweep: 1.6,        // 8 MNIST-1D trainings: pool (all cores) throughput / one worker (at least)
  rssMB: 200,        // peak RSS of the 6000-step MNIST-1D training (at most)
  fitB10Torch: 2.0,  // fit() + adam f32 steps/s / PyTorch loop f32 steps/s at batch 10 (at least; issue 17)
  fitB100Torch: 1.0, // same at batch 100
  fitPlugins: 1.15,  // fit() with l2 + dropout / plain fit() step time at batch 10 (at most)
  mnist1dWall: 3.0,  // `regularize mnist1d` with its defaults, wall seconds, start-up included (at most)
  fitRssGrowth: 1.1, // RSS at the end of 30 000 steps / RSS after the first 3000 (at most: flat)
  augment: 1.15,     // fit() step with the on-the-fly augmentation plugin / plain fit() step (at most; issue 15)
  vmap: 5,           // per-example gradients b100: loop time / batched vmap time (at least; issue 17)
};
const ENGINE_TS = "engine, TS backend";

// ---------- formatting ----------
const f = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const sci = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : String(x));
const pad = (s: string, n: number): string => (s.length >= n ? s : s + " ".repeat(n - s.length));
const lpad = (s: string, n: number): string => (s.length >= n ? s : " ".repeat(n - s.length) + s);
const verdict = (ok: boolean): string => (ok ? "PASS" : "MISS");

// ---------- runners ----------
/** The hand-written network on the engine's backend GEMM (isolates the framework's overhead). */
const HAND_EK = "hand-written, engine GEMM";
function engineRunner(name: string, m: EngineMlp, modified = false): Runner {
  return { name, run: (n) => timeSteps(n, modified ? () => m.modifiedStep() : () => m.step()) };
}
/** The same engine network with the pure-TS kernels swapped in for its blocks. */
function engineTsRunner(name: string, m: EngineMlp, modified = false): Runner {
  return {
    name,
    run: (n) => {
      const prev = setBackend(tsBackend);
      try {
        return timeSteps(n, modified ? () => m.modifiedStep() : () => m.step());
      } finally {
        setBackend(prev);
      }
    },
  };
}
function handRunner(name: string, m: HandMlp, modified = false): Runner {
  return { name, run: (n) => timeSteps(n, modified ? () => m.modifiedStep() : () => m.step()) };
}
function torchRunner(name: string, t: TorchServer, config: string, impl: TorchImpl): Runner {
  return { name, run: (n) => t.time(config, impl, n) };
}

// ---------- equivalence ----------
interface Trajectory { readonly losses: readonly number[]; readonly final: number }
interface Equivalence {
  readonly K: number;
  readonly final: Record<string, number>;
  /** max |Δloss| vs the engine over the K step losses and the final loss. */
  readonly maxAbsDiff: Record<string, number>;
}

function trajectory(m: { reset(): void; step(): number; modifiedStep(): number; evalLoss(i?: number): number }, K: number, modified: boolean): Trajectory {
  m.reset();
  const losses: number[] = [];
  for (let k = 0; k < K; k++) losses.push(modified ? m.modifiedStep() : m.step());
  const final = m.evalLoss(0);
  m.reset();
  return { losses, final };
}

async function equivalence(
  problem: Problem, K: number, modified: boolean, torch: TorchServer | null,
): Promise<Equivalence> {
  const trajs: Record<string, Trajectory> = {
    engine: trajectory(new EngineMlp(problem, ALPHA), K, modified),
    "engine jit": trajectory(new EngineMlp(problem, ALPHA, "float64", "jit"), K, modified),
    "hand-written": trajectory(new HandMlp(problem, ALPHA), K, modified),
    [HAND_EK]: trajectory(new HandMlp(problem, ALPHA, "engine"), K, modified),
  };
  if (torch) {
    trajs["torch f64"] = await torch.trajectory(problem.spec.id, modified ? "f64-mod" : "f64", K);
    trajs["torch f32"] = await torch.trajectory(problem.spec.id, modified ? "f32-mod" : "f32", K);
  }
  const ref = trajs.engine!;
  const final: Record<string, number> = {}, maxAbsDiff: Record<string, number> = {};
  for (const [name, t] of Object.entries(trajs)) {
    final[name] = t.final;
    let d = Math.abs(t.final - ref.final);
    t.losses.forEach((l, i) => { d = Math.max(d, Math.abs(l - ref.losses[i]!)); });
    maxAbsDiff[name] = d;
  }
  return { K, final, maxAbsDiff };
}

function printEquivalence(e: Equivalence, what: string): void {
  say(`  equivalence: ${e.K} identical SGD steps on ${what} from the same weights; loss at θ_${e.K} on batch 0`);
  for (const [name, v] of Object.entries(e.final)) {
    const d = e.maxAbsDiff[name]!;
    const verdictOf = name === "engine jit" ? (d === 0 ? "  bit-identical" : "  MISMATCH (jit must be bit-identical)") : name.endsWith("f32") ? "  (float32: informational)" : d <= 1e-9 ? "  ok" : "  MISMATCH";
    const note = name === "engine" ? "(reference)" : `max |Δ| vs engine over the run ${sci(d)}${verdictOf}`;
    say(`    ${pad(name, 22)} ${v.toFixed(15)}  ${note}`);
  }
}

function printTimings(ts: Map<string, Timing>, flops?: number): void {
  say(`  ${pad("implementation", 27)} ${lpad("ms/step", 10)} ${lpad("steps/s", 9)} ${lpad("IQR ms/step", 19)} ${lpad("CPU ms/step", 12)} ${lpad("steps/block", 11)}${flops ? lpad("GFLOP/s", 9) : ""}`);
  for (const t of ts.values()) {
    const g = flops ? lpad(f(flops / (t.msPerStep * 1e6), 2), 9) : "";
    say(`  ${pad(t.name, 27)} ${lpad(f(t.msPerStep, 3), 10)} ${lpad(f(t.stepsPerSec, 1), 9)} ${lpad(`${f(t.p25, 3)}–${f(t.p75, 3)}`, 19)} ${lpad(f(t.cpuMsPerStep, 3), 12)} ${lpad(String(t.stepsPerBlock), 11)}${g}`);
  }
}

function timingJson(ts: Map<string, Timing>, flops?: number): Record<string, object> {
  const o: Record<string, object> = {};
  for (const t of ts.values()) o[t.name] = { ...t, ...(flops ? { gflops: flops / (t.msPerStep * 1e6), cpuGflops: flops / (t.cpuMsPerStep * 1e6) } : {}) };
  return o;
}

/** A ratio of median step times a/b, by wall clock and by CPU time. */
interface Ratio { readonly wall: number; readonly cpu: number }
function timeRatio(ts: Map<string, Timing>, a: string, b: string): Ratio {
  const ta = ts.get(a)!, tb = ts.get(b)!;
  return { wall: ta.msPerStep / tb.msPerStep, cpu: ta.cpuMsPerStep / tb.cpuMsPerStep };
}
/** steps/s of a over steps/s of b (= time b / time a). */
function speedRatio(ts: Map<string, Timing>, a: string, b: string): Ratio {
  return timeRatio(ts, b, a);
}
const fr = (r: Ratio, d = 2): string => `${f(r.wall, d)}× (CPU time ${f(r.cpu, d)}×)`;

// ---------- main ----------
interface Summary {
  readonly figure: string;
  readonly value: number;
  /** The same figure computed from CPU time (timing figures only). */
  readonly cpuValue: number | null;
  readonly target: string;
  readonly pass: boolean | null;
  /** Why the value is missing (NaN): printed as "skipped: reason". */
  readonly reason?: string | undefined;
  /** The issue-17 target this row measures (the closing table picks rows by key). */
  readonly key?: Issue17Key;
}

/** The targets of issue 17, in the order of its closing table. */
const ISSUE17 = [
  { key: "fitB10", label: "fit() + adam b10 f32 vs PyTorch loop (steps/s ratio)", target: `≥ ${TARGETS.fitB10Torch}`, figure: "fit" },
  { key: "fitB100", label: "fit() + adam b100 f32 vs PyTorch loop (steps/s ratio)", target: `≥ ${TARGETS.fitB100Torch}`, figure: "fit" },
  { key: "fitPlugins", label: "fit() b10 with l2 + dropout / plain fit() (time)", target: `≤ ${TARGETS.fitPlugins}`, figure: "fit" },
  { key: "mnist1dWall", label: "regularize mnist1d, defaults, wall s (start-up incl.)", target: `≤ ${TARGETS.mnist1dWall}`, figure: "fitwall" },
  { key: "fitRss", label: "RSS over 30 000 fit() steps + plugins (end / step 3000)", target: `≤ ${TARGETS.fitRssGrowth}`, figure: "fitrss" },
  { key: "vmap", label: "vmap per-example grads b100 vs a loop (speed-up, worse dtype)", target: `≥ ${TARGETS.vmap}`, figure: "vmap" },
  { key: "playgroundB10", label: "playground worker b10 steps/s (browser / Node)", target: "reported", figure: "playground" },
  { key: "playgroundB100", label: "playground worker b100 steps/s (browser / Node)", target: "reported", figure: "playground" },
  { key: "playgroundPlugins", label: "playground worker b10 l2+dropout steps/s (browser / Node)", target: "reported", figure: "playground" },
] as const;
type Issue17Key = (typeof ISSUE17)[number]["key"];

async function main(): Promise<void> {
  const t0 = performance.now();
  const loadStart = loadavg();
  const result: Record<string, unknown> = {};
  const summary: Summary[] = [];
  // wall seconds per figure (each figure's time runs until the next one starts)
  const figureSeconds: Record<string, number> = {};
  let current: { id: string; t: number } | null = null;
  const figureStarted = (id: string | null): void => {
    const now = performance.now();
    if (current) figureSeconds[current.id] = (now - current.t) / 1000;
    current = id === null ? null : { id, t: now };
  };
  const cpu = cpus();
  say(`Regularize bench${quick ? " (--quick: smoke run, figures are noisy)" : ""}`);
  say(`node ${process.version}, ${cpu.length} CPU(s) ${cpu[0]?.model ?? ""}`.trimEnd());
  say(`loadavg at start: ${loadStart.map((x) => x.toFixed(2)).join(" ")}`);
  say(`engine backend: ${getBackend().name}`);

  const problems = new Map<string, Problem>();
  for (const id of ["b100", "b10", "wide"] as const) {
    if (only.has(id) || (id === "b100" && only.has("mod"))) problems.set(id, makeProblem(SPECS[id]));
  }

  let torch: TorchServer | null = null;
  let torchStatus: string;
  if (args["no-torch"]) torchStatus = "PyTorch: skipped (--no-torch)";
  else {
    const r = await TorchServer.start([...problems.values()], ALPHA, args.python);
    if (typeof r === "string") torchStatus = `PyTorch: not installed (apt-get install python3-torch) — ${r}`;
    else {
      torch = r;
      const blas = r.info.libblas ? `, BLAS ${r.info.libblas}` : r.info.torch_blas_info ? `, BLAS_INFO=${r.info.torch_blas_info}` : "";
      torchStatus = `PyTorch ${r.info.torch} (python ${r.info.python}, ${r.info.threads} thread${blas})`;
    }
  }
  say(torchStatus);
  result.meta = {
    node: process.version, backend: getBackend().name, cpus: cpu.length, cpuModel: cpu[0]?.model ?? null, quick, alpha: ALPHA, lr: LR,
    loadavgStart: loadStart, torch: torch?.info ?? null, torchStatus, date: new Date().toISOString(), targets: TARGETS,
  };

  try {
    // ----- 1, 2: the MNIST-1D MLP at batch 100 and 10 -----
    for (const id of ["b100", "b10"] as const) {
      if (!only.has(id)) continue;
      figureStarted(id);
      const problem = problems.get(id)!;
      const spec = problem.spec;
      say();
      say(`== MLP ${spec.sizes.join("-")} (ReLU, softmax CE mean, SGD lr ${spec.lr}), batch ${spec.batch} ==`);
      const eq = await equivalence(problem, K_PLAIN, false, torch);
      printEquivalence(eq, `batch-${spec.batch} data`);
      const runners: Runner[] = [
        engineRunner("engine", new EngineMlp(problem)),
        engineRunner("engine jit", new EngineMlp(problem, ALPHA, "float64", "jit")),
        engineRunner("engine f32", new EngineMlp(problem, ALPHA, "float32")),
        engineRunner("engine jit f32", new EngineMlp(problem, ALPHA, "float32", "jit")),
        engineTsRunner(ENGINE_TS, new EngineMlp(problem)),
        handRunner("hand-written", new HandMlp(problem)),
        handRunner(HAND_EK, new HandMlp(problem, ALPHA, "engine")),
      ];
      if (torch) runners.push(torchRunner("torch f64 1T", torch, id, "f64"), torchRunner("torch f32 1T", torch, id, "f32"));
      const ts = await interleave(runners, TIMING.small);
      say(`  timing: median of ${TIMING.small.rounds} interleaved blocks of ~${TIMING.small.blockMs} ms (after warm-up)`);
      printTimings(ts);
      const ratios: Record<string, Ratio> = {
        engineOverHandTime: timeRatio(ts, "engine", "hand-written"),
        engineOverHandEngineGemmTime: timeRatio(ts, "engine", HAND_EK),
        engineOverEngineTsStepsPerSec: speedRatio(ts, "engine", ENGINE_TS),
        jitOverEagerStepsPerSec: speedRatio(ts, "engine jit", "engine"),
        jitF32OverEagerF32StepsPerSec: speedRatio(ts, "engine jit f32", "engine f32"),
      };
      say(`  engine steps/s / engine on the pure-TS backend: ${fr(ratios.engineOverEngineTsStepsPerSec!)}`);
      say(`  jit steps/s / eager steps/s: float64 ${fr(ratios.jitOverEagerStepsPerSec!)};  float32 ${fr(ratios.jitF32OverEagerF32StepsPerSec!)}`);
      summary.push({ figure: `batch ${spec.batch}: engine jit / eager steps/s`, value: ratios.jitOverEagerStepsPerSec!.wall, cpuValue: ratios.jitOverEagerStepsPerSec!.cpu, target: "-", pass: null });
      summary.push({ figure: `batch ${spec.batch}: engine / engine TS backend steps/s`, value: ratios.engineOverEngineTsStepsPerSec!.wall, cpuValue: ratios.engineOverEngineTsStepsPerSec!.cpu, target: "-", pass: null });
      const oh = ratios.engineOverHandTime!;
      say(`  engine / hand-written step time: ${fr(oh)}${id === "b10" ? `  target ≤ ${TARGETS.b10Hand}×: ${verdict(oh.wall <= TARGETS.b10Hand)}` : ""}`);
      say(`  engine / hand-written on the engine's GEMM (framework overhead alone): ${fr(ratios.engineOverHandEngineGemmTime!)}`);
      summary.push({ figure: `batch ${spec.batch}: engine / hand-written, engine GEMM`, value: ratios.engineOverHandEngineGemmTime!.wall, cpuValue: ratios.engineOverHandEngineGemmTime!.cpu, target: "-", pass: null });
      if (id === "b10") summary.push({ figure: "batch 10: engine / hand-written time", value: oh.wall, cpuValue: oh.cpu, target: `≤ ${TARGETS.b10Hand}`, pass: oh.wall <= TARGETS.b10Hand });
      const target = id === "b10" ? TARGETS.b10Torch : TARGETS.b100Torch;
      const figures = [
        [`batch ${spec.batch}: engine / PyTorch f64 steps/s (eager)`, "engine", "torch f64 1T", false],
        [`batch ${spec.batch}: engine f32 / PyTorch f32 steps/s (eager)`, "engine f32", "torch f32 1T", false],
        [`batch ${spec.batch}: engine jit / PyTorch f64 steps/s`, "engine jit", "torch f64 1T", true],
        [`batch ${spec.batch}: engine jit f32 / PyTorch f32 steps/s`, "engine jit f32", "torch f32 1T", true],
      ] as const;
      if (torch) {
        ratios.engineOverTorchF64StepsPerSec = speedRatio(ts, "engine", "torch f64 1T");
        ratios.engineF32OverTorchF32StepsPerSec = speedRatio(ts, "engine f32", "torch f32 1T");
        ratios.jitOverTorchF64StepsPerSec = speedRatio(ts, "engine jit", "torch f64 1T");
        ratios.jitF32OverTorchF32StepsPerSec = speedRatio(ts, "engine jit f32", "torch f32 1T");
        ratios.handOverTorchF64StepsPerSec = speedRatio(ts, "hand-written", "torch f64 1T");
        for (const [figure, a, b, targeted] of figures) {
          const r = speedRatio(ts, a, b);
          say(`  ${a} steps/s / ${b} steps/s: ${fr(r, 3)}${targeted ? `  target ≥ ${target}×: ${verdict(r.wall >= target)}` : ""}`);
          summary.push({ figure, value: r.wall, cpuValue: r.cpu, target: targeted ? `≥ ${target}` : "-", pass: targeted ? r.wall >= target : null });
        }
        say(`  hand-written / PyTorch f64: ${fr(ratios.handOverTorchF64StepsPerSec, 3)}`);
      } else for (const [figure, , , targeted] of figures) summary.push({ figure, value: NaN, cpuValue: NaN, target: targeted ? `≥ ${target}` : "-", pass: null, reason: torchStatus });
      result[id] = { spec, flopsPerStep: stepFlops(spec), equivalence: eq, timings: timingJson(ts, stepFlops(spec)), ratios };
    }

    // ----- 3: the wide MLP -----
    if (only.has("wide")) {
      figureStarted("wide");
      const problem = problems.get("wide")!;
      const spec = problem.spec;
      const flops = stepFlops(spec);
      say();
      say(`== wide MLP ${spec.sizes.join("-")}, batch ${spec.batch} (${f(flops / 1e9, 3)} GFLOP/step nominal: 3 GEMMs × 2·M·N·K per layer) ==`);
      const eq = await equivalence(problem, K_WIDE, false, torch);
      printEquivalence(eq, `batch-${spec.batch} data`);
      const runners: Runner[] = [
        engineRunner("engine", new EngineMlp(problem)),
        engineRunner("engine f32", new EngineMlp(problem, ALPHA, "float32")),
        engineTsRunner(ENGINE_TS, new EngineMlp(problem)),
        handRunner("hand-written", new HandMlp(problem)),
      ];
      if (torch) runners.push(torchRunner("torch f64 1T", torch, "wide", "f64"), torchRunner("torch f32 1T", torch, "wide", "f32"));
      const ts = await interleave(runners, TIMING.wide);
      say(`  timing: median of ${TIMING.wide.rounds} interleaved single steps (after ${TIMING.wide.warmupSteps} warm-up step)`);
      printTimings(ts, flops);
      const eng = ts.get("engine")!;
      const gflops: Ratio = { wall: flops / (eng.msPerStep * 1e6), cpu: flops / (eng.cpuMsPerStep * 1e6) };
      const e32 = ts.get("engine f32")!;
      const gflops32: Ratio = { wall: flops / (e32.msPerStep * 1e6), cpu: flops / (e32.cpuMsPerStep * 1e6) };
      const ratios: Record<string, Ratio> = {
        engineOverHandTime: timeRatio(ts, "engine", "hand-written"), engineGflops: gflops, engineF32Gflops: gflops32,
        engineOverEngineTsStepsPerSec: speedRatio(ts, "engine", ENGINE_TS),
      };
      say(`  engine float64: ${f(gflops.wall, 2)} GFLOP/s (per CPU second: ${f(gflops.cpu, 2)});  engine / hand-written step time: ${fr(ratios.engineOverHandTime!)}`);
      say(`  engine float32: ${f(gflops32.wall, 2)} GFLOP/s (per CPU second: ${f(gflops32.cpu, 2)})  target ≥ ${TARGETS.wideGflops}: ${verdict(gflops32.wall >= TARGETS.wideGflops)}`);
      say(`  engine steps/s / engine on the pure-TS backend (float64): ${fr(ratios.engineOverEngineTsStepsPerSec!)}`);
      summary.push({ figure: "wide: engine float32 GFLOP/s", value: gflops32.wall, cpuValue: gflops32.cpu, target: `≥ ${TARGETS.wideGflops}`, pass: gflops32.wall >= TARGETS.wideGflops });
      summary.push({ figure: "wide: engine f64 / engine TS backend steps/s", value: ratios.engineOverEngineTsStepsPerSec!.wall, cpuValue: ratios.engineOverEngineTsStepsPerSec!.cpu, target: "-", pass: null });
      if (torch) {
        ratios.engineOverTorchF64StepsPerSec = speedRatio(ts, "engine", "torch f64 1T");
        ratios.engineF32OverTorchF32StepsPerSec = speedRatio(ts, "engine f32", "torch f32 1T");
        const r32 = ratios.engineF32OverTorchF32StepsPerSec;
        say(`  engine f64 steps/s / PyTorch f64 steps/s: ${fr(ratios.engineOverTorchF64StepsPerSec, 3)};  engine f32 / PyTorch f32: ${fr(r32, 3)}  target ≥ ${TARGETS.wideTorch}×: ${verdict(r32.wall >= TARGETS.wideTorch)}`);
        summary.push({ figure: "wide: engine f32 / PyTorch f32 steps/s", value: r32.wall, cpuValue: r32.cpu, target: `≥ ${TARGETS.wideTorch}`, pass: r32.wall >= TARGETS.wideTorch });
        summary.push({ figure: "wide: engine f64 / PyTorch f64 steps/s", value: ratios.engineOverTorchF64StepsPerSec.wall, cpuValue: ratios.engineOverTorchF64StepsPerSec.cpu, target: "-", pass: null });
      } else summary.push({ figure: "wide: engine f32 / PyTorch f32 steps/s", value: NaN, cpuValue: NaN, target: `≥ ${TARGETS.wideTorch}`, pass: null, reason: torchStatus });
      result.wide = { spec, flopsPerStep: flops, equivalence: eq, timings: timingJson(ts, flops), ratios };
    }

    // ----- 4: the modified loss L + α/4‖∇L‖² on the batch-100 MLP -----
    if (only.has("mod")) {
      figureStarted("mod");
      const problem = problems.get("b100")!;
      const spec = problem.spec;
      say();
      say(`== modified loss M = L + α/4·‖∇L‖² (α = ${ALPHA}), MLP ${spec.sizes.join("-")}, batch ${spec.batch}: ∇M by nested grad ==`);
      const ex: ExactnessReport = checkModifiedGradient(problem, ALPHA);
      say(`  exactness at the initial weights, float64, random unit direction v (seed ${ex.directionSeed}):`);
      say(`    ⟨∇M, v⟩ from the engine's nested grad      ${ex.analytic.toExponential(15)}`);
      say(`    central FD of M (Richardson, h=${ex.h})  ${ex.finiteDiff.toExponential(15)}   relative error ${sci(ex.relError)}`);
      say(`    plain central FD, relative error by h: ${ex.plainCentral.map((p) => `h=${p.h}: ${Number.isNaN(p.relError) ? "crosses a ReLU kink" : sci(p.relError)}`).join(", ")}`);
      say(`    ‖∇M engine − ∇M hand-written (R-operator)‖ / ‖∇M‖: ${sci(ex.relErrorVsHandwritten)}`);
      say(`    (for scale: a gradient missing the (α/2)·H∇L term would show relative error ${sci(ex.relErrorWithoutHessianTerm)})`);
      const exact = ex.relError < 1e-6 && ex.relErrorVsHandwritten < 1e-10;
      say(`    → ${exact ? "EXACT: agrees with finite differences to FD accuracy and with the hand-written Hessian–vector product to rounding" : "NOT EXACT"}`);
      summary.push({ figure: "modified loss: FD relative error", value: ex.relError, cpuValue: null, target: "< 1e-6", pass: ex.relError < 1e-6 });
      summary.push({ figure: "modified loss: vs hand-written ∇M", value: ex.relErrorVsHandwritten, cpuValue: null, target: "< 1e-10", pass: ex.relErrorVsHandwritten < 1e-10 });

      const eq = await equivalence(problem, K_MOD, true, torch);
      printEquivalence(eq, "the modified loss");
      const runners: Runner[] = [
        engineRunner("engine modified", new EngineMlp(problem, ALPHA), true),
        engineRunner("engine plain", new EngineMlp(problem, ALPHA)),
        engineRunner("engine jit modified", new EngineMlp(problem, ALPHA, "float64", "jit"), true),
        engineRunner("engine jit plain", new EngineMlp(problem, ALPHA, "float64", "jit")),
        engineTsRunner(`${ENGINE_TS}, modified`, new EngineMlp(problem, ALPHA), true),
        handRunner("hand-written modified", new HandMlp(problem, ALPHA), true),
        handRunner("hand, engine GEMM, modified", new HandMlp(problem, ALPHA, "engine"), true),
      ];
      if (torch) {
        runners.push(
          torchRunner("torch f64 modified", torch, "b100", "f64-mod"),
          torchRunner("torch f64 plain", torch, "b100", "f64"),
          torchRunner("torch f32 modified", torch, "b100", "f32-mod"),
        );
      }
      const ts = await interleave(runners, TIMING.mod);
      say(`  timing: median of ${TIMING.mod.rounds} interleaved blocks of ~${TIMING.mod.blockMs} ms`);
      printTimings(ts);
      const mp = timeRatio(ts, "engine modified", "engine plain");
      const ratios: Record<string, Ratio> = {
        engineModifiedOverPlain: mp,
        engineModifiedOverHandModifiedTime: timeRatio(ts, "engine modified", "hand-written modified"),
        engineModifiedOverHandEngineGemmModifiedTime: timeRatio(ts, "engine modified", "hand, engine GEMM, modified"),
        engineModifiedOverEngineTsStepsPerSec: speedRatio(ts, "engine modified", `${ENGINE_TS}, modified`),
      };
      say(`  engine modified steps/s / engine on the pure-TS backend: ${fr(ratios.engineModifiedOverEngineTsStepsPerSec!)}`);
      summary.push({ figure: "modified: engine / engine TS backend steps/s", value: ratios.engineModifiedOverEngineTsStepsPerSec!.wall, cpuValue: ratios.engineModifiedOverEngineTsStepsPerSec!.cpu, target: "-", pass: null });
      say(`  engine modified step / engine plain step: ${fr(mp)}  target ≤ ${TARGETS.modRatio}×: ${verdict(mp.wall <= TARGETS.modRatio)}`);
      say(`  engine modified / hand-written modified step time: ${fr(ratios.engineModifiedOverHandModifiedTime!)};  / on the engine's GEMM: ${fr(ratios.engineModifiedOverHandEngineGemmModifiedTime!)}`);
      summary.push({ figure: "modified / plain step (engine)", value: mp.wall, cpuValue: mp.cpu, target: `≤ ${TARGETS.modRatio}`, pass: mp.wall <= TARGETS.modRatio });
      const mpj = (ratios.engineJitModifiedOverPlain = timeRatio(ts, "engine jit modified", "engine jit plain"));
      ratios.jitModifiedOverEagerModifiedStepsPerSec = speedRatio(ts, "engine jit modified", "engine modified");
      say(`  engine jit modified step / engine jit plain step: ${fr(mpj)}  target ≤ ${TARGETS.modRatio}×: ${verdict(mpj.wall <= TARGETS.modRatio)};  jit / eager modified steps/s: ${fr(ratios.jitModifiedOverEagerModifiedStepsPerSec)}`);
      summary.push({ figure: "modified / plain step (engine jit)", value: mpj.wall, cpuValue: mpj.cpu, target: `≤ ${TARGETS.modRatio}`, pass: mpj.wall <= TARGETS.modRatio });
      if (torch) {
        ratios.torchModifiedOverPlain = timeRatio(ts, "torch f64 modified", "torch f64 plain");
        ratios.engineOverTorchF64StepsPerSec = speedRatio(ts, "engine modified", "torch f64 modified");
        ratios.engineOverTorchF32StepsPerSec = speedRatio(ts, "engine modified", "torch f32 modified");
        say(`  engine modified steps/s / PyTorch f64 modified steps/s: ${fr(ratios.engineOverTorchF64StepsPerSec, 3)};  / PyTorch f32: ${fr(ratios.engineOverTorchF32StepsPerSec, 3)}`);
        say(`  PyTorch's own modified / plain step: ${fr(ratios.torchModifiedOverPlain)}`);
        summary.push({ figure: "modified: engine / PyTorch f64 steps/s", value: ratios.engineOverTorchF64StepsPerSec.wall, cpuValue: ratios.engineOverTorchF64StepsPerSec.cpu, target: "-", pass: null });
        ratios.jitOverTorchF64StepsPerSec = speedRatio(ts, "engine jit modified", "torch f64 modified");
        say(`  engine jit modified steps/s / PyTorch f64 modified steps/s: ${fr(ratios.jitOverTorchF64StepsPerSec, 3)}`);
        summary.push({ figure: "modified: engine jit / PyTorch f64 steps/s", value: ratios.jitOverTorchF64StepsPerSec.wall, cpuValue: ratios.jitOverTorchF64StepsPerSec.cpu, target: "-", pass: null });
      }
      const ex32 = checkModifiedGradient32(problem, ALPHA);
      say(`  float32: ‖∇M f32 − ∇M f64‖ / ‖∇M f64‖ at the same (float32) weights: ${sci(ex32.relErrorVsF64)};  ⟨∇M, v⟩ f32 vs central FD of M in float64: relative error ${sci(ex32.relErrorFd)}`);
      summary.push({ figure: "modified loss float32: vs float64 ∇M", value: ex32.relErrorVsF64, cpuValue: null, target: "< 1e-4", pass: ex32.relErrorVsF64 < 1e-4 });
      (result as Record<string, unknown>).modFloat32 = ex32;
      result.mod = { spec, alpha: ALPHA, exactness: ex, equivalence: eq, timings: timingJson(ts), ratios };
    }
    await torch?.close();
    torch = null;

    // ----- 5: sweep throughput on the CLI's worker pool -----
    if (only.has("sweep")) {
      figureStarted("sweep");
      // the target figure: 8 full trainings (the MNIST-1D reference protocol's 6000 steps); then the
      // same with 600-step trainings, where each worker's start-up (module load, V8's optimising
      // compiler warming up: ~1.5 s of CPU per worker) is a large share of the work
      const runs = 8, rounds = quick ? 1 : full ? 3 : 2;
      const settings = [
        { steps: quick ? 600 : 6000, target: true, label: "full trainings (the reference protocol's length)" },
        // informational, ~40 s more: only with --full (or --quick, where it is short)
        ...(full || quick ? [{ steps: quick ? 100 : 600, target: false, label: "short trainings (start-up dominated)" }] : []),
      ];
      const figures: SweepFigure[] = [];
      for (const st of settings) {
        say();
        say(`== sweep: ${runs} MNIST-1D MLP trainings × ${st.steps} steps (regularize sweep), ${st.label}: worker pool vs one worker, ${rounds} interleaved round(s) ==`);
        const sw: SweepFigure = await sweepFigure({ runs, steps: st.steps, rounds });
        say(`  CLI: ${sw.builtCli ? "apps/cli/dist (up to date)" : "sources through tsx (the build is missing or older than the sources: pnpm build)"}`);
        say(`  ${sw.workers} workers: ${sw.secondsPool.map((x) => f(x, 1)).join(", ")} s (process CPU ${sw.cpuPool.map((x) => f(x, 1)).join(", ")} s);  1 worker: ${sw.secondsOne.map((x) => f(x, 1)).join(", ")} s (CPU ${sw.cpuOne.map((x) => f(x, 1)).join(", ")} s)`);
        say(`  throughput ${sw.workers} workers / 1 worker: ${f(sw.speedup, 2)}×${st.target ? `  target ≥ ${TARGETS.sweep}×: ${verdict(sw.speedup >= TARGETS.sweep)}` : ""}`);
        summary.push({ figure: `sweep ${st.steps} steps: ${sw.workers} workers / 1 worker throughput`, value: sw.speedup, cpuValue: null, target: st.target ? `≥ ${TARGETS.sweep}` : "-", pass: st.target ? sw.speedup >= TARGETS.sweep : null });
        figures.push(sw);
      }
      result.sweep = figures[0]!;
      if (figures[1]) (result as Record<string, unknown>).sweepShort = figures[1];
    }

    // ----- 6: peak RSS of the reference 6000-step MNIST-1D training -----
    if (only.has("rss")) {
      figureStarted("rss");
      const steps = quick ? 1000 : 6000;
      say();
      say(`== memory: peak RSS of regularize mnist1d (${steps} steps, the reference MLP; /usr/bin/time -v) ==`);
      const r = await mnist1dPeakRss(steps);
      if (typeof r === "string") { say(`  skipped: ${r}`); summary.push({ figure: "mnist1d peak RSS (MB)", value: NaN, cpuValue: null, target: `< ${TARGETS.rssMB}`, pass: null, reason: r }); }
      else {
        say(`  ${r.builtCli ? "built CLI" : "CLI sources through tsx (+~60 MB for the loader)"}: peak RSS ${f(r.maxRssMB, 1)} MB in ${f(r.seconds, 1)} s  target < ${TARGETS.rssMB} MB: ${verdict(r.maxRssMB < TARGETS.rssMB)}`);
        summary.push({ figure: `mnist1d ${steps} steps: peak RSS (MB)`, value: r.maxRssMB, cpuValue: null, target: `< ${TARGETS.rssMB}`, pass: r.maxRssMB < TARGETS.rssMB });
        result.rss = { steps, ...r };
      }
    }

    // ----- 6b: the sweep queue under load (issue 20): 1000 self-test trials, a worker SIGKILLed -----
    if (only.has("queue")) {
      figureStarted("queue");
      const trials = quick ? 200 : 1000;
      say();
      say(`== queue: ${trials} queue-selftest trials (ms = 0) through a local redis-server + BullMQ, 4 worker processes, one SIGKILLed at ~30 % ==`);
      const q = await queueLoad({ trials });
      if (typeof q === "string") { say(`  skipped: ${q}`); summary.push({ figure: "queue: coordination cost per trial (ms)", value: NaN, cpuValue: null, target: "≤ 5", pass: null, reason: q }); }
      else {
        for (const l of formatQueueLoad(q)) say(l);
        const exact = q.resultLines === q.trials && q.uniqueIds === q.trials && q.ok === q.trials && q.passwordLeaks === 0;
        summary.push({ figure: `queue: ${q.trials} trials, every result once, no password leaked`, value: exact ? 1 : 0, cpuValue: null, target: "= 1", pass: exact });
        summary.push({ figure: "queue: coordination cost per trial (ms)", value: q.coordinationMsPerTrial, cpuValue: null, target: "≤ 5", pass: q.coordinationMsPerTrial <= 5 });
        (result as Record<string, unknown>).queue = q;
      }
    }

    // ----- 8: ensemble members on 2 worker threads vs 1 (@regularize/ensemble's trainMembers) -----
    if (only.has("ensemble")) {
      figureStarted("ensemble");
      say();
      say(`== ensemble: 8 MNIST-1D MLP members (trainMembers), 2 worker threads vs 1, interleaved rounds ==`);
      const ef = await ensembleFigure({ members: 8, epochs: quick ? 2 : 15, rounds: quick ? 1 : full ? 3 : 2 });
      printEnsemble(ef, (t = "") => say(t));
      summary.push({ figure: "ensemble 8 members: 2 workers / 1 worker", value: ef.speedup, cpuValue: null, target: `≥ ${TARGETS.sweep}`, pass: ef.speedup >= TARGETS.sweep });
      result.ensemble = ef;
    }

    // ----- 9: per-step cost of the SWA and EMA plugins -----
    if (only.has("averaging")) {
      figureStarted("averaging");
      say();
      say(`== averaging: fit() per-step cost with the SWA / EMA plugins vs a plain step (MNIST-1D MLP, batch 100) ==`);
      const at = await averagingFigure(TIMING.small);
      printAveraging(at, (t = "") => say(t));
      const plain = at.get("plain step")!;
      for (const k of ["swa (every step)", "ema (every step)"]) {
        const t = at.get(k)!;
        summary.push({ figure: `${k.split(" ")[0]} step / plain step`, value: t.msPerStep / plain.msPerStep, cpuValue: t.cpuMsPerStep / plain.cpuMsPerStep, target: "≤ 1.1", pass: t.msPerStep / plain.msPerStep <= 1.1 });
      }
      result.averaging = Object.fromEntries([...at].map(([k, t]) => [k, { msPerStep: t.msPerStep, cpuMsPerStep: t.cpuMsPerStep, samples: t.samples }]));
    }

    // ----- 7: the MLP in headless Chromium -----
    if (only.has("browser")) {
      figureStarted("browser");
      say();
      say("== browser: the MLP benchmark in headless Chromium (/usr/bin/chromium), default backend (eager and jit) vs pure-TS kernels ==");
      const r: BrowserResult | string = await runBrowserBench({ rounds: quick ? 3 : 7, blockMs: quick ? 50 : 150 });
      if (typeof r === "string") {
        say(`  skipped: ${r}`);
        summary.push({ figure: "browser: engine MLP in Chromium", value: NaN, cpuValue: null, target: "-", pass: null, reason: r });
      } else {
        say(`  ${r.userAgent}; backend ${r.backend}`);
        for (const id of ["b100", "b10"] as const) {
          const e = r[id].engine, t = r[id]["engine TS"];
          const native = (result[id] as { timings?: Record<string, { msPerStep: number }> } | undefined)?.timings?.engine?.msPerStep;
          say(`  ${id}: engine ${f(e.msPerStep, 3)} ms/step (${f(e.stepsPerSec, 0)} steps/s), TS backend ${f(t.msPerStep, 3)} ms/step → ${f(t.msPerStep / e.msPerStep, 2)}×${native ? `;  browser / Node step time ${f(e.msPerStep / native, 2)}×` : ""}`);
          summary.push({ figure: `browser ${id}: engine / engine TS steps/s`, value: t.msPerStep / e.msPerStep, cpuValue: null, target: "-", pass: null });
          const j = r[id]["engine jit"], j32 = r[id]["engine jit f32"];
          say(`  ${id}: engine jit ${f(j.msPerStep, 3)} ms/step (${f(e.msPerStep / j.msPerStep, 2)}× eager), jit float32 ${f(j32.msPerStep, 3)} ms/step`);
          summary.push({ figure: `browser ${id}: engine jit / eager steps/s`, value: e.msPerStep / j.msPerStep, cpuValue: null, target: "-", pass: null });
        }
        result.browser = r;
      }
    }

    // ----- 8: fit() through the public API vs the idiomatic PyTorch loop -----
    if (only.has("fit")) {
      figureStarted("fit");
      say();
      say("== fit(): the MNIST-1D MLP with adam, float32, through fit() (one fit() call per block) vs the idiomatic PyTorch loop (1 thread) ==");
      const tl = args["no-torch"] ? "skipped (--no-torch)" : await TorchLoop.start(args.python);
      if (typeof tl === "string") say(`  PyTorch: ${tl}`);
      try {
        const { timings, side } = await fitTimings({ rounds: roundsArg ?? (quick ? 2 : full ? 7 : 5), steps10: quick ? 600 : 3000, steps100: quick ? 300 : 1500 }, typeof tl === "string" ? null : tl);
        for (const t of timings.values()) say(`  ${pad(t.name, 40)} ${lpad(f(t.msPerStep, 4), 8)} ms/step  (CPU ${f(t.cpuMsPerStep, 4)}; IQR ${f(t.p25, 4)}–${f(t.p75, 4)}; ${t.stepsPerBlock} steps/block)`);
        say(`  runs compiled: ${side.compiledRuns}; notices: ${side.notices.length === 0 ? "none" : [...new Set(side.notices)].join(" | ")}`);
        const get = (k: keyof typeof FIT_RUNNERS) => timings.get(FIT_RUNNERS[k]);
        const ratio = (a: Timing | undefined, b: Timing | undefined) => (a && b ? { wall: b.msPerStep / a.msPerStep, cpu: b.cpuMsPerStep / a.cpuMsPerStep } : { wall: NaN, cpu: NaN });
        const r10 = ratio(get("b10"), get("torch10")), r100 = ratio(get("b100"), get("torch100"));
        const plug = ratio(get("b10Plugins"), get("b10")), eager = ratio(get("b10"), get("b10Eager"));
        const noTorch = typeof tl === "string" ? `PyTorch loop: ${tl}` : undefined;
        summary.push({ key: "fitB10", figure: "fit() b10 f32 / PyTorch loop f32 steps/s", value: r10.wall, cpuValue: r10.cpu, target: `≥ ${TARGETS.fitB10Torch}`, pass: Number.isNaN(r10.wall) ? null : r10.wall >= TARGETS.fitB10Torch, reason: noTorch });
        summary.push({ key: "fitB100", figure: "fit() b100 f32 / PyTorch loop f32 steps/s", value: r100.wall, cpuValue: r100.cpu, target: `≥ ${TARGETS.fitB100Torch}`, pass: Number.isNaN(r100.wall) ? null : r100.wall >= TARGETS.fitB100Torch, reason: noTorch });
        summary.push({ key: "fitPlugins", figure: "fit() b10 l2+dropout / plain fit() time", value: 1 / plug.wall, cpuValue: 1 / plug.cpu, target: `≤ ${TARGETS.fitPlugins}`, pass: 1 / plug.wall <= TARGETS.fitPlugins });
        summary.push({ figure: "fit() b10: compiled / compile:false steps/s", value: eager.wall, cpuValue: eager.cpu, target: "-", pass: null });
        result.fit = Object.fromEntries(timings);
      } finally {
        if (typeof tl !== "string") await tl.close();
      }
    }

    // ----- 9: regularize mnist1d with its defaults, start-up included -----
    if (only.has("fitwall")) {
      figureStarted("fitwall");
      say();
      say("== regularize mnist1d (defaults: 6000 Adam steps at batch 100), wall time of the whole process ==");
      const r = await mnist1dWall(quick ? 1 : 5);
      if (typeof r === "string") {
        say(`  skipped: ${r}`);
        summary.push({ key: "mnist1dWall", figure: "regularize mnist1d wall seconds", value: NaN, cpuValue: null, target: `≤ ${TARGETS.mnist1dWall}`, pass: null, reason: r });
      } else {
        const list = (k: "seconds" | "cpuSeconds" | "mainCpuSeconds" | "startup" | "maxRssMB", d = 2) => r.runs.map((x) => (Number.isFinite(x[k]) ? f(x[k], d) : "n/a")).join(", ");
        say(`  ${r.builtCli ? "built CLI" : "CLI sources through tsx (the build is missing or stale: pnpm build)"}, ${r.runs.length} run${r.runs.length === 1 ? "" : "s"}`);
        say(`  wall ${list("seconds")} s (median ${f(r.median, 2)} s); start-up to the first progress report (step 30) ${list("startup")} s`);
        say(`  CPU user+sys ${list("cpuSeconds")} s (median ${f(r.cpuMedian, 2)} s; every thread, the plot renderer's on the second core included); peak RSS ${list("maxRssMB", 0)} MB`);
        say(`  main thread CPU ${list("mainCpuSeconds")} s (median ${f(r.mainCpuMedian, 2)} s; on an idle 2-core machine wall ≈ this + ~0.1 s)`);
        summary.push({ key: "mnist1dWall", figure: "regularize mnist1d wall seconds", value: r.median, cpuValue: null, target: `≤ ${TARGETS.mnist1dWall}`, pass: r.median <= TARGETS.mnist1dWall });
        summary.push({ figure: "regularize mnist1d CPU seconds (user+sys)", value: r.cpuMedian, cpuValue: null, target: "-", pass: null, reason: "/usr/bin/time is not installed" });
        summary.push({ figure: "regularize mnist1d start-up to first step (s)", value: r.startupMedian, cpuValue: null, target: "-", pass: null, reason: "the run folder's metrics.jsonl never appeared" });
        result.fitwall = r;
      }
    }

    // ----- 10: RSS over 30 000 fit() steps with plugins -----
    if (only.has("fitrss")) {
      figureStarted("fitrss");
      const steps = quick ? 6000 : 30000;
      say();
      say(`== memory: RSS over ${steps} steps of fit() with l2 + dropout (child process, sampled every 1000 steps) ==`);
      const r = await fitRss(steps);
      if (typeof r === "string") {
        say(`  skipped: ${r}`);
        summary.push({ key: "fitRss", figure: `fit ${steps} steps + plugins: RSS end / step 3000`, value: NaN, cpuValue: null, target: `≤ ${TARGETS.fitRssGrowth}`, pass: null, reason: r });
      }
      else {
        const v = rssVerdict(r, TARGETS.fitRssGrowth);
        say(`  compiled: ${r.compiled}; ${f(r.seconds, 1)} s; RSS MB (after a full GC) at steps 1000/3000/…/${r.samples[r.samples.length - 1]!.step}: ${r.samples.filter((s) => s.step % 3000 === 0 || s.step === 1000).map((s) => f(s.rssMB, 0)).join(" ")}`);
        say(`  ${v.text}`);
        summary.push({ key: "fitRss", figure: `fit ${steps} steps + plugins: RSS end / step 3000 (${v.flat ? "flat" : "NOT flat"}; ${f(v.otherBytesPerStep, 1)} B/step besides history)`, value: v.rssGrowth, cpuValue: null, target: `≤ ${TARGETS.fitRssGrowth}`, pass: v.flat });
        result.fitrss = r;
      }
    }

    // ----- 11: the on-the-fly augmentation plugin's cost per fit() step -----
    if (only.has("augment")) {
      figureStarted("augment");
      say();
      say("== augment: fit() step of the MNIST-1D MLP (Adam, batch 100) with dataAugmentation (shift + scale per batch) vs without ==");
      const figures = [];
      for (const dtype of ["float64", "float32"] as const) {
        const r = await augmentFigure(dtype, TIMING.augment);
        say(`  ${dtype}: plain ${f(r.plainMsPerStep, 3)} ms/step, inert plugin ${f(r.inertMsPerStep, 3)}, augmented ${f(r.augmentedMsPerStep, 3)} ms/step → ${fr(r.ratio)}  target ≤ ${TARGETS.augment}×: ${verdict(r.ratio.wall <= TARGETS.augment)}`);
        say(`  ${dtype}: augmented / inert plugin ${fr(r.ratioVsInert)}; batch-copy plugin / plain (fit's price for a replaced batch) ${fr(r.ratioCopy)}; augmented / batch-copy plugin (the augmentation's own work) ${fr(r.ratioVsCopy)}`);
        say(`  ${dtype}: the hook alone ${f(r.hookCpuUs, 1)} µs CPU per batch vs a plain step's ${f(r.plainCpuMsPerStep, 3)} ms CPU → implied ${f(r.impliedRatio, 3)}×`);
        summary.push({ figure: `augment ${dtype}: augmented / plain fit step time`, value: r.ratio.wall, cpuValue: r.ratio.cpu, target: `≤ ${TARGETS.augment}`, pass: r.ratio.wall <= TARGETS.augment });
        summary.push({ figure: `augment ${dtype}: augmented / inert-plugin step`, value: r.ratioVsInert.wall, cpuValue: r.ratioVsInert.cpu, target: "-", pass: null });
        summary.push({ figure: `augment ${dtype}: (step + hook CPU) / step CPU`, value: r.impliedRatio, cpuValue: null, target: "-", pass: null });
        figures.push(r);
      }
      result.augment = figures;
    }

    // ----- 13: vmap's per-example gradients, batched vs the loop (issue 17) -----
    if (only.has("vmap")) {
      figureStarted("vmap");
      say();
      say("== vmap: per-example gradients of the MNIST-1D MLP 40-100-100-10, batch 100: vmap(grad(loss)) batched vs the loop ==");
      const figures = [];
      for (const dtype of ["float64", "float32"] as const) {
        const r = await vmapFigure(dtype, TIMING.vmap);
        say(`  ${dtype}: batched ${f(r.batchedMsPerCall, 2)} ms/call, loop ${f(r.loopMsPerCall, 2)} ms/call → speed-up ${fr(r.ratio)}  target ≥ ${TARGETS.vmap}×: ${verdict(r.ratio.wall >= TARGETS.vmap)}  (max |batched − loop| ${sci(r.maxAbsDiff)}; loadavg ${loadavg().map((x) => x.toFixed(2)).join(" ")})`);
        figures.push(r);
      }
      // the issue-17 row is the worse of the two dtypes
      const worst = figures.reduce((a, b) => (b.ratio.wall < a.ratio.wall ? b : a));
      for (const r of figures) {
        summary.push({ ...(r === worst ? { key: "vmap" as const } : {}), figure: `vmap ${r.dtype}: per-example grads loop / batched time`, value: r.ratio.wall, cpuValue: r.ratio.cpu, target: `≥ ${TARGETS.vmap}`, pass: r.ratio.wall >= TARGETS.vmap });
      }
      result.vmap = figures;
    }

    // ----- 12: the playground's worker in headless Chromium (issue 17) -----
    if (only.has("playground")) {
      figureStarted("playground");
      const rounds = roundsArg ?? (quick ? 1 : 3);
      say();
      say(`== playground: the lab's Web Worker in headless Chromium (built with Vite, served on 127.0.0.1, playwright-core, "Run again" clicked), MNIST-1D MLP + adam, ${rounds} round(s), vs the same registry entry in Node ==`);
      const r: PlaygroundFigure | string = await playgroundFigure({ rounds, quick, log: (t) => say(t) })
        .catch((e: unknown) => `skipped: the run failed: ${e instanceof Error ? e.message : String(e)}`);
      const keys = { "b10": "playgroundB10", "b100": "playgroundB100", "b10 l2+dropout": "playgroundPlugins" } as const;
      if (typeof r === "string") {
        say(`  ${r}`);
        for (const [id, key] of Object.entries(keys)) summary.push({ key, figure: `playground worker ${id}: browser / Node steps/s`, value: NaN, cpuValue: null, target: "-", pass: null, reason: r.replace(/^skipped: /, "") });
      } else {
        say(`  ${r.userAgent}; build ${f(r.buildSeconds, 1)} s; console notices: ${r.notices.length === 0 ? "none" : [...new Set(r.notices)].join(" | ")}`);
        for (const row of r.rows) {
          const c = row.config;
          say(`  ${pad(c.id, 15)} batch ${lpad(String(c.batch), 3)}, ${c.steps} steps: browser worker ${lpad(f(row.browserMedian, 0), 6)} steps/s (rounds ${row.browser.map((x) => f(x, 0)).join(", ")}; run bar showed ${row.shown.join(", ")}), Node ${lpad(f(row.nodeMedian, 0), 6)} steps/s (${row.node.map((x) => f(x, 0)).join(", ")}; warm, a second run in the process: ${f(row.nodeWarmMedian, 0)}) → browser / Node ${f(row.ratio, 2)}×`);
          summary.push({ key: keys[c.id as keyof typeof keys], figure: `playground worker ${c.id}: browser / Node steps/s`, value: row.ratio, cpuValue: null, target: "-", pass: null });
        }
        result.playground = r;
      }
    }
  } finally {
    figureStarted(null);
    await torch?.close();
  }

  const loadEnd = loadavg();
  say();
  say("== summary ==  (value by wall clock; CPU-time value beside it)");
  for (const s of summary) {
    const fmt = (x: number) => (Number.isNaN(x) ? "n/a" : Math.abs(x) < 1e-3 && x !== 0 ? sci(x) : f(x, 3));
    if (Number.isNaN(s.value)) {
      say(`  ${pad(s.figure, 46)} skipped: ${s.reason ?? "not measured"}`);
      continue;
    }
    const cpuV = s.cpuValue === null || Number.isNaN(s.cpuValue) ? "" : `CPU ${fmt(s.cpuValue)}`;
    say(`  ${pad(s.figure, 46)} ${lpad(fmt(s.value), 9)}  ${pad(cpuV, 12)} target ${pad(s.target, 8)} ${s.pass === null ? "" : verdict(s.pass)}`);
  }
  say();
  say(`== issue 17 targets ==  (loadavg ${loadStart.map((x) => x.toFixed(2)).join(" ")} at start, ${loadEnd.map((x) => x.toFixed(2)).join(" ")} at end)`);
  const issue17 = ISSUE17.map((t) => {
    const rows = summary.filter((s) => s.key === t.key);
    const row = rows[0];
    let status: string;
    if (!row) status = t.figure === null ? "skipped: no such row in this bench yet" : `skipped: not run (pnpm bench --only ${t.figure})`;
    else if (Number.isNaN(row.value)) status = `skipped: ${row.reason ?? "not measured"}`;
    else status = `${f(row.value, 3)}${row.cpuValue !== null && !Number.isNaN(row.cpuValue) ? ` (CPU ${f(row.cpuValue, 3)})` : ""}  ${row.pass === null ? "reported" : verdict(row.pass)}`;
    if (row && t.key.startsWith("playground") && !Number.isNaN(row.value)) {
      const pg = (result.playground as PlaygroundFigure | undefined)?.rows.find((x) => `playground worker ${x.config.id}: browser / Node steps/s` === row.figure);
      if (pg) status += ` — browser ${f(pg.browserMedian, 0)} vs Node ${f(pg.nodeMedian, 0)} steps/s (Node warm ${f(pg.nodeWarmMedian, 0)})`;
    }
    say(`  ${pad(t.label, 60)} target ${pad(t.target, 9)} ${status}`);
    return { key: t.key, label: t.label, target: t.target, value: row && !Number.isNaN(row.value) ? row.value : null, pass: row?.pass ?? null, status };
  });
  result.issue17 = issue17;
  say(`  figure times: ${Object.entries(figureSeconds).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(", ")}`);
  const busy = Math.max(loadStart[0]!, loadEnd[0]!) > cpu.length;
  if (busy) say(`  note: loadavg exceeded the ${cpu.length} CPUs — other jobs shared the cores, so wall-clock figures are noisy; the CPU-time values are the steadier ones.`);
  const seconds = (performance.now() - t0) / 1000;
  say(`loadavg at end: ${loadEnd.map((x) => x.toFixed(2)).join(" ")}   (total ${seconds.toFixed(1)} s)`);
  result.summary = summary;
  (result.meta as Record<string, unknown>).figureSeconds = figureSeconds;
  (result.meta as Record<string, unknown>).loadavgEnd = loadEnd;
  (result.meta as Record<string, unknown>).seconds = seconds;
  const json = JSON.stringify(result, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? null : v), 2);
  if (args.out) writeFileSync(args.out, json + "\n");
  if (args.json) process.stdout.write(json + "\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
