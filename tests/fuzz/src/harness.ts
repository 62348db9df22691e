// The package-independent part of the fuzz suites: pools of good and bad argument values built
// from core-autodiff tensors, a watchdog against hangs (node:vm's timeout interrupts synchronous
// code; promises race a timer), the outcome classification and the well-formedness check of
// accepted results. Each call ends in one of: a named error (an instance of an error class the
// package under test or its cores export, with a non-generic `name`), an accepted call (its result
// must be well-formed), a generic error (TypeError, RangeError... from deep inside) or a hang.
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import * as ad from "@regularize/core-autodiff";

import { type AcceptRule, SHARED_RULES, explain } from "./accepted.js";

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
/** Whether an error's name says nothing about what went wrong. */
export const isGeneric = (e: Error) => GENERIC_NAMES.has(e.name);

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
        // NaN and ±Infinity print as themselves (JSON would print null)
        return JSON.stringify(a, (_, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? `${v}` : v)) ?? String(a);
      } catch {
        return Object.prototype.toString.call(a);
      }
    })
    .join(", ");
}

/**
 * How many parameters `fn` declares in its source (a rest parameter counts as unbounded; unknown
 * when the source is native or a class without its own constructor). Unlike `fn.length`, it counts
 * parameters with defaults, so an options argument is never taken for an extra one.
 */
export function declaredParams(fn: Fn): number {
  const src = Function.prototype.toString.call(fn);
  if (src.includes("[native code]")) return Infinity;
  let i: number;
  if (/^class\b/.test(src)) {
    i = src.search(/\bconstructor\s*\(/);
    // no constructor of its own: none when the class extends nothing, else the base's (unknown here)
    if (i < 0) return /^class\s*[\w$]*\s*\{/.test(src) ? 0 : Infinity;
    i = src.indexOf("(", i);
  } else {
    const arrow = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(src);
    if (arrow) return 1;
    i = src.indexOf("(");
  }
  let depth = 0;
  let count = 0;
  let sawToken = false;
  let quote = "";
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j]!;
    if (quote) {
      if (c === "\\") j++;
      else if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) return sawToken ? count + 1 : count;
      depth--;
    } else if (depth === 0 && c === ",") {
      count++;
      sawToken = false;
      continue;
    } else if (depth === 0 && src.startsWith("...", j)) return Infinity;
    if (!/\s/.test(c)) sawToken = true;
  }
  return Infinity;
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
  /** This package's reviewed reasons why an accepted call with a bad argument is legal (see accepted.ts). */
  accept?: readonly AcceptRule[];
  /** Exports whose accepted results' methods are fuzzed too (default: every export). */
  methodsOf?: (name: string) => boolean;
  /**
   * Well-built objects whose methods are fuzzed whatever the random exports calls return (a
   * Predictive, a model, an optimizer transform, a plugin, a Jitted function, an augmentation): by
   * label; a function is itself called too.
   */
  objects?: Readonly<Record<string, unknown>>;
  /** Per class name, methods never fuzzed: the TypeScript-private ones (see ts-private.ts), not public API. */
  privateMethods?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface FuzzReport {
  exports: number;
  counts: Counts;
  /** Accepted calls that had at least one value of the bad pool among their arguments (to review: FUZZ_SHOW_ACCEPTED=1). */
  acceptedWithBad: number;
  /** Of those, how many each reviewed reason (an AcceptRule id) explains. */
  acceptedByReason: Map<string, number>;
  /** Per export: accepted calls with a bad argument that no reason explains (silent acceptance), with the first as an example. */
  unexplained: Map<string, { count: number; example: string }>;
  /** Calls made on methods of returned objects (included in `counts`). */
  methodCalls: number;
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
  const report: FuzzReport = { exports: 0, acceptedWithBad: 0, acceptedByReason: new Map(), unexplained: new Map(), methodCalls: 0, counts: { tried: 0, named: 0, accepted: 0, generic: 0, hang: 0 }, generic: new Map(), malformed: [], hangs: [] };
  const { counts } = report;
  const rules = [...SHARED_RULES, ...(options.accept ?? [])];
  const methodsOf = options.methodsOf ?? (() => true);

  const classify = (e: unknown): Outcome => {
    if ((e as { code?: string } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return "hang";
    if (e instanceof Error && e.message === USER_CODE_ERROR) return "named";
    if (e instanceof Error && !GENERIC_NAMES.has(e.name) && options.named.some((C) => e instanceof C)) return "named";
    return "generic";
  };

  async function call(name: string, fn: Fn, args: readonly unknown[], construct: boolean, depth: number, self?: unknown): Promise<void> {
    counts.tried++;
    if (self !== undefined) report.methodCalls++;
    const backend = ad.getBackend();
    let result: unknown;
    let outcome: Outcome;
    let error: unknown;
    try {
      // a generator's body runs only when iterated: take its first value under the same watchdog
      const run = () => {
        const r = construct ? Reflect.construct(fn, args) : Reflect.apply(fn, self, args);
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
      const badAt = args.flatMap((a, i) => (bad.includes(a) ? [i] : []));
      if (badAt.length > 0) {
        report.acceptedWithBad++;
        const c = { name, args, bad: badAt, declared: declaredParams(fn), result, construct, fn };
        const rule = explain(rules, c);
        if (rule) report.acceptedByReason.set(rule.id, (report.acceptedByReason.get(rule.id) ?? 0) + 1);
        else report.unexplained.set(name, { count: (report.unexplained.get(name)?.count ?? 0) + 1, example: report.unexplained.get(name)?.example ?? shown() });
        if (process.env.FUZZ_SHOW_ACCEPTED) console.log(`accepted${rule ? ` [${rule.id}]` : " UNEXPLAINED"}: ${shown()}`);
      }
      if (!wellFormed(result)) report.malformed.push(shown());
      if (typeof result === "function" && depth === 0 && !construct) {
        const nth = (returnedFns.get(name) ?? 0) + 1;
        returnedFns.set(name, nth);
        for (const inner of fc.sample(fc.array(arg, { minLength: 1, maxLength: 3 }), { seed: seed + hashName(name) + nth, numRuns: 3 })) {
          await call(`${name}(…)`, result as Fn, inner, false, 1);
        }
      }
      if (depth === 0 && methodsOf(name)) {
        // methods of the returned object (a model's init/apply, a transform's init/update, a plugin's
        // hooks, a Predictive's predict, Jitted.clear...): each once per export, on the first result having it
        for (const [m, method] of methodsTo(result)) {
          const cls = (result as { constructor?: { name?: string } }).constructor?.name ?? "";
          if (options.privateMethods?.get(cls)?.has(m)) continue;
          const key = `${name.replace(/\(…\)$/, "")}(…).${m}`;
          if (seenMethods.has(key)) continue;
          seenMethods.add(key);
          // seeded by the method's name: its samples do not shift when other calls change
          for (const inner of fc.sample(fc.array(arg, { minLength: 0, maxLength: 3 }), { seed: seed + hashName(key), numRuns: methodRuns })) {
            await call(key, method, inner, false, 1, result);
          }
        }
      }
    }
  }

  const seenMethods = new Set<string>();
  /** Per export, how many returned functions were fuzzed (their samples' seed offset: stable when other exports change). */
  const returnedFns = new Map<string, number>();
  const methodRuns = Number(process.env.FUZZ_METHOD_RUNS ?? 6);
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
  for (const [label, obj] of Object.entries(options.objects ?? {})) {
    if (typeof obj === "function") {
      for (const args of fc.sample(fc.array(arg, { minLength: 0, maxLength: 3 }), { seed: seed + hashName(label), numRuns })) await call(label, obj as Fn, args, false, 1);
    }
    for (const [m, method] of methodsTo(obj)) {
      const cls = (obj as { constructor?: { name?: string } }).constructor?.name ?? "";
      if (options.privateMethods?.get(cls)?.has(m)) continue;
      for (const inner of fc.sample(fc.array(arg, { minLength: 0, maxLength: 3 }), { seed: seed + hashName(`${label}.${m}`), numRuns: methodRuns })) {
        await call(`${label}.${m}`, method, inner, false, 1, obj);
      }
    }
  }
  return report;
}

/** A small stable hash of a name (a seed offset). */
function hashName(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h >>> 0;
}

/** The methods of a returned object: own and prototype functions, except Object's and Error's. */
function methodsTo(v: unknown): [string, Fn][] {
  if (v === null || (typeof v !== "object" && typeof v !== "function") || v instanceof ad.Tensor || Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof Error || v instanceof Promise) return [];
  const out: [string, Fn][] = [];
  const seen = new Set<string>(["constructor"]);
  for (let o: object | null = v as object; o !== null && o !== Object.prototype && o !== Function.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (seen.has(k)) continue;
      seen.add(k);
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d && typeof d.value === "function" && !isClass(d.value)) out.push([k, d.value as Fn]);
    }
  }
  return out;
}

/** Accepted calls with a bad argument that no reviewed reason explains. */
export const unexplainedCount = (r: FuzzReport) => [...r.unexplained.values()].reduce((n, u) => n + u.count, 0);

/**
 * The failures of a report beyond the known ones (`known`: per export, how many generic errors or
 * unexplained acceptances are listed as not fixed yet): each a line with one example.
 */
export function beyondKnown(found: Map<string, { count: number; example: string }>, known: Readonly<Record<string, number>> = {}): string[] {
  return [...found].filter(([name, g]) => g.count > (known[name] ?? 0)).map(([name, g]) => `${g.count}× ${name}: ${g.example}`);
}

/** One line of counts, and the generic errors by export (one example each). */
export function formatReport(pkg: string, report: FuzzReport): string {
  const reasons = [...report.acceptedByReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(", ");
  const lines = [
    `fuzz ${pkg}: ${report.exports} exports ${JSON.stringify(report.counts)} (${report.methodCalls} on methods of returned objects), ` +
      `${report.acceptedWithBad} accepted with a bad argument: ${report.acceptedWithBad - unexplainedCount(report)} with a reason (${reasons || "none"}), ${unexplainedCount(report)} unexplained`,
  ];
  for (const [name, u] of report.unexplained) lines.push(`  unexplained acceptance ${u.count}× ${name}: ${u.example}`);
  for (const [name, g] of report.generic) lines.push(`  generic ${g.count}× ${name}: ${g.example}`);
  for (const h of report.hangs) lines.push(`  hang: ${h}`);
  for (const m of report.malformed) lines.push(`  malformed result: ${m}`);
  return lines.join("\n");
}
