/** The fit figure that needs its own process: RSS over a long fit() (the CLI's wall time: cli-mnist1d.ts). */
import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { RssRun } from "./fit-rss.js";

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

/** RSS and post-GC heap samples of a 30 000-step fit() with plugins, in a child process (src/fit-rss.ts) with --expose-gc. */
export async function fitRss(steps: number): Promise<RssRun | string> {
  const r = await run(process.execPath, ["--expose-gc", "--import", "tsx", "--conditions=source", resolve(HERE, "fit-rss.ts"), String(steps)]);
  if (r.code !== 0) return `fit-rss failed (${r.code}): ${r.err.slice(-400)}`;
  return JSON.parse(r.out.trim().split("\n").pop()!) as RssRun;
}

/** The flat / not-flat verdict of a fitRss run, with the numbers behind it. */
export interface RssVerdict {
  readonly flat: boolean;
  /** RSS at the end / RSS at step 3000. */
  readonly rssGrowth: number;
  /** Post-GC heap growth from step 3000 to the end, MB. */
  readonly heapGrowthMB: number;
  /** The history rows' share of that growth, MB. */
  readonly historyGrowthMB: number;
  /** Heap retained per step besides the history rows, bytes. */
  readonly otherBytesPerStep: number;
  readonly arrayBuffersGrowthMB: number;
  readonly text: string;
}

/**
 * Flat means: RSS at the end ≤ `maxGrowth` × RSS at step 3000, the post-GC heap grows by no more than
 * the history's rows (at most 16 bytes per step otherwise) and array buffers (tensor data, WASM
 * memory) by less than 1 MB.
 */
export function rssVerdict(r: RssRun, maxGrowth: number): RssVerdict {
  const at = (k: number) => r.samples.find((s) => s.step >= k) ?? r.samples[0]!;
  const base = at(3000), last = r.samples[r.samples.length - 1]!;
  const span = last.step - base.step;
  const rssGrowth = last.rssMB / base.rssMB;
  const heapGrowthMB = last.heapMB - base.heapMB;
  const historyGrowthMB = r.historyRows > 0 ? (r.historyMB * span) / r.historyRows : 0;
  const otherBytesPerStep = span > 0 ? ((heapGrowthMB - historyGrowthMB) * 2 ** 20) / span : 0;
  const arrayBuffersGrowthMB = last.arrayBuffersMB - base.arrayBuffersMB;
  const flat = rssGrowth <= maxGrowth && otherBytesPerStep <= 16 && arrayBuffersGrowthMB < 1;
  const f = (x: number, d: number) => x.toFixed(d);
  const text = [
    `${flat ? "FLAT" : "NOT FLAT"}: RSS ${f(base.rssMB, 1)} MB at step ${base.step} → ${f(last.rssMB, 1)} MB at ${last.step} (${f(rssGrowth, 3)}×, target ≤ ${maxGrowth}×)`,
    `post-GC heap ${f(base.heapMB, 1)} → ${f(last.heapMB, 1)} MB (+${f(heapGrowthMB, 2)} MB), of which the history's step rows ${f(historyGrowthMB, 2)} MB (${f((r.historyMB * 2 ** 20) / Math.max(1, r.historyRows), 0)} B/row, one row per step as fit() records them); anything else ${f(otherBytesPerStep, 1)} B/step (≤ 16)`,
    `array buffers (tensor data, WASM memory) ${f(base.arrayBuffersMB, 1)} → ${f(last.arrayBuffersMB, 1)} MB; samples after a full GC: ${r.gc}`,
  ].join("; ");
  return { flat, rssGrowth, heapGrowthMB, historyGrowthMB, otherBytesPerStep, arrayBuffersGrowthMB, text };
}
