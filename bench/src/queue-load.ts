/**
 * Queue load test (issue 20): 1000 `queue-selftest` trials (ms = 0) through a local redis-server
 * (with a password) and 4 `regularize worker` processes, one SIGKILLed at ~30 % of the results.
 * Prints trials/s and the coordination cost per trial (wall ÷ trials × workers), and checks that the
 * run folder holds the 1000 results, each id exactly once, and no output or file holds the password.
 * The workers use a 2 s lock / 1 s stalled check (the CLI's defaults are 20 s / 10 s), so the killed
 * worker's trials come back within ~3 s instead of ~30 s: the figure measures coordination, and the
 * recovery time is printed separately.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cliCommand } from "./sweep.js";

/** What the load test measured. */
export interface QueueLoadResult {
  readonly trials: number;
  readonly workers: number;
  readonly concurrency: number;
  /** The coordinator's own wall time (enqueue to last result), and the process's. */
  readonly wallS: number;
  readonly processWallS: number;
  readonly trialsPerS: number;
  /** wall ÷ trials × workers, in ms. */
  readonly coordinationMsPerTrial: number;
  /** CPU time of every process involved (workers, coordinator, redis-server) per trial, in ms: the load-independent cost. */
  readonly cpuMsPerTrial: number;
  /** redis-server's share of it (ms per trial): what bounds one Redis. */
  readonly redisCpuMsPerTrial: number;
  /** Results on disk when the worker was killed, and seconds from the kill to the last result. */
  readonly killedAtResults: number;
  readonly afterKillS: number;
  readonly resultLines: number;
  readonly uniqueIds: number;
  readonly ok: number;
  readonly passwordLeaks: number;
  readonly loadavg: readonly number[];
  readonly builtCli: boolean;
}

async function freePort(): Promise<number> {
  return await new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => { const p = (s.address() as { port: number }).port; s.close(() => res(p)); });
  });
}

/** CPU seconds (user + system, every thread) a live process has used so far, from /proc; 0 when gone. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime (fields 14, 15) in clock ticks of 1/100 s
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function redisServer(): string | undefined {
  if (existsSync("/usr/bin/redis-server")) return "/usr/bin/redis-server";
  const r = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Run the load test; a string when it cannot run (no redis-server). */
export async function queueLoad(opts: { trials?: number; workers?: number; concurrency?: number; killAt?: number } = {}): Promise<QueueLoadResult | string> {
  const trials = opts.trials ?? 1000, nWorkers = opts.workers ?? 4, concurrency = opts.concurrency ?? 2, killAt = opts.killAt ?? 0.3;
  const bin = redisServer();
  if (!bin) return "redis-server not found (apt-get install redis-server)";
  const password = `load-${process.pid}-${Date.now().toString(36)}`;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "queue-load-"));
  const out = join(dir, "run");
  const redis = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, "--requirepass", password], { stdio: ["ignore", "pipe", "pipe"] });
  let redisLog = "";
  redis.stdout!.on("data", (d: Buffer) => { redisLog += d.toString(); });
  const procs: Array<{ p: ChildProcess; out: string }> = [];
  const env = { ...process.env, FORCE_COLOR: "0", REGULARIZE_QUEUE: `redis://:${password}@127.0.0.1:${port}/0` };
  const cli = cliCommand();
  const start = (args: string[]) => {
    const p = spawn(process.execPath, [...cli.args, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    const rec = { p, out: "" };
    p.stdout!.on("data", (d: Buffer) => { rec.out += d.toString(); });
    p.stderr!.on("data", (d: Buffer) => { rec.out += d.toString(); });
    procs.push(rec);
    return rec;
  };
  try {
    for (let t = Date.now(); !/Ready to accept connections/.test(redisLog); await sleep(20)) if (Date.now() - t > 10_000) return "redis-server did not start";
    const workers = Array.from({ length: nWorkers }, () => start(["worker", "--concurrency", String(concurrency), "--lock-duration", "2000", "--stalled-interval", "1000"]));
    for (let t = Date.now(); !workers.every((w) => w.out.includes("serving")); await sleep(50)) if (Date.now() - t > 60_000) return `workers did not start: ${workers.map((w) => w.out).join(" | ").slice(0, 500)}`;
    const load = loadavg();
    const cpuStart = [...workers.map((w) => cpuSeconds(w.p.pid)), cpuSeconds(redis.pid)].reduce((a, b) => a + b, 0);
    let cpuKilled = 0;
    const redisStart = cpuSeconds(redis.pid);
    const t0 = performance.now();
    const coord = start(["sweep", "queue-selftest", "--seeds", String(trials), "--queue", "--out", out]);
    const exited = new Promise<number | null>((res) => coord.p.on("exit", (c) => res(c)));
    const resultsPath = join(out, "results.jsonl");
    const count = () => { try { return readFileSync(resultsPath, "utf8").split("\n").filter((l) => l.trim()).length; } catch { return 0; } };
    let killedAt = -1, tKill = 0, done = false, cpuCoord = 0;
    void exited.then(() => { done = true; });
    while (!done) {
      const n = count();
      if (killedAt < 0 && n >= trials * killAt) {
        cpuKilled = cpuSeconds(workers[0]!.p.pid);
        workers[0]!.p.kill("SIGKILL");
        killedAt = n;
        tKill = performance.now();
      }
      await sleep(killedAt < 0 ? 5 : 50);
      if (!done) cpuCoord = Math.max(cpuCoord, cpuSeconds(coord.p.pid));
    }
    const code = await exited;
    const processWallS = (performance.now() - t0) / 1000;
    if (code !== 0) return `coordinator exited ${code}: ${coord.out.slice(-800)}`;
    const m = /(\d+) runs in ([\d.]+) s on the queue/.exec(coord.out);
    const wallS = m ? Number(m[2]) : processWallS;
    const redisCpu = cpuSeconds(redis.pid) - redisStart;
    const cpuEnd = [...workers.slice(1).map((w) => cpuSeconds(w.p.pid)), cpuSeconds(redis.pid)].reduce((a, b) => a + b, 0) + cpuKilled + cpuCoord;
    const lines = readFileSync(resultsPath, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; status: string });
    for (const w of workers.slice(1)) w.p.kill("SIGTERM");
    await Promise.all(workers.slice(1).map((w) => new Promise((r) => (w.p.exitCode !== null ? r(null) : w.p.on("exit", r)))));
    const files = (function walk(d: string): string[] { return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)])); })(out);
    const leaks = procs.filter((r) => r.out.includes(password)).length + files.filter((f) => readFileSync(f, "utf8").includes(password)).length;
    return {
      trials, workers: nWorkers, concurrency, wallS, processWallS, trialsPerS: trials / wallS, coordinationMsPerTrial: (wallS / trials) * nWorkers * 1000, cpuMsPerTrial: ((cpuEnd - cpuStart) / trials) * 1000, redisCpuMsPerTrial: (redisCpu / trials) * 1000,
      killedAtResults: killedAt, afterKillS: (performance.now() - tKill) / 1000 - 0, resultLines: lines.length, uniqueIds: new Set(lines.map((l) => l.id)).size,
      ok: lines.filter((l) => l.status === "ok").length, passwordLeaks: leaks, loadavg: load, builtCli: cli.built,
    };
  } finally {
    for (const r of procs) if (r.p.exitCode === null) r.p.kill("SIGKILL");
    redis.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The result as report lines. */
export function formatQueueLoad(r: QueueLoadResult): string[] {
  const f = (x: number, d = 2) => x.toFixed(d);
  return [
    `  CLI: ${r.builtCli ? "apps/cli/dist" : "sources through tsx"}; ${r.workers} worker processes × concurrency ${r.concurrency} on ${availableParallelism()} cores; loadavg before ${r.loadavg.map((x) => f(x)).join(" ")}`,
    `  ${r.trials} trials in ${f(r.wallS, 1)} s (coordinator; process ${f(r.processWallS, 1)} s): ${f(r.trialsPerS, 0)} trials/s; coordination cost ${f(r.coordinationMsPerTrial)} ms per trial (wall ÷ trials × workers; target ≤ 5)`,
    `  CPU of every process (workers, coordinator incl. its start-up, redis-server): ${f(r.cpuMsPerTrial)} ms per trial (independent of the machine's load), of which redis-server ${f(r.redisCpuMsPerTrial, 3)} ms (→ one Redis core ≈ ${f(1000 / Math.max(r.redisCpuMsPerTrial, 1e-6), 0)} trials/s)`,
    `  worker 1 SIGKILLed at ${r.killedAtResults} results; last result ${f(r.afterKillS, 1)} s later (lock 2 s + stalled check 1 s)`,
    `  check: ${r.resultLines} result lines, ${r.uniqueIds} unique ids, ${r.ok} ok, password found in ${r.passwordLeaks} outputs/files: ${r.resultLines === r.trials && r.uniqueIds === r.trials && r.ok === r.trials && r.passwordLeaks === 0 ? "PASS" : "FAIL"}`,
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await queueLoad({ trials: Number(process.env.TRIALS ?? 1000) });
  if (typeof r === "string") { console.log(`queue load test: n/a: ${r}`); process.exit(0); }
  console.log(`== queue: ${r.trials} queue-selftest trials (ms = 0) through redis-server + BullMQ, one of ${r.workers} workers SIGKILLed at ~30 % ==`);
  for (const l of formatQueueLoad(r)) console.log(l);
  console.log(JSON.stringify(r));
  process.exit(r.resultLines === r.trials && r.uniqueIds === r.trials && r.passwordLeaks === 0 ? 0 : 1);
}
