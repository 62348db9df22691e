/**
 * The run folder of `regularize run` (and the building blocks sweeps use): every file is written
 * atomically (a temporary sibling, then rename), so a reader or a crash never sees half a file.
 *
 *   config.json     experiment, resolved params, plugins with options, seed, package versions
 *   metrics.jsonl   one JSON object per progress report with metrics (+ metrics.csv, same rows)
 *   result.json     the experiment's JSON result
 *   summary.json    status, wall time, the result's scalar fields
 *   checkpoint.json resumable entries: { step, state } (written on Ctrl-C and periodically, at most every 5 s)
 *   plots/<name>.svg, plots/<name>.png
 */
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type { CheckpointStore, PlotFigure } from "@regularize/experiments";
import { NOT_PLAIN, jsonSnapshot } from "./json-snapshot.ts";
import { type PlotRenderer, inProcessRenderer } from "./plots/background-renderer.ts";
import { UsageError } from "./usage-error.ts";

let tmpCounter = 0;

/** Write `data` to `path` atomically: a temporary sibling file, then rename over the target. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * `mkdir -p` one level at a time. Node 20's `mkdirSync(p, { recursive: true })` never returns for a
 * path under /proc (it retries ENOENT forever), so an `--out /proc/x` would hang instead of failing.
 */
export function mkdirp(dir: string): void {
  const abs = resolve(dir);
  const missing: string[] = [];
  let p = abs;
  while (!existsSync(p)) {
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const m of missing.reverse()) mkdirSync(m);
}

/** Create `dir` (and parents) and prove it writable with a probe file; UsageError naming the flag otherwise. */
export function ensureWritableDir(dir: string, flag = "--out"): void {
  try {
    mkdirp(dir);
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.probe-${process.pid}`);
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag} ${dir} is not writable${code ? ` (${code})` : ""}`);
  }
}

/** Rows as CSV: the union of their keys as header (first-seen order), empty cells where a row lacks a key. */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const keys: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return "";
    const s = typeof v === "string" ? v : typeof v === "number" ? String(v) : JSON.stringify(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [keys.join(","), ...rows.map((r) => keys.map((k) => cell(r[k])).join(","))].join("\n") + "\n";
}

/** The versions of the packages a run used (config.json), from their package.json files. */
export function packageVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const out: Record<string, string> = { node: process.version };
  for (const name of ["@regularize/experiments", "@regularize/core-autodiff", "@regularize/core-train", "@regularize/datasets", "@regularize/optim", "@regularize/penalties", "@regularize/noise"]) {
    try {
      out[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // not installed next to the CLI: leave it out
    }
  }
  try {
    out["@regularize/cli"] = (JSON.parse(readFileSync(join(dirname(new URL(import.meta.url).pathname), "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    // bundled without its package.json
  }
  return out;
}

/** A run folder: atomic JSON/text/bytes writers, the metrics log, the checkpoint file and the plots. */
export class RunFolder {
  readonly metrics: MetricsLog;

  /** Create (or reopen) `dir`, checking it is writable before anything runs. */
  constructor(readonly dir: string, opts: { readonly flag?: string } = {}) {
    ensureWritableDir(dir, opts.flag);
    this.metrics = new MetricsLog(this);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  writeJson(name: string, value: unknown): string {
    return this.writeText(name, `${JSON.stringify(value, null, 2)}\n`);
  }

  writeText(name: string, text: string | Uint8Array): string {
    const p = this.path(name);
    mkdirp(dirname(p));
    writeFileAtomic(p, text);
    return p;
  }

  readJson<T = unknown>(name: string): T {
    return JSON.parse(readFileSync(this.path(name), "utf8")) as T;
  }

  /**
   * The checkpoint store of this folder (checkpoint.json = { step, state }); `onSave` runs after each
   * write. Saves are written at most every `minIntervalMs`, counted from the store's creation (a run
   * saving every few hundred steps spent a tenth of its time rewriting the file; a run shorter than
   * that writes only its last); `flush()` writes the latest pending one — call it when the run stops,
   * however it stops.
   */
  checkpointStore(onSave?: (step: number | undefined) => void, minIntervalMs = 5000): CheckpointStore & { flush(): void } {
    // a save not written at once is kept as a copy and serialised when written (copying is ~20×
    // cheaper than JSON.stringify, and most periodic saves are superseded before they are written)
    let pending: { data: unknown; step: number | undefined } | undefined;
    let last = performance.now();
    const flush = (): void => {
      if (pending === undefined) return;
      const { data, step } = pending;
      pending = undefined;
      this.writeText(CHECKPOINT_FILE, typeof data === "string" ? data : `${JSON.stringify(data)}\n`);
      last = performance.now();
      onSave?.(step);
    };
    return {
      load: () => (this.has(CHECKPOINT_FILE) ? this.readJson<{ state: unknown }>(CHECKPOINT_FILE).state : undefined),
      save: (state, info) => {
        // copied or serialised now: the entry keeps mutating what it passed (compact: it is machine data)
        const checkpoint = { step: info?.step ?? null, state };
        const due = performance.now() - last >= minIntervalMs;
        const copy = due ? NOT_PLAIN : jsonSnapshot(checkpoint);
        pending = { data: copy === NOT_PLAIN ? `${JSON.stringify(checkpoint)}\n` : copy, step: info?.step };
        if (due) flush();
      },
      flush,
    };
  }

  /** The step the checkpoint covers, if any. */
  checkpointStep(): number | undefined {
    if (!this.has(CHECKPOINT_FILE)) return undefined;
    const s = this.readJson<{ step: number | null }>(CHECKPOINT_FILE).step;
    return typeof s === "number" ? s : undefined;
  }

  /**
   * Render figures to plots/<name>.svg and plots/<name>.png; returns the paths written. The default
   * renderer loads Observable Plot and resvg on this thread only now; `regularize run` passes
   * its background renderer, loaded on another thread while the experiment ran.
   */
  async writePlots(figures: readonly PlotFigure[], renderer: PlotRenderer = inProcessRenderer): Promise<string[]> {
    const out: string[] = [];
    for (const r of await renderer.render(figures)) {
      out.push(this.writeText(`plots/${r.name}.svg`, r.svg), this.writeText(`plots/${r.name}.png`, r.png));
    }
    return out;
  }
}

export const CHECKPOINT_FILE = "checkpoint.json";

/** metrics.jsonl + metrics.csv, rewritten atomically (throttled) as rows arrive. */
export class MetricsLog {
  private rows: Record<string, number>[] = [];
  private lastFlush = 0;

  constructor(private readonly folder: RunFolder) {}

  /** Continue a resumed run: keep the rows up to `step` (rows without a step are kept). */
  resume(step: number | undefined): void {
    if (!this.folder.has("metrics.jsonl")) return;
    const text = readFileSync(this.folder.path("metrics.jsonl"), "utf8");
    this.rows = text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, number>)
      .filter((r) => step === undefined || typeof r.step !== "number" || r.step <= step);
  }

  add(row: Readonly<Record<string, number>>): void {
    // fit reports the last step twice (its regular report and the closing one): keep one
    const last = this.rows.at(-1);
    if (last && JSON.stringify(last) === JSON.stringify(row)) return;
    this.rows.push({ ...row });
    if (Date.now() - this.lastFlush > 1000) this.flush();
  }

  get length(): number {
    return this.rows.length;
  }

  flush(): void {
    this.lastFlush = Date.now();
    this.folder.writeText("metrics.jsonl", this.rows.map((r) => JSON.stringify(r)).join("\n") + (this.rows.length ? "\n" : ""));
    this.folder.writeText("metrics.csv", toCsv(this.rows));
  }
}
