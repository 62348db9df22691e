// The package-independent part of the fuzz suites: pools of good and bad argument values built
// from core-autodiff tensors, a watchdog against hangs (node:vm's timeout interrupts synchronous
// code; promises race a timer), the outcome classification and the well-formedness check of
// accepted results. Each call ends in one of: a named error (an instance of an error class the
// package under test or its cores export, with a non-generic `name`), an accepted call (its result
// must be well-formed), a generic error (TypeError, RangeError... from deep inside) or a hang.
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import * as ad from "@regularize/core-autodiff";

export type Outcome = "named" | "accepted" | "generic" | "hang";
export type Counts = Record<"tried" | Outcome, number>;
type Fn = (...a: unknown[]) => unknown;

const f64 = ad.tensor([[1, -2, 3], [0.5, 0, -1]]);
const vec = ad.tensor([0.25, -1, 2]);

/** Well-typed values: tensors of each dtype, small shapes, axes, options, callbacks, trees. */
export const goodValues: readonly unknown[] = [
  f64, vec, ad.tensor([1, 2, 3], { dtype: "float32" }), ad.tensor([2, 0], { dtype: "int32" }), ad.scalar(2), ad.tensor([[[1, 2]]]), ad.eye(2), ad.prngKey(7),
  0, 1, 2, -1, 0.5, [2, 3], [3], [], [[0, 1]], { axis: 1 }, { keepdims: true }, { dtype: "float32" }, {},
  (x: ad.Tensor) => ad.sum(ad.square(x)), (x: ad.Tensor) => x, [f64, f64], { w: vec, b: vec }, "relu", true, false,
];

/** The fuzzer's own callback that throws: an error passing through from it counts as named. */
export const USER_CODE_ERROR = "user code";

/** Wrong shapes, dtypes, NaN/±Inf, out-of-range numbers, mistyped options, non-tensors. */
export const badValues: readonly unknown[] = [
  undefined, null, NaN, Infinity, -Infinity, -3, 1.5, 2 ** 40, -(2 ** 31) - 1, "x", "f32", "float", { foo: 1 }, [-2, -3], [2 ** 31],
  [1.5], [2 ** 16, 2 ** 16], [[1, 2], [3]], ["a"], { dtype: "float" }, { dtype: "int32" }, { axis: "a" }, { axis: 9 }, { keepdims: 1 },
  { reduction: "avg" }, { activation: "gelu" }, { kernel: -1 }, { stride: 0 }, { padding: 2 ** 40 }, new Float64Array([NaN, Infinity]),
  ad.tensor([NaN, Infinity, -Infinity]), ad.tensor([1, 2], { dtype: "int32" }), Symbol("s"), 10n, () => 1, () => { throw new Error(USER_CODE_ERROR); },
  Object.create(null), [null], [{ foo: 1 }],
];

/** Names that say nothing about what went wrong: an error carrying one is generic. */
const GENERIC_NAMES = new Set(["Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError", "AggregateError"]);

/** The error classes among the exports of `libs` (functions whose prototype is an Error). */
export function errorClasses(...libs: readonly Record<string, unknown>[]): Fn[] {
  return libs.flatMap((lib) => Object.values(lib).filter((v): v is Fn => typeof v === "function" && v.prototype instanceof Error));
}

/** Whether v (a tensor, or arrays/objects/functions around tensors) is well-formed. */
export function wellFormed(v: unknown, depth = 0): boolean {
  if (v instanceof ad.Tensor) {
    const ctor = v.dtype === "float64" ? Float64Array : v.dtype === "float32" ? Float32Array : v.dtype === "int32" ? Int32Array : null;
    return ctor !== null && v.data instanceof ctor && v.shape.every((d) => Number.isInteger(d) && d >= 0) && v.data.length === v.shape.reduce((p, d) => p * d, 1);
  }
  if (depth > 6) return true;
  if (Array.isArray(v)) return v.every((e) => wellFormed(e, depth + 1));
  if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v)) return Object.values(v).every((e) => wellFormed(e, depth + 1));
  return true;
}

export function describeArgs(args: readonly unknown[]): string {
  return args
    .map((a) => {
      if (a instanceof ad.Tensor) return `Tensor(${a.dtype},[${a.shape.join(",")}])`;
      if (typeof a === "function") return "fn";
      if (typeof a === "symbol" || typeof a === "bigint") return String(a);
      try {
        return JSON.stringify(a) ?? String(a);
      } catch {
        return Object.prototype.toString.call(a);
      }
    })
    .join(", ");
}

const isClass = (f: unknown) => typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

export interface FuzzOptions {
  /** The error classes whose instances count as named (see `errorClasses`). */
  named: readonly Fn[];
  /** Values added to the shared pools for this package (its own options, models, data...). */
  good?: readonly unknown[];
  bad?: readonly unknown[];
  /** Samples per export (FUZZ_RUNS overrides) and the seed offset (FUZZ_SEED overrides). */
  runs?: number;
  seed?: number;
  /** Per-call watchdog, in milliseconds. */
  timeoutMs?: number;
}

export interface FuzzReport {
  exports: number;
  counts: Counts;
  /** Accepted calls that had at least one value of the bad pool among their arguments (to review: FUZZ_SHOW_ACCEPTED=1). */
  acceptedWithBad: number;
  /** Per export: how many calls ended in a generic error, with the first one as an example. */
  generic: Map<string, { count: number; example: string }>;
  malformed: string[];
  hangs: string[];
}

/**
 * Calls every function `lib` exports with samples of good and bad arguments (classes are
 * constructed); functions returned by accepted calls are fuzzed in turn, one level deep.
 */
export async function fuzzExports(lib: Record<string, unknown>, options: FuzzOptions): Promise<FuzzReport> {
  const good = [...goodValues, ...(options.good ?? [])];
  const bad = [...badValues, ...(options.bad ?? [])];
  const arg = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...good) }, { weight: 2, arbitrary: fc.constantFrom(...bad) });
  const timeout = options.timeoutMs ?? 2000;
  const report: FuzzReport = { exports: 0, acceptedWithBad: 0, counts: { tried: 0, named: 0, accepted: 0, generic: 0, hang: 0 }, generic: new Map(), malformed: [], hangs: [] };
  const { counts } = report;

  const classify = (e: unknown): Outcome => {
    if ((e as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return "hang";
    if (e instanceof Error && e.message === USER_CODE_ERROR) return "named";
    if (e instanceof Error && !GENERIC_NAMES.has(e.name) && options.named.some((C) => e instanceof C)) return "named";
    return "generic";
  };

  async function call(name: string, fn: Fn, args: readonly unknown[], construct: boolean, depth: number): Promise<void> {
    counts.tried++;
    const backend = ad.getBackend();
    let result: unknown;
    let outcome: Outcome;
    let error: unknown;
    try {
      // a generator's body runs only when iterated: take its first value under the same watchdog
      const run = () => {
        const r = construct ? Reflect.construct(fn, args) : fn(...args);
        const it = r as { next?: unknown; [Symbol.iterator]?: unknown } | null;
        if (it !== null && typeof it === "object" && typeof it.next === "function" && typeof it[Symbol.iterator] === "function") (it.next as () => unknown).call(it);
        return r;
      };
      result = runInNewContext("run()", { run }, { timeout });
      if (result instanceof Promise) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const expired = new Promise((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "ERR_SCRIPT_EXECUTION_TIMEOUT" })), timeout);
        });
        try {
          result = await Promise.race([result, expired]);
        } finally {
          clearTimeout(timer);
        }
      }
      outcome = "accepted";
    } catch (e) {
      error = e;
      outcome = classify(e);
    } finally {
      ad.setBackend(backend);
    }
    counts[outcome]++;
    const shown = () => `${name}(${describeArgs(args)})`;
    if (outcome === "generic") {
      const g = report.generic.get(name) ?? { count: 0, example: `${shown()} → ${(error as Error)?.name}: ${(error as Error)?.message}` };
      g.count++;
      report.generic.set(name, g);
    } else if (outcome === "hang") {
      report.hangs.push(shown());
    } else if (outcome === "accepted") {
      if (args.some((a) => bad.includes(a))) {
        report.acceptedWithBad++;
        if (process.env.FUZZ_SHOW_ACCEPTED) console.log(`accepted: ${shown()}`);
      }
      if (!wellFormed(result)) report.malformed.push(shown());
      if (typeof result === "function" && depth === 0 && !construct) {
        for (const inner of fc.sample(fc.array(arg, { minLength: 1, maxLength: 3 }), { seed: counts.tried, numRuns: 3 })) {
          await call(`${name}(…)`, result as Fn, inner, false, 1);
        }
      }
    }
  }

  const exports = Object.entries(lib).filter(([, v]) => typeof v === "function") as [string, Fn][];
  report.exports = exports.length;
  const seed = Number(process.env.FUZZ_SEED ?? options.seed ?? 0);
  const numRuns = Number(process.env.FUZZ_RUNS ?? options.runs ?? 30);
  for (const [name, fn] of exports) {
    const arity = Math.min(Math.max(fn.length, 1) + 1, 5);
    for (const args of fc.sample(fc.array(arg, { minLength: 0, maxLength: arity }), { seed: seed + name.length * 131 + name.charCodeAt(0), numRuns })) {
      await call(name, fn, args, isClass(fn), 0);
    }
  }
  return report;
}

/** One line of counts, and the generic errors by export (one example each). */
export function formatReport(pkg: string, report: FuzzReport): string {
  const lines = [`fuzz ${pkg}: ${report.exports} exports ${JSON.stringify(report.counts)}, ${report.acceptedWithBad} accepted with a bad argument`];
  for (const [name, g] of report.generic) lines.push(`  generic ${g.count}× ${name}: ${g.example}`);
  for (const h of report.hangs) lines.push(`  hang: ${h}`);
  for (const m of report.malformed) lines.push(`  malformed result: ${m}`);
  return lines.join("\n");
}
