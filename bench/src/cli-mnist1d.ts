/**
 * `regularize mnist1d` with its defaults (the reference protocol: 6000 Adam steps at batch 100, the
 * run folder with its plots) timed as a user runs it: the built CLI, the whole process from spawn to
 * exit. Also its CPU time (user + sys of every thread, from /usr/bin/time when installed: steadier
 * than wall time on a loaded machine, but it counts the plot renderer's thread on the second core,
 * which the wall time does not wait for), the main thread's CPU time alone (sampled from /proc: on an
 * idle 2-core machine the wall time is about it plus ~0.1 s, since the other threads fit on the second
 * core) and its peak RSS.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cliCommand } from "./sweep.js";
import { median } from "./stats.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TIME = "/usr/bin/time";
const MARK = "bench-cli-time";

/** One timed run: wall seconds, CPU seconds and peak RSS (NaN without /usr/bin/time), start-up seconds. */
export interface CliRun {
  readonly seconds: number;
  readonly cpuSeconds: number;
  /** CPU (user + sys) of the main thread only, last /proc sample before exit (≤ 10 ms late); NaN without /proc. */
  readonly mainCpuSeconds: number;
  readonly maxRssMB: number;
  /** Until the run folder's metrics.jsonl appeared (the first progress report, step 30); NaN if never seen. */
  readonly startup: number;
}

export interface Mnist1dWall {
  readonly runs: readonly CliRun[];
  readonly median: number;
  readonly cpuMedian: number;
  readonly mainCpuMedian: number;
  readonly startupMedian: number;
  readonly builtCli: boolean;
}

const TICK = 100; // USER_HZ: /proc's clock ticks per second on Linux

/** utime + stime (seconds) of thread `tid` of process `pid`, or NaN if it is gone. */
function threadCpu(pid: number, tid: number): number {
  try {
    // fields after the parenthesised command name: state is field 3, utime 14, stime 15
    const f = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return NaN;
  }
}

/** The node process under /usr/bin/time (its only child), or `pid` itself when not wrapped. */
function nodePid(pid: number, wrapped: boolean): number | undefined {
  if (!wrapped) return pid;
  try {
    const c = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return c ? Number(c.split(" ")[0]) : undefined;
  } catch {
    return undefined;
  }
}

async function timeOnce(args: readonly string[], out: string): Promise<CliRun | string> {
  const timed = existsSync(TIME);
  const [cmd, argv] = timed
    ? [TIME, ["-f", `${MARK} %U %S %M`, process.execPath, ...args]]
    : [process.execPath, [...args]];
  return await new Promise((res) => {
    let first = NaN, mainCpu = NaN;
    let node: number | undefined;
    const t0 = performance.now();
    const p = spawn(cmd, argv, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    // the progress bar is no clock (off a TTY it prints every 5 s): watch for the metrics file
    const poll = setInterval(() => {
      if (Number.isNaN(first) && existsSync(join(out, "metrics.jsonl"))) first = performance.now() - t0;
      node ??= p.pid === undefined ? undefined : nodePid(p.pid, timed);
      const c = node === undefined ? NaN : threadCpu(node, node);
      if (Number.isFinite(c)) mainCpu = c;
    }, 10);
    let err = "";
    p.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    p.on("error", (e) => { clearInterval(poll); res(String(e)); });
    p.on("exit", (code) => {
      const ms = performance.now() - t0;
      clearInterval(poll);
      if (code !== 0) { res(`regularize mnist1d failed (${code}): ${err.slice(-400)}`); return; }
      const m = new RegExp(`${MARK} ([\\d.]+) ([\\d.]+) (\\d+)`).exec(err);
      res({
        seconds: ms / 1000,
        cpuSeconds: m ? Number(m[1]) + Number(m[2]) : NaN,
        mainCpuSeconds: mainCpu,
        maxRssMB: m ? Number(m[3]) / 1024 : NaN,
        startup: first / 1000,
      });
    });
  });
}

/** Run `regularize mnist1d [...extra] --out <temp dir>` `runs` times; medians of wall, CPU and start-up seconds. */
export async function mnist1dWall(runs: number, extra: readonly string[] = []): Promise<Mnist1dWall | string> {
  const { args, built } = cliCommand();
  const all: CliRun[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), "bench-mnist1d-"));
    try {
      const r = await timeOnce([...args, "mnist1d", ...extra, "--out", join(dir, "run")], join(dir, "run"));
      if (typeof r === "string") return r;
      all.push(r);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const med = (f: (r: CliRun) => number) => {
    const xs = all.map(f).filter(Number.isFinite);
    return xs.length ? median(xs) : NaN;
  };
  return { runs: all, median: med((r) => r.seconds), cpuMedian: med((r) => r.cpuSeconds), mainCpuMedian: med((r) => r.mainCpuSeconds), startupMedian: med((r) => r.startup), builtCli: built };
}
