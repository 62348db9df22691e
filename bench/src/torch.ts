/**
 * PyTorch baseline: exports the problems (initial weights + data) to a temp dir and drives
 * bench/python/mlp_bench.py (one process, 1 intra-op thread) over a line-delimited JSON pipe, so
 * its timed blocks interleave with ours. Absent when /usr/bin/python3 cannot import torch.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Problem } from "./data.js";
import type { Elapsed } from "./stats.js";

const SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), "../python/mlp_bench.py");

/** What the Python side reported when it started. */
export interface TorchInfo {
  readonly torch: string;
  readonly numpy: string;
  readonly python: string;
  readonly threads: number;
  readonly torch_blas_info?: string;
  readonly libblas?: string;
}

/** PyTorch implementations: plain or modified-loss step, float64 or float32. */
export type TorchImpl = "f64" | "f32" | "f64-mod" | "f32-mod";

function toBytes(a: Float64Array | Int32Array): Uint8Array {
  // typed arrays are little-endian on every platform Node runs on (x86, arm64)
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function concat<T extends Float64Array | Int32Array>(parts: readonly T[], make: (n: number) => T): T {
  const out = make(parts.reduce((p, x) => p + x.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Write the problems as raw little-endian files + manifest.json; returns the manifest path. */
export function exportProblems(dir: string, problems: readonly Problem[], alpha: number): string {
  const configs = problems.map((p) => {
    const id = p.spec.id;
    writeFileSync(join(dir, `${id}-x.f64`), toBytes(concat(p.xs, (n) => new Float64Array(n))));
    writeFileSync(join(dir, `${id}-y.i32`), toBytes(concat(p.ys, (n) => new Int32Array(n))));
    writeFileSync(join(dir, `${id}-w.f64`), toBytes(concat(p.init, (n) => new Float64Array(n))));
    return {
      id, sizes: p.spec.sizes, batch: p.spec.batch, lr: p.spec.lr, alpha, nBatches: p.spec.nBatches,
      x: `${id}-x.f64`, y: `${id}-y.i32`, w: `${id}-w.f64`,
    };
  });
  const path = join(dir, "manifest.json");
  writeFileSync(path, JSON.stringify({ configs }, null, 2));
  return path;
}

/** Buffers the lines of a stream; `next()` resolves with the next one, or null at its end. */
class LineReader {
  private readonly lines: string[] = [];
  private readonly waiters: ((l: string | null) => void)[] = [];
  private ended = false;
  readonly rl: Interface;

  constructor(input: NodeJS.ReadableStream) {
    this.rl = createInterface({ input });
    this.rl.on("line", (l) => {
      const w = this.waiters.shift();
      if (w) w(l);
      else this.lines.push(l);
    });
    this.rl.on("close", () => {
      this.ended = true;
      for (const w of this.waiters.splice(0)) w(null);
    });
  }

  next(): Promise<string | null> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    if (this.ended) return Promise.resolve(null);
    return new Promise((res) => this.waiters.push(res));
  }
}

/** A running PyTorch server process. */
export class TorchServer {
  private exited = false;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly reader: LineReader,
    private readonly stderr: () => string,
    private readonly dir: string,
    readonly info: TorchInfo,
  ) {
    proc.on("exit", () => { this.exited = true; });
  }

  /**
   * Start the server on exported problems, or return the reason it is unavailable
   * (python3 missing, torch not importable).
   */
  static async start(problems: readonly Problem[], alpha: number, python = "/usr/bin/python3"): Promise<TorchServer | string> {
    if (!existsSync(python)) return `${python} not found`;
    const dir = mkdtempSync(join(tmpdir(), "regularize-bench-"));
    const cleanup = () => rmSync(dir, { recursive: true, force: true });
    const manifest = exportProblems(dir, problems, alpha);
    const proc = spawn(python, [SCRIPT, manifest], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { ...process.env, OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", PYTHONUNBUFFERED: "1" },
    });
    let err = "";
    proc.stderr.on("data", (d: Buffer) => { err += d.toString(); if (err.length > 20000) err = err.slice(-10000); });
    proc.on("error", (e) => { err += String(e); });
    const reader = new LineReader(proc.stdout);
    const first = await reader.next();
    if (first === null) {
      cleanup();
      return `python failed to start: ${err.trim().split("\n").slice(-3).join(" | ")}`;
    }
    const hello = JSON.parse(first) as { ready: boolean; error?: string } & TorchInfo;
    if (!hello.ready) {
      proc.stdin.end();
      cleanup();
      return hello.error ?? "torch unavailable";
    }
    return new TorchServer(proc, reader, () => err, dir, hello);
  }

  private request<T>(cmd: object): Promise<T> {
    // one command in flight at a time
    const p = this.queue.then(async () => {
      if (this.exited) throw new Error(`PyTorch process exited: ${this.stderr().slice(-2000)}`);
      this.proc.stdin.write(JSON.stringify(cmd) + "\n");
      const line = await this.reader.next();
      if (line === null) throw new Error(`PyTorch process ended: ${this.stderr().slice(-2000)}`);
      const r = JSON.parse(line) as T & { error?: string };
      if (r.error !== undefined) throw new Error(`PyTorch: ${r.error}`);
      return r;
    });
    this.queue = p.catch(() => undefined);
    return p;
  }

  /** Run `steps` steps of `impl` on `config` (state persists between calls); wall and CPU ms measured in Python. */
  async time(config: string, impl: TorchImpl, steps: number): Promise<Elapsed> {
    const r = await this.request<{ ms: number; cpu_ms: number; loss: number }>({ op: "time", config, impl, steps });
    return { wall: r.ms, cpu: r.cpu_ms };
  }

  /** K steps from the initial weights: per-step losses and the final loss on batch 0. */
  trajectory(config: string, impl: TorchImpl, K: number): Promise<{ losses: number[]; final: number }> {
    return this.request({ op: "trajectory", config, impl, K });
  }

  /** Stop the process and remove the exported files. */
  async close(): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((res) => this.proc.once("exit", () => res()));
      this.proc.stdin.write(JSON.stringify({ op: "quit" }) + "\n");
      this.proc.stdin.end();
      await Promise.race([exited, new Promise((res) => setTimeout(res, 5000))]);
      if (!this.exited) this.proc.kill();
    }
    this.reader.rl.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
