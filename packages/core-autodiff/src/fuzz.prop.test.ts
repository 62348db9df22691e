// Fuzzes every function the package exports with wrong shapes, dtypes, NaN/±Inf, out-of-range
// numbers, mistyped options and non-tensors. Each call runs under a watchdog (node:vm's timeout
// interrupts synchronous code), and ends in one of: a named error (one of the package's error
// classes), an accepted call (its result must be well-formed), a generic error (TypeError,
// RangeError... from deep inside: none allowed) or a hang (none allowed).
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as lib from "./index.js";

const { Tensor, AutodiffError } = lib;
type Outcome = "named" | "accepted" | "generic" | "hang";

const f64 = lib.tensor([[1, -2, 3], [0.5, 0, -1]]);
const vec = lib.tensor([0.25, -1, 2]);
const f32 = lib.tensor([1, 2, 3], { dtype: "float32" });
const labels = lib.tensor([2, 0], { dtype: "int32" });
const key = lib.prngKey(7);
const good: unknown[] = [
  f64, vec, f32, labels, lib.scalar(2), lib.tensor([[[1, 2]]]), lib.eye(2), key,
  0, 1, 2, -1, 0.5, [2, 3], [3], [], [[0, 1]], { axis: 1 }, { keepdims: true }, { dtype: "float32" }, {},
  (x: lib.Tensor) => lib.sum(lib.square(x)), (x: lib.Tensor) => x, [f64, f64], { w: vec, b: vec }, "relu", true, false,
];
const bad: unknown[] = [
  undefined, null, NaN, Infinity, -Infinity, -3, 1.5, 2 ** 40, -(2 ** 31) - 1, "x", "f32", "float", { foo: 1 }, [-2, -3], [2 ** 31],
  [1.5], [2 ** 16, 2 ** 16], [[1, 2], [3]], ["a"], { dtype: "float" }, { dtype: "int32" }, { axis: "a" }, { axis: 9 }, { keepdims: 1 },
  { reduction: "avg" }, { activation: "gelu" }, { kernel: -1 }, { stride: 0 }, { padding: 2 ** 40 }, new Float64Array([NaN, Infinity]),
  lib.tensor([NaN, Infinity, -Infinity]), lib.tensor([1, 2], { dtype: "int32" }), Symbol("s"), 10n, () => 1, () => { throw new Error("user code"); },
  Object.create(null), [null], [{ foo: 1 }],
];
const arg = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...good) }, { weight: 2, arbitrary: fc.constantFrom(...bad) });

/** Whether v (a tensor, or arrays/objects/functions around tensors) is well-formed. */
function wellFormed(v: unknown, depth = 0): boolean {
  if (v instanceof Tensor) {
    const ctor = v.dtype === "float64" ? Float64Array : v.dtype === "float32" ? Float32Array : v.dtype === "int32" ? Int32Array : null;
    return ctor !== null && v.data instanceof ctor && v.shape.every((d) => Number.isInteger(d) && d >= 0) && v.data.length === v.shape.reduce((p, d) => p * d, 1);
  }
  if (depth > 6) return true;
  if (Array.isArray(v)) return v.every((e) => wellFormed(e, depth + 1));
  if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v)) return Object.values(v).every((e) => wellFormed(e, depth + 1));
  return true;
}

const counts = { tried: 0, named: 0, accepted: 0, generic: 0, hang: 0 };
const generic = new Map<string, { count: number; example: string }>();
const malformed: string[] = [];

function describeArgs(args: readonly unknown[]): string {
  return args.map((a) => (a instanceof Tensor ? `Tensor(${a.dtype},[${a.shape.join(",")}])` : typeof a === "function" ? "fn" : typeof a === "symbol" || typeof a === "bigint" ? String(a) : JSON.stringify(a) ?? String(a))).join(", ");
}

/** One guarded call; results that are functions (transforms' results) are fuzzed in turn. */
function call(name: string, fn: (...a: unknown[]) => unknown, args: readonly unknown[], isClass: boolean, depth: number): Outcome {
  counts.tried++;
  const backend = lib.getBackend();
  let result: unknown;
  let outcome: Outcome;
  try {
    result = runInNewContext("run()", { run: () => (isClass ? Reflect.construct(fn, args) : fn(...args)) }, { timeout: 2000 });
    outcome = "accepted";
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") outcome = "hang";
    else if (e instanceof AutodiffError) outcome = "named";
    else if (e instanceof Error && e.message === "user code") outcome = "named"; // the fuzzer's own callback threw, passed through
    else {
      outcome = "generic";
      const g = generic.get(name) ?? { count: 0, example: `${name}(${describeArgs(args)}) → ${(e as Error)?.name}: ${(e as Error)?.message}` };
      g.count++;
      generic.set(name, g);
    }
  } finally {
    lib.setBackend(backend);
  }
  counts[outcome]++;
  if (outcome === "accepted") {
    if (process.env.FUZZ_SHOW_ACCEPTED && args.some((a) => bad.includes(a))) console.log(`accepted: ${name}(${describeArgs(args)})`);
    if (!wellFormed(result)) malformed.push(`${name}(${describeArgs(args)})`);
    if (typeof result === "function" && depth === 0 && !isClass) {
      for (const inner of fc.sample(fc.array(arg, { minLength: 1, maxLength: 3 }), { seed: counts.tried, numRuns: 3 })) {
        call(`${name}(…)`, result as (...a: unknown[]) => unknown, inner, false, 1);
      }
    }
  }
  return outcome;
}

describe("fuzzing every export", () => {
  it("ends every bad call in a named error or a well-formed result, never a generic error or a hang", () => {
    const exports = Object.entries(lib).filter(([, v]) => typeof v === "function") as [string, (...a: unknown[]) => unknown][];
    expect(exports.length).toBeGreaterThan(100);
    const isClass = (f: unknown) => typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));
    for (const [name, fn] of exports) {
      const arity = Math.min(Math.max(fn.length, 1) + 1, 5);
      for (const args of fc.sample(fc.array(arg, { minLength: 0, maxLength: arity }), { seed: Number(process.env.FUZZ_SEED ?? 0) + name.length * 131 + name.charCodeAt(0), numRuns: Number(process.env.FUZZ_RUNS ?? 30) })) {
        call(name, fn, args, isClass(fn), 0);
      }
    }
    console.log(`fuzz: ${JSON.stringify(counts)}`);
    const genericList = [...generic.values()].map((g) => `${g.count}× ${g.example}`);
    if (genericList.length > 0) console.log(`generic errors by export:\n${genericList.join("\n")}`);
    expect(malformed, "accepted calls with malformed results").toEqual([]);
    expect(genericList, "generic errors").toEqual([]);
    expect(counts.hang).toBe(0);
    expect(counts.named + counts.accepted + counts.generic + counts.hang).toBe(counts.tried);
  });
});
