import { createHash } from "node:crypto";
import { join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import {
  type Experiment, ExperimentAbortedError, describeParams, getExperiment, runExperiment, type Progress,
} from "@regularize/experiments";
import { type PlotRenderer, inProcessRenderer, startBackgroundRenderer } from "../plots/background-renderer.ts";
import { progressBar } from "../progress.ts";
import { RunFolder, packageVersions } from "../run-folder.ts";
import { type ResolvedRun, asUsageError, resolveRun } from "../run-config.ts";
import { EXIT, UsageError } from "../usage-error.ts";
import { holdYoungGeneration } from "../young-generation.ts";

/** Options of `regularize run`. */
export interface RunOptions {
  readonly set?: readonly string[];
  readonly plugin?: readonly string[];
  readonly out?: string;
  readonly resume?: string;
  readonly seed?: number;
  /** Don't print the result's scalars (aliases print their own). */
  readonly quiet?: boolean;
}

/** What a finished (or stopped) run reports back to its command. */
export interface RunOutcome {
  readonly code: number;
  readonly dir?: string;
  readonly result?: unknown;
  /** Which thread drew the plots (the background renderer's worker, or this one as a fallback). */
  readonly plotsRenderedBy?: "worker" | "this thread";
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function seedArg(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`--seed must be a non-negative integer, got "${v}"`);
  return n;
}

/** A short id for a run: experiment, UTC time, hash of its config. */
export function runIdOf(r: ResolvedRun, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z").replace("T", "-");
  const hash = createHash("sha256").update(JSON.stringify([r.experiment, r.params, r.plugins])).digest("hex").slice(0, 8);
  return `${r.experiment}-${stamp}-${hash}`;
}

/** The scalar (number/boolean/string) fields of a result, for summary.json and the terminal. */
function scalars(result: unknown): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  if (result && typeof result === "object" && !Array.isArray(result)) {
    for (const [k, v] of Object.entries(result)) if (["number", "string", "boolean"].includes(typeof v)) out[k] = v as number;
  }
  return out;
}

function fmt(v: number | string | boolean): string {
  return typeof v === "number" && !Number.isInteger(v) ? v.toPrecision(6) : String(v);
}

/**
 * Run one experiment into a run folder: validate everything, make the folder, drive the run with a
 * progress bar, save a checkpoint on Ctrl-C (resumable entries), write result, summary and plots.
 */
export async function runCommand(target: string | undefined, o: RunOptions): Promise<RunOutcome> {
  let resolved: ResolvedRun;
  let folder: RunFolder;
  let resumedFrom: number | undefined;
  if (o.resume !== undefined) {
    if (target !== undefined || (o.set?.length ?? 0) > 0 || (o.plugin?.length ?? 0) > 0 || o.seed !== undefined || o.out !== undefined) {
      throw new UsageError("--resume DIR continues the run saved in DIR as it was: give no experiment, --set, --plugin, --seed or --out with it");
    }
    folder = new RunFolder(o.resume, { flag: "--resume" });
    if (!folder.has("config.json")) throw new UsageError(`--resume ${o.resume}: no config.json there (not a run folder)`);
    resolved = resolveRun(folder.path("config.json"), {});
    const summary = folder.has("summary.json") ? folder.readJson<{ status?: string }>("summary.json") : undefined;
    if (summary?.status === "ok") {
      console.log(`${resolved.experiment}: the run in ${folder.dir} has already finished`);
      return { code: EXIT.ok, dir: folder.dir, result: folder.has("result.json") ? folder.readJson("result.json") : undefined };
    }
    resumedFrom = folder.checkpointStep();
    folder.metrics.resume(resumedFrom);
  } else {
    if (target === undefined) throw new UsageError("run needs an experiment id or a config.json (see `regularize list`), or --resume DIR");
    resolved = resolveRun(target, o);
    const runId = runIdOf(resolved);
    folder = new RunFolder(o.out ?? join("runs", runId));
    if (folder.has("config.json")) throw new UsageError(`--out ${folder.dir} already holds a run: resume it with --resume ${folder.dir}, or choose another --out`);
    const e = getExperiment(resolved.experiment);
    folder.writeJson("config.json", {
      experiment: resolved.experiment, title: e.title, reproduces: e.reproduces, runId,
      params: resolved.params, plugins: resolved.plugins,
      ...(typeof resolved.params.seed === "number" ? { seed: resolved.params.seed } : {}),
      versions: packageVersions(), createdAt: new Date().toISOString(),
    });
  }
  const e = getExperiment(resolved.experiment);
  // Observable Plot and resvg load on another thread while the experiment runs
  const renderer = e.plots ? startBackgroundRenderer() : inProcessRenderer;
  // after the worker's isolate is made: making one resets the flag holdYoungGeneration sets
  void renderer.started?.then(holdYoungGeneration);
  try {
    return await execute(e, resolved, folder, resumedFrom, o, renderer);
  } finally {
    // not awaited: tearing the worker's heap down takes tens of ms, and nothing waits for it
    void renderer.close();
  }
}

/** Drive a validated run in its folder: progress, checkpoints, Ctrl-C, result, summary, plots. */
async function execute(
  e: Experiment, resolved: ResolvedRun, folder: RunFolder, resumedFrom: number | undefined, o: RunOptions, renderer: PlotRenderer,
): Promise<RunOutcome> {
  const ac = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write(`\nregularize: interrupted${e.resumable ? ", saving a checkpoint (Ctrl-C again to quit at once)" : ""}…\n`);
    ac.abort();
  };
  process.on("SIGINT", onSigint);
  const t0 = performance.now();
  const total = 1000;
  const bar = progressBar(`${e.id}${resumedFrom !== undefined ? ` (resumed at step ${resumedFrom})` : ""}`, total);
  let info = "";
  const onProgress = (p: Progress) => {
    if (p.metrics) {
      folder.metrics.add(p.metrics);
      info = Object.entries(p.metrics).filter(([k]) => k !== "step").map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`).join(" ");
    }
    bar.update(Math.round(Math.min(1, Math.max(0, p.fraction)) * total), { info: p.message ? `${p.message}${info ? ` | ${info}` : ""}` : info });
  };
  const writeSummary = (status: string, extra: Record<string, unknown>) => folder.writeJson("summary.json", {
    experiment: e.id, status, wallSeconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
    ...(resumedFrom !== undefined ? { resumedFromStep: resumedFrom } : {}), ...extra,
  });
  let result: unknown;
  const checkpoint = e.resumable ? folder.checkpointStore(() => folder.metrics.flush()) : undefined;
  try {
    result = await runExperiment(e.id, resolved.params, {
      signal: ac.signal, onProgress, plugins: resolved.plugins,
      ...(checkpoint ? { checkpoint } : {}),
    });
    checkpoint?.flush();
  } catch (err) {
    checkpoint?.flush();
    bar.stop();
    folder.metrics.flush();
    process.off("SIGINT", onSigint);
    if (err instanceof ExperimentAbortedError) {
      const step = folder.checkpointStep();
      writeSummary("interrupted", e.resumable ? { checkpointStep: step ?? null } : {});
      console.error(e.resumable
        ? `regularize: checkpoint saved in ${folder.dir}${step !== undefined ? ` (step ${step})` : ""}; continue with: regularize run --resume ${folder.dir}`
        : `regularize: ${e.id} stopped (it is not resumable; run it again to start over)`);
      return { code: EXIT.interrupted, dir: folder.dir };
    }
    const u = asUsageError(err);
    if (u instanceof UsageError) throw u;
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    writeSummary("failed", { error: message });
    console.error(`regularize run: ${e.id} failed: ${message}`);
    return { code: EXIT.failed, dir: folder.dir };
  }
  bar.update(total, { info });
  bar.stop();
  process.off("SIGINT", onSigint);
  folder.metrics.flush();
  folder.writeJson("result.json", result);
  const figures = e.plots?.(result as never, resolved.params as never) ?? [];
  const plots = await folder.writePlots(figures, renderer);
  const s = scalars(result);
  writeSummary("ok", { result: s, plots: plots.map((p) => p.slice(folder.dir.length + 1)) });
  if (!o.quiet) for (const [k, v] of Object.entries(s)) console.log(`  ${k}: ${fmt(v)}`);
  console.log(`run folder: ${folder.dir} (${plots.length / 2} plot${plots.length === 2 ? "" : "s"})`);
  return { code: EXIT.ok, dir: folder.dir, result, ...(renderer.renderedBy ? { plotsRenderedBy: renderer.renderedBy } : {}) };
}

/** commander's camelCase key → the kebab-case flag. */
const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Run `fn` turning usage errors into one line on stderr and exit code 2 (no stack trace). */
export async function guarded(command: string, fn: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await fn();
  } catch (err) {
    const u = asUsageError(err);
    if (!(u instanceof UsageError)) throw err;
    console.error(`regularize ${command}: ${u.message}`);
    process.exitCode = EXIT.usage;
  }
}

/** Add `run` and the old per-experiment commands (`mnist1d`, `gabor`) as thin aliases of it. */
export function registerRunCommands(program: Command): void {
  program
    .command("run")
    .description("run a registry experiment (or a config.json) into a run folder: config, metrics, result, summary, checkpoint, plots")
    .argument("[experiment|config.json]", "a registry id (see `regularize list`) or a JSON file { experiment, params, plugins, seed }")
    .option("--set <key=value>", "a param of the experiment (repeatable; typed and range-checked by its schema)", collect)
    .option("--plugin <name:key=value,...>", "add a catalog plugin with options (repeatable; see `regularize list`)", collect)
    .option("--out <dir>", "run folder (default runs/<run id>)")
    .option("--resume <dir>", "continue the interrupted run saved in <dir>, bit for bit")
    .option("--seed <n>", "the experiment's seed param", seedArg)
    .action((target: string | undefined, o: RunOptions) => guarded("run", async () => (await runCommand(target, o)).code));

  registerAlias(program, "mnist1d", "mnist1d", "train an MNIST-1D model (alias of `run mnist1d`; defaults are the reference protocol)");
  registerAlias(program, "gabor", "gabor-gd", "gradient descent on the Gabor model of figure 9.1 with the curvature along the gradient (alias of `run gabor-gd`)", {
    json: true,
    print: (r) => {
      const g = r as { step: number[]; phi0: number[]; phi1: number[]; loss: number[]; gradNorm: number[]; curvature: number[] };
      console.log(" step      φ0        φ1        loss      ‖∇L‖    gᵀHg/‖g‖²");
      g.step.forEach((s, i) => console.log(`${String(s).padStart(5)} ${g.phi0[i]!.toFixed(4).padStart(9)} ${g.phi1[i]!.toFixed(4).padStart(9)} ${g.loss[i]!.toFixed(5).padStart(10)} ${g.gradNorm[i]!.toFixed(4).padStart(9)} ${g.curvature[i]!.toFixed(4).padStart(11)}`));
    },
  });
}

/** `regularize <name> --<param> value …`: every param of the entry as a flag, then exactly `run`. */
function registerAlias(
  program: Command, name: string, experiment: string, description: string,
  extra: { json?: boolean; print?: (result: unknown) => void } = {},
): void {
  const cmd = program.command(name).description(description);
  const infos = describeParams(getExperiment(experiment).params);
  for (const p of infos) {
    const range = p.min !== undefined || p.max !== undefined ? ` [${p.min ?? "−∞"}, ${p.max ?? "∞"}]` : p.options ? ` (${p.options.join(" | ")})` : "";
    const help = `${p.description ?? p.key}${range} (default ${JSON.stringify(p.default)})`;
    if (p.type === "boolean") cmd.option(`--${kebab(p.key)} [bool]`, help);
    else cmd.option(`--${kebab(p.key)} <value>`, help);
  }
  cmd.option("--plugin <name:key=value,...>", "add a catalog plugin (repeatable)", collect);
  cmd.option("--out <dir>", "run folder (default runs/<run id>)");
  cmd.option("--resume <dir>", "continue an interrupted run");
  if (extra.json) cmd.option("--json", "print the result as JSON");
  cmd.action((o: Record<string, unknown>) => guarded(name, async () => {
    const sets: string[] = [];
    for (const p of infos) {
      const v = o[p.key];
      if (v === undefined) continue;
      sets.push(`${p.key}=${v === true ? "true" : String(v)}`);
    }
    const resume = o.resume as string | undefined;
    const r = await runCommand(resume ? undefined : experiment, {
      ...(resume ? { resume } : { set: sets, plugin: (o.plugin as string[] | undefined) ?? [], ...(o.out ? { out: o.out as string } : {}) }),
      quiet: extra.print !== undefined || o.json === true,
    });
    if (r.code === EXIT.ok && r.result !== undefined) {
      if (o.json) console.log(JSON.stringify(r.result, null, 2));
      else extra.print?.(r.result);
    }
    return r.code;
  }));
}
