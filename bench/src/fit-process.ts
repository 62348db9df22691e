/** The fit figures that need their own process: `regularize mnist1d` wall time, and RSS over a long fit(). */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { cliCommand } from "./sweep.js";
import { median } from "./stats.js";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "../..");

function run(cmd: string, args: readonly string[], onLine?: (line: string, ms: number) => void): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((res) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (onLine) for (const l of d.toString().split(/\r|\n/)) if (l.trim()) onLine(l, performance.now() - t0);
    });
    p.stderr.on("data", (d: Buffer) => {
      err += d.toString();
      if (onLine) for (const l of d.toString().split(/\r|\n/)) if (l.trim()) onLine(l, performance.now() - t0);
    });
    p.on("error", (e) => res({ code: -1, out, err: String(e), ms: performance.now() - t0 }));
    p.on("exit", (code) => res({ code, out, err, ms: performance.now() - t0 }));
  });
}

/**
 * `regularize mnist1d` with its defaults (the reference protocol: 6000 Adam steps at batch 100), the
 * whole process timed from spawn to exit; `startup` is the time until the run folder's
 * `metrics.jsonl` appears, i.e. the first progress report with a step count (module loading, WASM
 * compile, data generation, the first ~30 steps). The progress bar is no clock: off a TTY it prints
 * every 5 s. NaN when the file was never seen (the caller prints it as not measured).
 */
export async function mnist1dWall(runs: number): Promise<{ seconds: number[]; startup: number[]; median: number; builtCli: boolean } | string> {
  const { args, built } = cliCommand();
  const seconds: number[] = [], startup: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), "bench-mnist1d-"));
    const out = join(dir, "run");
    let first = NaN;
    const t0 = performance.now();
    const poll = setInterval(() => { if (Number.isNaN(first) && existsSync(join(out, "metrics.jsonl"))) first = performance.now() - t0; }, 10);
    const r = await run(process.execPath, [...args, "mnist1d", "--out", out]);
    clearInterval(poll);
    rmSync(dir, { recursive: true, force: true });
    if (r.code !== 0) return `regularize mnist1d failed (${r.code}): ${r.err.slice(-400)}`;
    seconds.push(r.ms / 1000);
    startup.push(first / 1000);
  }
  return { seconds, startup, median: median(seconds), builtCli: built };
}

/** RSS samples of a 30 000-step fit() with plugins, in a child process (src/fit-rss.ts). */
export async function fitRss(steps: number): Promise<{ steps: number; compiled: boolean; seconds: number; samples: { step: number; rssMB: number; heapMB: number }[] } | string> {
  const tsx = resolve(ROOT, "node_modules/.bin/tsx");
  const r = await run(tsx, ["--conditions=source", resolve(HERE, "fit-rss.ts"), String(steps)]);
  if (r.code !== 0) return `fit-rss failed (${r.code}): ${r.err.slice(-400)}`;
  return JSON.parse(r.out.trim().split("\n").pop()!) as { steps: number; compiled: boolean; seconds: number; samples: { step: number; rssMB: number; heapMB: number }[] };
}
