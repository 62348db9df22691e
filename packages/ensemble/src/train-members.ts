import { EnsembleOptionError, requireInteger } from "./errors.js";
import type { PlainData, PlainParams } from "./member-trainer.js";

/** Which function trains a member: a module exporting `(spec, data) => result` (structured-cloneable in and out). */
export interface MemberTrainer {
  /** Module URL (file: URL or path URL string); a .ts module runs through tsx in workers (development, tests). */
  readonly module: string | URL;
  /** The export to call (default "trainMember"). */
  readonly exportName?: string;
}

/** Options of `trainMembers`. */
export interface TrainMembersOptions<R> {
  /** The trainer (default: this package's MLP trainer, `trainMlpMember`). */
  readonly trainer?: MemberTrainer;
  /** Worker threads (Node only; default 1 = serial in this thread). Results are bit-identical for any count. */
  readonly workers?: number;
  /**
   * With `workers: 1`, train in this thread (default true). `false` uses a pool of one worker thread
   * instead — the apples-to-apples baseline of a pool benchmark (both pay the workers' start-up).
   */
  readonly inProcess?: boolean;
  /** Called as each member finishes (completion order). */
  readonly onMember?: (index: number, result: R) => void;
  readonly signal?: AbortSignal;
}

const DEFAULT_TRAINER: MemberTrainer = { module: new URL("./member-trainer" + extOf(import.meta.url), import.meta.url), exportName: "trainMlpMember" };

function extOf(url: string): string {
  return url.endsWith(".ts") ? ".ts" : url.endsWith(".cjs") ? ".cjs" : ".js";
}

async function loadTrainer<S, R>(t: MemberTrainer): Promise<(spec: S, data: PlainData) => R | Promise<R>> {
  const mod = (await import(/* @vite-ignore */ String(t.module))) as Record<string, unknown>;
  const f = mod[t.exportName ?? "trainMember"];
  if (typeof f !== "function") throw new EnsembleOptionError("trainMembers", "trainer.exportName", `module ${String(t.module)} has no function export "${t.exportName ?? "trainMember"}"`);
  return f as (spec: S, data: PlainData) => R | Promise<R>;
}

const isNode = typeof process !== "undefined" && process.versions?.node !== undefined;

/**
 * Train ensemble members: each member is `trainer(spec, data)`, a pure function of its spec (which
 * carries its seed), so the results do not depend on how they are scheduled. With `workers > 1`
 * (Node) the members run on a pool of worker threads that receive `data` once; every worker runs
 * the same code on the same inputs, so the results are bit-identical to the serial run. In the
 * browser the members train serially in the calling thread.
 */
export async function trainMembers<S, R = PlainParams>(specs: readonly S[], data: PlainData, options: TrainMembersOptions<R> = {}): Promise<R[]> {
  const fn = "trainMembers";
  if (!Array.isArray(specs) || specs.length === 0) throw new EnsembleOptionError(fn, "specs", "is empty: an ensemble needs at least one member");
  const workers = Math.min(requireInteger(fn, "workers", options.workers ?? 1, 1), specs.length);
  const trainer = options.trainer ?? DEFAULT_TRAINER;
  if ((workers === 1 && options.inProcess !== false) || !isNode) {
    const train = await loadTrainer<S, R>(trainer);
    const out: R[] = [];
    for (let i = 0; i < specs.length; i++) {
      if (options.signal?.aborted) throw new EnsembleOptionError(fn, "signal", "aborted");
      const r = await train(specs[i]!, data);
      options.onMember?.(i, r);
      out.push(r);
    }
    return out;
  }
  return runOnWorkers(specs, data, trainer, workers, options);
}

async function runOnWorkers<S, R>(specs: readonly S[], data: PlainData, trainer: MemberTrainer, n: number, options: TrainMembersOptions<R>): Promise<R[]> {
  const { Worker } = await import("node:worker_threads");
  const self = import.meta.url;
  const isTs = self.endsWith(".ts");
  const workerUrl = new URL("./member-worker" + extOf(self), self);
  const entry = isTs ? new URL("./ts-worker.mjs", self) : workerUrl;
  const workerData = { tsEntry: workerUrl.href, trainer: { module: String(trainer.module), exportName: trainer.exportName ?? "trainMember" } };
  const results = new Array<R>(specs.length);
  const pool: InstanceType<typeof Worker>[] = [];
  let next = 0, done = 0;
  return await new Promise<R[]>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of pool) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    options.signal?.addEventListener("abort", () => finish(new EnsembleOptionError("trainMembers", "signal", "aborted")), { once: true });
    const feed = (w: InstanceType<typeof Worker>) => {
      if (next < specs.length) {
        const id = next++;
        w.postMessage({ id, spec: specs[id] });
      }
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(entry, { workerData, ...(isTs ? { execArgv: ["--conditions=source"] } : {}) });
      pool.push(w);
      w.on("message", (msg: { id: number; result?: R; error?: string }) => {
        if (msg.error !== undefined) return finish(new Error(`trainMembers: member ${msg.id} failed: ${msg.error}`));
        results[msg.id] = msg.result as R;
        options.onMember?.(msg.id, msg.result as R);
        if (++done === specs.length) finish();
        else feed(w);
      });
      w.on("error", (e) => finish(e instanceof Error ? e : new Error(String(e))));
      w.on("exit", (code) => { if (!settled && code !== 0) finish(new Error(`trainMembers: a worker exited with code ${code}`)); });
      w.postMessage({ data });
      feed(w);
    }
  });
}
