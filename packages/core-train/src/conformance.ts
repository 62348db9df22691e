import { type Tensor, type Tree, astype, grad, prngKey, treeFlatten, treeLeaves, treeMap } from "@regularize/core-autodiff";
import { type ConformanceProblem, tinyClassification, tinyRegression } from "./conformance-problems.js";
import { TrainError } from "./errors.js";
import { fit } from "./fit.js";
import type { FitResult } from "./fit-options.js";
import { resolveLoss } from "./losses.js";
import { predict } from "./predict.js";
import { sortPlugins } from "./plugin-order.js";
import type { Batch, ObjectiveContext, Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";
import { decodeValue, deserializeState, encodeValue, serializeState } from "./serialize-state.js";

/** The checks of the plugin conformance suite. */
export type ConformanceCheckName =
  | "name" | "fit-classification" | "fit-regression" | "deterministic" | "reusable" | "factory-pure"
  | "no-mutation" | "state-roundtrip" | "resume" | "penalty" | "transform" | "eval-deterministic" | "compiled";

/** Outcome of one check. */
export interface ConformanceCheck {
  readonly name: ConformanceCheckName;
  /** "skipped" when the check does not apply (no such hook, no factory, or excluded by options). */
  readonly status: "passed" | "failed" | "skipped";
  readonly message?: string;
}

/** Outcome of the suite for one plugin. */
export interface ConformanceReport {
  readonly plugin: string;
  readonly ok: boolean;
  readonly checks: readonly ConformanceCheck[];
}

/** Options of the conformance suite. */
export interface ConformanceOptions {
  /** Problems to fit on (default: tinyClassification() and tinyRegression()). */
  readonly problems?: readonly ConformanceProblem[];
  /** Steps per fit (default 8; the resume check stops at half). */
  readonly steps?: number;
  readonly seed?: number;
  /** Checks to leave out (say why in your test). */
  readonly skip?: readonly ConformanceCheckName[];
}

/** A conformance check failed; the message names the plugin, the check and what went wrong. */
export class ConformanceError extends TrainError {
  constructor(readonly plugin: string, readonly check: ConformanceCheckName, detail: string) {
    super(`plugin "${plugin}" fails conformance check "${check}": ${detail}`);
  }
}

/** A plugin, or a factory making fresh instances (needed by the purity, determinism and resume checks). */
export type PluginSource = Plugin | (() => Plugin);

interface Env {
  readonly make: () => Plugin;
  readonly isFactory: boolean;
  readonly sample: Plugin;
  readonly problems: readonly ConformanceProblem[];
  readonly steps: number;
  readonly seed: number;
}

type Check = { applies(env: Env): boolean; run(env: Env): Promise<void> | void };

class CheckFailure extends Error {}
const fail = (msg: string): never => {
  throw new CheckFailure(msg);
};

function runFit(
  env: Env, plugin: Plugin, problem: ConformanceProblem,
  extra: { initialState?: FitResult["state"]; signal?: AbortSignal; watcher?: Plugin } = {},
): Promise<FitResult> {
  return fit({
    model: problem.model, data: problem.data, validation: problem.validation, loss: problem.loss,
    optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), plugins: extra.watcher ? [plugin, extra.watcher] : [plugin],
    batchSize: problem.batchSize, steps: env.steps, onNotice: () => {},
    ...(extra.initialState ? { initialState: extra.initialState } : { seed: env.seed }),
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
}

function bitsEqual(a: Tree, b: Tree): string | undefined {
  const [la] = treeFlatten(a), [lb] = treeFlatten(b);
  if (la.length !== lb.length) return `${la.length} vs ${lb.length} leaves`;
  for (let j = 0; j < la.length; j++) {
    const x = la[j]!.data, y = lb[j]!.data;
    if (x.length !== y.length) return `leaf ${j} has ${x.length} vs ${y.length} elements`;
    for (let k = 0; k < x.length; k++) if (!Object.is(x[k], y[k])) return `leaf ${j}[${k}]: ${x[k]} vs ${y[k]}`;
  }
  return undefined;
}

function lossesEqual(a: FitResult, b: FitResult): string | undefined {
  const sa = a.history.steps, sb = b.history.steps;
  if (sa.length !== sb.length) return `${sa.length} vs ${sb.length} recorded steps`;
  for (let i = 0; i < sa.length; i++) if (!Object.is(sa[i]!.loss, sb[i]!.loss)) return `step ${sa[i]!.step}: loss ${sa[i]!.loss} vs ${sb[i]!.loss}`;
  return undefined;
}

function finiteParams(r: FitResult, what: string): void {
  for (const l of treeLeaves(r.params)) for (const v of l.data) if (!Number.isFinite(v)) fail(`${what}: final parameters hold ${v}`);
}

async function sameRun(env: Env, a: Plugin, b: Plugin, what: string): Promise<void> {
  for (const problem of env.problems) {
    const r1 = await runFit(env, a, problem);
    const r2 = await runFit(env, b, problem);
    const d = bitsEqual(r1.params, r2.params) ?? lossesEqual(r1, r2);
    if (d !== undefined) fail(`${what} on ${problem.name} differ: ${d}`);
  }
}

function copyLeaves(t: Tree): Float64Array[] {
  return treeLeaves(t).map((l) => Float64Array.from(l.data));
}

function unchanged(t: Tree, copy: readonly Float64Array[]): boolean {
  return treeLeaves(t).every((l, j) => l.data.every((v, k) => Object.is(v, copy[j]![k])));
}

const checks: Record<ConformanceCheckName, Check> = {
  name: {
    applies: () => true,
    run: (env) => {
      const p = env.sample;
      if (typeof p.name !== "string" || p.name.trim().length === 0) fail(`name must be a non-empty string, got ${JSON.stringify(p.name)}`);
      try {
        sortPlugins([p]);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      }
    },
  },
  "fit-classification": {
    applies: (env) => env.problems.some((p) => p.data.y.dtype === "int32"),
    run: async (env) => {
      for (const problem of env.problems.filter((p) => p.data.y.dtype === "int32")) finiteParams(await runFit(env, env.make(), problem), problem.name);
    },
  },
  "fit-regression": {
    applies: (env) => env.problems.some((p) => p.data.y.dtype !== "int32"),
    run: async (env) => {
      for (const problem of env.problems.filter((p) => p.data.y.dtype !== "int32")) finiteParams(await runFit(env, env.make(), problem), problem.name);
    },
  },
  deterministic: {
    applies: (env) => env.isFactory,
    run: (env) => sameRun(env, env.make(), env.make(), "two fits with the same seed"),
  },
  reusable: {
    applies: () => true,
    run: (env) => {
      const p = env.make();
      return sameRun(env, p, p, "two fits reusing one instance (reset per-fit state in beforeFit)");
    },
  },
  "factory-pure": {
    applies: (env) => env.isFactory,
    run: async (env) => {
      const a = env.make(), b = env.make();
      if (a === b) fail(`the factory returned the same object twice; return a fresh plugin per call`);
      if (a.name !== b.name) fail(`two instances have different names ("${a.name}", "${b.name}")`);
      // exercising one instance must not change the other's behaviour
      await runFit(env, a, env.problems[0]!);
      await sameRun(env, b, env.make(), "a fresh instance after another instance trained, and a second fresh instance,");
    },
  },
  "no-mutation": {
    applies: () => true,
    run: async (env) => {
      const problem = env.problems[0]!;
      const params = problem.model.init(prngKey(env.seed));
      const pCopy = copyLeaves(params);
      const dCopy = copyLeaves([problem.data.x, problem.data.y]);
      let bad: string | undefined;
      // Runs first in every event, so it snapshots params right after the update (afterStep) and
      // verifies every snapshot before and after the other plugins had their turn.
      let snaps: { t: Tree; copy: Float64Array[]; what: string }[] = [];
      const verify = () => {
        for (const s of snaps) if (!unchanged(s.t, s.copy)) bad ??= `${s.what} was modified in place`;
      };
      const snap = (t: Tree, what: string) => snaps.push({ t, copy: copyLeaves(t), what });
      const watcher: Plugin = {
        name: "conformance-watcher",
        // it keeps the params it saw to compare them later: fit must not reuse their buffers
        keepsTensors: true,
        enforce: "pre",
        order: -Number.MAX_SAFE_INTEGER,
        beforeBatch: (batch, ctx) => {
          verify();
          snaps = [];
          snap(ctx.params, "the parameters of a step");
          snap([batch.x, batch.y], "the batch given to beforeBatch (return a new batch instead)");
        },
        afterStep: (ctx) => snap(ctx.params, "the parameters after an update"),
        afterBatch: verify,
        afterEpoch: verify,
        afterFit: verify,
      };
      await fit({
        model: problem.model, params, data: problem.data, validation: problem.validation, loss: problem.loss,
        optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), plugins: [env.make(), watcher], batchSize: problem.batchSize, steps: env.steps, seed: env.seed,
      });
      if (bad) fail(bad);
      if (!unchanged(params, pCopy)) fail(`the initial parameters passed to fit were modified in place`);
      if (!unchanged([problem.data.x, problem.data.y], dCopy)) fail(`the training data was modified in place`);
    },
  },
  "state-roundtrip": {
    applies: (env) => env.sample.saveState !== undefined,
    run: async (env) => {
      const p = env.make();
      if (p.loadState === undefined) fail(`has saveState but no loadState`);
      await runFit(env, p, env.problems[0]!);
      let enc: unknown;
      try {
        enc = JSON.parse(JSON.stringify(encodeValue(p.saveState!())));
      } catch (e) {
        fail(`saveState() is not serialisable: ${e instanceof Error ? e.message : String(e)}`);
      }
      const q = env.make();
      q.loadState!(decodeValue(enc));
      const again = JSON.stringify(encodeValue(q.saveState!()));
      if (again !== JSON.stringify(enc)) fail(`loadState(saveState()) then saveState() gives a different state`);
    },
  },
  resume: {
    applies: () => true,
    run: async (env) => {
      for (const problem of env.problems) {
        const full = await runFit(env, env.make(), problem);
        // Interrupt a real run (same budget, aborted mid-way as Ctrl-C would), not a shorter one:
        // budget-dependent plugins (schedules, SWA starts, early stopping) must see the true budget.
        const ac = new AbortController();
        const half = Math.floor(env.steps / 2);
        const interrupter: Plugin = { name: "conformance-interrupt", afterBatch: (ctx) => { if (ctx.step + 1 >= half) ac.abort(); } };
        const cut = await runFit(env, env.make(), problem, { signal: ac.signal, watcher: interrupter });
        if (cut.stopped !== "aborted" || cut.state.step <= 0 || cut.state.step >= env.steps) {
          fail(`the interruption did not land mid-run on ${problem.name} (stopped "${cut.stopped}" at step ${cut.state.step} of ${env.steps})`);
        }
        const state = deserializeState(JSON.stringify(serializeState(cut.state)));
        const rest = await runFit(env, env.make(), problem, { initialState: state });
        const d = bitsEqual(full.params, rest.params);
        if (d !== undefined) fail(`resuming at step ${state.step} on ${problem.name} does not reproduce the uninterrupted run: ${d}`);
        const l = lossesEqual({ ...full, history: { ...full.history, steps: full.history.steps.slice(state.step) } }, rest);
        if (l !== undefined) fail(`resumed losses differ on ${problem.name}: ${l}`);
      }
    },
  },
  penalty: {
    applies: (env) => env.sample.penalty !== undefined,
    run: (env) => {
      for (const problem of env.problems) {
        const p = env.make();
        const params = problem.model.init(prngKey(env.seed));
        const batch: Batch = problem.data;
        const loss = resolveLoss(problem.loss);
        const ctx: ObjectiveContext = {
          batch, step: 0, key: prngKey(env.seed + 1),
          forward: (q, x) => problem.model.apply(q, x),
          dataLoss: (q, b) => loss(problem.model.apply(q, b.x), b),
        };
        const value = p.penalty!(params, ctx);
        if (value.size !== 1) fail(`penalty returned shape [${value.shape.join(", ")}], not a scalar`);
        if (!Number.isFinite(value.data[0]!)) fail(`penalty is ${value.data[0]} on ${problem.name}`);
        const g = grad((q: Tree) => p.penalty!(q, ctx))(params);
        for (const l of treeLeaves(g)) for (const v of l.data) if (!Number.isFinite(v)) fail(`penalty gradient holds ${v} on ${problem.name}`);
      }
    },
  },
  transform: {
    applies: (env) => env.sample.transform !== undefined,
    run: (env) => {
      for (const problem of env.problems) {
        const t = env.make().transform!;
        const params = problem.model.init(prngKey(env.seed));
        const loss = resolveLoss(problem.loss);
        const g = grad((q: Tree) => loss(problem.model.apply(q, problem.data.x), problem.data))(params);
        const s0 = t.init(params);
        let s = s0;
        for (let step = 0; step < 2; step++) {
          const out = t.update(g, s, params, step, prngKey(step));
          if (!Array.isArray(out) || out.length !== 2) fail(`update must return [updates, state]`);
          const [u, s1] = out;
          const d = shapeDiff(g, u);
          if (d !== undefined) fail(`updates do not match the gradients' structure on ${problem.name}: ${d}`);
          const sd = stateShapeDiff(s0, s1);
          if (sd !== undefined) fail(`state changed structure on update ${step}: ${sd}`);
          for (const l of treeLeaves(u)) for (const v of l.data) if (!Number.isFinite(v)) fail(`update holds ${v} for finite gradients`);
          s = s1;
        }
      }
    },
  },
  compiled: {
    // fit's compiled step (jit) must give the eager step's bits, in float64 and float32, whether the
    // plugin records or makes the run fall back; and the eager step's memory scope must not change
    // them either (a plugin keeping tensors across steps must declare keepsTensors)
    applies: () => true,
    run: async (env) => {
      for (const problem of env.problems) {
        for (const dtype of ["float64", "float32"] as const) {
          const cast = (t: Tensor) => (t.dtype === "int32" ? t : astype(t, dtype));
          const data = { x: cast(problem.data.x), y: cast(problem.data.y) };
          const validation = problem.validation && { x: cast(problem.validation.x), y: cast(problem.validation.y) };
          const params = treeMap(cast, problem.model.init(prngKey(env.seed)));
          const run = (compile: boolean, memoryScope: boolean) => fit({
            model: problem.model, data, ...(validation ? { validation } : {}), loss: problem.loss, params, seed: env.seed,
            optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), plugins: [env.make()], batchSize: problem.batchSize,
            steps: env.steps, compile, memoryScope, onNotice: () => {},
          });
          let fresh: FitResult;
          try {
            fresh = await run(false, false);
          } catch (e) {
            // a plugin that does not support float32 at all is not this check's business
            if (dtype === "float32") continue;
            throw e;
          }
          const compiled = await run(true, true), scoped = await run(false, true);
          const what = `${problem.name} in ${dtype}`;
          const d1 = bitsEqual(compiled.params, fresh.params) ?? lossesEqual(compiled, fresh);
          if (d1 !== undefined) fail(`the compiled step${compiled.compiled ? "" : " (fallen back to eager)"} and the eager step differ on ${what}: ${d1}`);
          const d2 = bitsEqual(scoped.params, fresh.params) ?? lossesEqual(scoped, fresh);
          if (d2 !== undefined) fail(`the eager step in its memory scope differs from fresh buffers on ${what} (declare keepsTensors if the plugin keeps tensors across steps): ${d2}`);
        }
      }
    },
  },
  "eval-deterministic": {
    applies: (env) => env.sample.site !== undefined || env.sample.forwardParams !== undefined,
    run: (env) => {
      for (const problem of env.problems) {
        const p = env.make();
        const params = problem.model.init(prngKey(env.seed));
        const x = problem.validation.x;
        const e1 = predict(problem.model, params, x, { plugins: [p], mode: "eval", key: prngKey(1) });
        const e2 = predict(problem.model, params, x, { plugins: [p], mode: "eval", key: prngKey(2) });
        const d = bitsEqual(e1, e2);
        if (d !== undefined) fail(`eval mode (not activated) depends on the key on ${problem.name}: ${d}`);
        const t1 = predict(problem.model, params, x, { plugins: [p], mode: "train", key: prngKey(3) });
        const t2 = predict(problem.model, params, x, { plugins: [p], mode: "train", key: prngKey(3) });
        const dt = bitsEqual(t1, t2);
        if (dt !== undefined) fail(`train mode with the same key is not deterministic on ${problem.name}: ${dt}`);
      }
    },
  },
};

function shapeDiff(a: Tree, b: unknown): string | undefined {
  let flatB: [Tensor[], unknown];
  try {
    flatB = treeFlatten(b as Tree);
  } catch {
    return "not a tree of tensors";
  }
  const [lb, db] = flatB;
  const [la, da] = treeFlatten(a);
  if (JSON.stringify(da) !== JSON.stringify(db)) return "different tree structure";
  for (let j = 0; j < la.length; j++) {
    const sa = la[j]!.shape, sb = lb[j]!.shape;
    if (sa.join() !== sb.join()) return `leaf ${j}: [${sb.join(", ")}] instead of [${sa.join(", ")}]`;
  }
  return undefined;
}

function stateShapeDiff(a: unknown, b: unknown): string | undefined {
  const skeleton = (v: unknown): string => JSON.stringify(encodeValue(v), (_k, x: unknown) => (typeof x === "number" || typeof x === "string" ? 0 : x));
  try {
    return skeleton(a) === skeleton(b) ? undefined : "the encoded state skeleton changed";
  } catch (e) {
    return `state is not serialisable: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function envOf(source: PluginSource, opts: ConformanceOptions): Env {
  const isFactory = typeof source === "function";
  const make = isFactory ? source : () => source;
  return {
    make, isFactory, sample: make(),
    problems: opts.problems ?? [tinyClassification(), tinyRegression()],
    steps: opts.steps ?? 8,
    seed: opts.seed ?? 7,
  };
}

/** The checks that apply to a plugin (by its hooks and whether a factory was given), minus `skip`. */
export function applicableChecks(source: PluginSource, opts: ConformanceOptions = {}): ConformanceCheckName[] {
  const env = envOf(source, opts);
  return (Object.keys(checks) as ConformanceCheckName[]).filter((c) => !(opts.skip ?? []).includes(c) && checks[c].applies(env));
}

/** Run one check; throws ConformanceError on failure. */
export async function runConformanceCheck(source: PluginSource, check: ConformanceCheckName, opts: ConformanceOptions = {}): Promise<void> {
  const env = envOf(source, opts);
  try {
    await checks[check].run(env);
  } catch (e) {
    if (e instanceof CheckFailure) throw new ConformanceError(env.sample.name, check, e.message);
    throw new ConformanceError(env.sample.name, check, `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

/**
 * Run every applicable check against a plugin (or, better, its factory) and report. Never throws
 * for a failing plugin; see `assertConformance` or `pluginConformanceTests` for test integration.
 * @example const report = await runPluginConformance(() => l2({ lambda: 1e-3 })); expect(report.ok).toBe(true);
 */
export async function runPluginConformance(source: PluginSource, opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const env = envOf(source, opts);
  const results: ConformanceCheck[] = [];
  for (const name of Object.keys(checks) as ConformanceCheckName[]) {
    if ((opts.skip ?? []).includes(name) || !checks[name].applies(env)) {
      results.push({ name, status: "skipped" });
      continue;
    }
    try {
      await runConformanceCheck(source, name, opts);
      results.push({ name, status: "passed" });
    } catch (e) {
      results.push({ name, status: "failed", message: e instanceof Error ? e.message : String(e) });
    }
  }
  return { plugin: env.sample.name, ok: results.every((r) => r.status !== "failed"), checks: results };
}

/** Throw a ConformanceError-style summary when a report has failures. */
export function assertConformance(report: ConformanceReport): void {
  const failed = report.checks.filter((c) => c.status === "failed");
  if (failed.length > 0) throw new TrainError(`plugin "${report.plugin}" fails ${failed.length} conformance check(s):\n${failed.map((c) => `- ${c.message}`).join("\n")}`);
}

/** The parts of vitest (or jest/mocha) the suite registers tests with. */
export interface TestApi {
  readonly describe: (name: string, fn: () => void) => void;
  readonly it: (name: string, fn: () => Promise<void>, timeout?: number) => void;
}

/**
 * Register one test per applicable check with your runner, without core-train depending on it:
 * `pluginConformanceTests("dropout", () => dropout({ rate: 0.5 }), { describe, it })`.
 */
export function pluginConformanceTests(name: string, source: PluginSource, api: TestApi, opts: ConformanceOptions = {}): void {
  api.describe(`${name} conformance`, () => {
    for (const check of applicableChecks(source, opts)) {
      api.it(`passes "${check}"`, () => runConformanceCheck(source, check, opts), 60_000);
    }
  });
}
