/**
 * Sweep throughput: `regularize sweep` (apps/cli; no workspace dependency) training `runs`
 * independent short MNIST-1D MLPs on its worker-thread pool, once with every core and once with a
 * single worker, interleaved over rounds. The figure is the CLI's own "N runs in X s" (pool
 * start-up included, process start-up not), median per setting. The built CLI (apps/cli/dist, what
 * `regularize` runs) is used when it is newer than every workspace source file; otherwise the
 * sources run through tsx, whose per-worker transpiling adds ~1 s of start-up to each worker.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = resolve(ROOT, "apps/cli/src/cli.ts");
const CLI_DIST = resolve(ROOT, "apps/cli/dist/cli.js");

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = resolve(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** How the CLI is launched: the build when it is up to date, else the sources through tsx. */
export function cliCommand(): { readonly args: readonly string[]; readonly built: boolean } {
  // SWEEP_CLI=path/to/cli.js runs that build as is (e.g. to compare two builds of the CLI on the same
  // package builds while the package sources are being edited); it is not checked for freshness
  if (process.env.SWEEP_CLI) return { args: [resolve(ROOT, process.env.SWEEP_CLI)], built: true };
  // every workspace package's build must be newer than its own sources
  const fresh = (pkg: string, entry: string): boolean => {
    const out = resolve(pkg, "dist", entry);
    return existsSync(out) && newestMtime(resolve(pkg, "src")) <= statSync(out).mtimeMs;
  };
  const pkgs = readdirSync(resolve(ROOT, "packages")).map((d) => resolve(ROOT, "packages", d)).filter((d) => existsSync(resolve(d, "src")));
  if (fresh(resolve(ROOT, "apps/cli"), "cli.js") && pkgs.every((d) => fresh(d, "index.js"))) return { args: [CLI_DIST], built: true };
  return { args: ["--import", "tsx", "--conditions=source", CLI], built: false };
}

/** One sweep as the CLI reports it: wall seconds (pool start-up included), the process's CPU seconds, and the 1-minute loadavg before it started. */
export interface SweepTiming {
  readonly seconds: number;
  /** CPU time of the whole CLI process over the sweep (every thread: workers, V8's compiler and GC helpers); NaN from an older CLI. */
  readonly cpuSeconds: number;
  readonly loadavg: number;
}

/** One sweep's wall time in seconds as the CLI reports it. */
export async function timeSweep(workers: number, runs: number, steps: number): Promise<number> {
  return (await timeSweepDetailed(workers, runs, steps)).seconds;
}

/** One sweep's wall time, CPU time and the loadavg before it (see SweepTiming). */
export async function timeSweepDetailed(workers: number, runs: number, steps: number): Promise<SweepTiming> {
  const load = loadavg()[0]!;
  // a fresh run folder each time: the sweep resumes (skips) trials already in its folder
  const runDir = mkdtempSync(join(tmpdir(), "bench-sweep-"));
  const args = [...cliCommand().args, "sweep", "mnist1d", "--seeds", String(runs), "--set", `steps=${steps}`, "--workers", String(workers), "--out", runDir];
  const out = await new Promise<string>((res, rej) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    let o = "", e = "";
    p.stdout.on("data", (d: Buffer) => { o += d.toString(); });
    p.stderr.on("data", (d: Buffer) => { e += d.toString(); });
    p.on("error", rej);
    p.on("exit", (code) => (code === 0 ? res(o) : rej(new Error(`regularize sweep exited ${code}: ${e.slice(-1500)}`))));
  });
  const m = /(\d+) runs in ([\d.]+) s on (\d+) workers?/.exec(out);
  if (!m) throw new Error(`unexpected sweep output: ${out.slice(-500)}`);
  const cpu = /process CPU ([\d.]+) s/.exec(out);
  return { seconds: Number(m[2]), cpuSeconds: cpu ? Number(cpu[1]) : NaN, loadavg: load };
}

/** Result of the sweep figure. */
export interface SweepFigure {
  /** Whether the built CLI ran (else the sources through tsx). */
  readonly builtCli: boolean;
  readonly runs: number;
  readonly steps: number;
  readonly workers: number;
  readonly secondsPool: readonly number[];
  readonly secondsOne: readonly number[];
  readonly medianPool: number;
  readonly medianOne: number;
  /** Throughput of the pool over one worker (median one-worker time / median pool time). */
  readonly speedup: number;
  /** The CLI process's CPU seconds per sweep (all threads), in the order of secondsPool / secondsOne. */
  readonly cpuPool: readonly number[];
  readonly cpuOne: readonly number[];
  /** 1-minute loadavg before each sweep (the machine is shared: other jobs' load is part of the figure). */
  readonly loadPool: readonly number[];
  readonly loadOne: readonly number[];
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Interleave pool / one-worker sweeps for `rounds` rounds. */
export async function sweepFigure(opts: { runs: number; steps: number; rounds: number; workers?: number; onSweep?: (workers: number, t: SweepTiming) => void }): Promise<SweepFigure> {
  const workers = opts.workers ?? availableParallelism();
  const pool: SweepTiming[] = [], one: SweepTiming[] = [];
  const time = async (w: number, into: SweepTiming[]) => {
    const t = await timeSweepDetailed(w, opts.runs, opts.steps);
    opts.onSweep?.(w, t);
    into.push(t);
  };
  for (let r = 0; r < opts.rounds; r++) {
    if (r % 2 === 0) { await time(workers, pool); await time(1, one); }
    else { await time(1, one); await time(workers, pool); }
  }
  const medianPool = median(pool.map((t) => t.seconds)), medianOne = median(one.map((t) => t.seconds));
  return {
    builtCli: cliCommand().built, runs: opts.runs, steps: opts.steps, workers,
    secondsPool: pool.map((t) => t.seconds), secondsOne: one.map((t) => t.seconds), medianPool, medianOne, speedup: medianOne / medianPool,
    cpuPool: pool.map((t) => t.cpuSeconds), cpuOne: one.map((t) => t.cpuSeconds), loadPool: pool.map((t) => t.loadavg), loadOne: one.map((t) => t.loadavg),
  };
}

/** Peak RSS (MB) of one `regularize mnist1d` training (the reference protocol: 6000 steps), via /usr/bin/time -v (built CLI when current, else tsx, which adds ~60 MB). */
export async function mnist1dPeakRss(steps = 6000): Promise<{ maxRssMB: number; seconds: number; builtCli: boolean } | string> {
  // a temp run folder: without --out the CLI writes runs/<id> into the repo
  const runDir = mkdtempSync(join(tmpdir(), "bench-rss-"));
  const args = ["-v", process.execPath, ...cliCommand().args, "mnist1d", "--steps", String(steps), "--eval-every", "0", "--out", join(runDir, "run")];
  return await new Promise<{ maxRssMB: number; seconds: number; builtCli: boolean } | string>((res) => {
    const p = spawn("/usr/bin/time", args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let e = "";
    p.stderr.on("data", (d: Buffer) => { e += d.toString(); });
    p.on("error", (err) => res(`/usr/bin/time unavailable: ${String(err)}`));
    p.on("exit", (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(e), wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(e);
      if (code !== 0 || !rss) { res(`mnist1d failed (${code}): ${e.slice(-500)}`); return; }
      const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
      res({ maxRssMB: Number(rss[1]) / 1024, seconds, builtCli: cliCommand().built });
    });
  }).finally(() => rmSync(runDir, { recursive: true, force: true }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Standalone: the bench's figure (8 runs × 600 steps) by default; STEPS=3000 gives the second,
  // amortised figure (same trainings, long enough that each worker's fixed start-up cost, ~1 s of
  // CPU for V8's compiler in every worker, weighs little). ROUNDS sets the interleaved rounds.
  const steps = Number(process.env.STEPS ?? 600), rounds = Number(process.env.ROUNDS ?? 3);
  console.error(`sweep: 8 runs × ${steps} steps, ${rounds} interleaved rounds, CLI: ${cliCommand().built ? cliCommand().args.join(" ") : "sources through tsx (the build is missing or stale)"}`);
  const fig = await sweepFigure({
    runs: 8, steps, rounds,
    onSweep: (w, t) => console.error(`  ${w} worker${w === 1 ? "" : "s"}: ${t.seconds.toFixed(1)} s, CPU ${t.cpuSeconds.toFixed(1)} s, loadavg ${t.loadavg.toFixed(2)}`),
  });
  console.log(JSON.stringify(fig, null, 2));
}
