// The shared `toBeAllclose` matcher: NumPy's allclose (|a − e| ≤ atol + rtol·|e| elementwise) with
// the tolerances always written at the call site, plus a shape check. Import this file (for its
// side effect) from every test that compares numbers.
import { expect } from "vitest";
import { Tensor } from "../src/index.js";

/** Tolerances of toBeAllclose; both are required so every comparison states its precision. */
export interface AllcloseOptions {
  readonly rtol: number;
  readonly atol: number;
  /** Treat NaN as equal to NaN (default false, as NumPy). */
  readonly equalNan?: boolean;
}

/** Anything toBeAllclose can compare: a tensor, a number, nested arrays or a (typed) flat array. */
export type Numeric = Tensor | number | ArrayLike<number> | readonly Numeric[];

interface Flat {
  readonly values: number[];
  /** null when the value carries no shape (a flat typed array). */
  readonly shape: number[] | null;
}

function flatten(v: unknown, what: string): Flat {
  if (v instanceof Tensor) return { values: Array.from(v.data), shape: [...v.shape] };
  if (typeof v === "number") return { values: [v], shape: [] };
  if (ArrayBuffer.isView(v)) return { values: Array.from(v as unknown as ArrayLike<number>), shape: null };
  if (Array.isArray(v)) {
    const values: number[] = [];
    let shape: number[] | null = null;
    v.forEach((e, i) => {
      const f = flatten(e, `${what}[${i}]`);
      const inner = f.shape ?? [f.values.length];
      if (shape === null) shape = inner;
      else if (shape.join(",") !== inner.join(",")) throw new Error(`${what} is ragged at index ${i}`);
      values.push(...f.values);
    });
    return { values, shape: [v.length, ...(shape ?? [])] };
  }
  throw new Error(`${what} is not numeric: ${String(v)}`);
}

function close(a: number, e: number, o: AllcloseOptions): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) return (o.equalNan ?? false) && Number.isNaN(a) && Number.isNaN(e);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= o.atol + o.rtol * Math.abs(e);
}

const fmt = (s: number[] | null) => (s === null ? "(flat)" : `[${s.join(", ")}]`);

expect.extend({
  toBeAllclose(received: unknown, expected: Numeric, opts: AllcloseOptions) {
    if (opts === undefined || typeof opts.rtol !== "number" || typeof opts.atol !== "number") {
      throw new Error("toBeAllclose needs explicit { rtol, atol }");
    }
    const r = flatten(received, "received"), e = flatten(expected, "expected");
    const shapesComparable = r.shape !== null && e.shape !== null;
    if (shapesComparable ? r.shape!.join(",") !== e.shape!.join(",") : r.values.length !== e.values.length) {
      return {
        pass: false,
        message: () => `expected shape ${fmt(e.shape)} (${e.values.length} values), received ${fmt(r.shape)} (${r.values.length} values)`,
      };
    }
    let worst = -1, worstExcess = -Infinity, bad = 0;
    for (let i = 0; i < e.values.length; i++) {
      const a = r.values[i]!, x = e.values[i]!;
      if (close(a, x, opts)) continue;
      bad++;
      const excess = Number.isFinite(a - x) ? Math.abs(a - x) - opts.atol - opts.rtol * Math.abs(x) : Infinity;
      if (worst < 0 || excess > worstExcess) { worst = i; worstExcess = excess; }
    }
    const preview = (xs: number[]) => (xs.length <= 12 ? `[${xs.join(", ")}]` : `[${xs.slice(0, 12).join(", ")}, …]`);
    return {
      pass: bad === 0,
      message: () =>
        bad === 0
          ? `expected values not to be allclose (rtol ${opts.rtol}, atol ${opts.atol})`
          : `${bad}/${e.values.length} values differ beyond rtol ${opts.rtol}, atol ${opts.atol}; worst at flat index ${worst}: ` +
            `received ${r.values[worst]}, expected ${e.values[worst]}\n  received ${preview(r.values)}\n  expected ${preview(e.values)}`,
    };
  },
});

declare module "vitest" {
  interface Matchers<T = any> {
    /** NumPy allclose with explicit tolerances; also checks shapes when both sides have one. */
    toBeAllclose(expected: Numeric, opts: AllcloseOptions): T;
  }
}
