import { ShapeError, ValueError } from "./errors.js";
import { Tensor } from "./tensor.js";
import { type Tree, treeLeaves } from "./tree.js";

/** Tolerances of {@link allclose}: |a − e| ≤ atol + rtol·|e| elementwise (NumPy's rule). */
export interface AllcloseOptions {
  readonly rtol: number;
  readonly atol: number;
  /** Treat NaN as equal to NaN (default false, as NumPy). */
  readonly equalNan?: boolean;
}

/** What {@link allclose} compares: a tensor, a number, nested arrays, a (typed) flat array or a tree of tensors. */
export type Numeric = Tensor | number | ArrayLike<number> | readonly Numeric[] | Tree;

/** The outcome of {@link compareAllclose}: `ok`, and a message naming the worst element when not. */
export interface AllcloseReport {
  readonly ok: boolean;
  /** Why the comparison failed (shape, or count and worst element with both values); "" when ok. */
  readonly message: string;
}

interface Flat {
  readonly values: number[];
  /** null when the value carries no shape (a flat typed array or a tree). */
  readonly shape: number[] | null;
}

function flatten(v: unknown, what: string): Flat {
  if (v instanceof Tensor) return { values: Array.from(v.data), shape: [...v.shape] };
  if (typeof v === "number") return { values: [v], shape: [] };
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return { values: Array.from(v as Float64Array), shape: null };
  if (Array.isArray(v)) {
    if (v.some((e) => e instanceof Tensor || (e !== null && typeof e === "object" && !Array.isArray(e) && !ArrayBuffer.isView(e)))) {
      return { values: treeLeaves(v as Tree).flatMap((l) => Array.from(l.data)), shape: null };
    }
    const values: number[] = [];
    let shape: number[] | null = null;
    v.forEach((e, i) => {
      const f = flatten(e, `${what}[${i}]`);
      const inner = f.shape ?? [f.values.length];
      if (shape === null) shape = inner;
      else if (shape.join(",") !== inner.join(",")) throw new ShapeError("allclose", `${what} is ragged at index ${i}`);
      values.push(...f.values);
    });
    return { values, shape: [v.length, ...(shape ?? [])] };
  }
  if (v !== null && typeof v === "object") return { values: treeLeaves(v as Tree).flatMap((l) => Array.from(l.data)), shape: null };
  throw new ValueError("allclose", `${what} is not numeric: ${String(v)}`);
}

function close(a: number, e: number, o: AllcloseOptions): boolean {
  if (Number.isNaN(a) || Number.isNaN(e)) return (o.equalNan ?? false) && Number.isNaN(a) && Number.isNaN(e);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= o.atol + o.rtol * Math.abs(e);
}

const fmt = (s: number[] | null): string => (s === null ? "(flat)" : `[${s.join(", ")}]`);
const preview = (xs: number[]): string => (xs.length <= 12 ? `[${xs.join(", ")}]` : `[${xs.slice(0, 12).join(", ")}, …]`);

/**
 * Compare elementwise with NumPy's allclose rule and explicit tolerances; shapes must match when both
 * sides have one (tensors, nested arrays), otherwise the lengths. Infinities must match exactly.
 * The one implementation behind every package's test helper (core-train/testing's `assertAllclose`,
 * core-autodiff's `toBeAllclose` matcher).
 * @example compareAllclose(tensor([1, 2]), [1, 2 + 1e-12], { rtol: 1e-10, atol: 0 }).ok // true
 */
export function compareAllclose(actual: Numeric, expected: Numeric, opts: AllcloseOptions): AllcloseReport {
  // null (or a number) must meet the same error as undefined, not a TypeError reading opts.rtol
  if (opts === null || typeof opts !== "object" || typeof opts.rtol !== "number" || typeof opts.atol !== "number") {
    throw new ValueError("allclose", "needs explicit { rtol, atol }");
  }
  const r = flatten(actual, "actual"), e = flatten(expected, "expected");
  const shapesComparable = r.shape !== null && e.shape !== null;
  if (shapesComparable ? r.shape?.join(",") !== e.shape?.join(",") : r.values.length !== e.values.length) {
    return { ok: false, message: `expected shape ${fmt(e.shape)} (${e.values.length} values), got ${fmt(r.shape)} (${r.values.length} values)` };
  }
  let worst = -1, worstExcess = -Infinity, bad = 0;
  for (let i = 0; i < e.values.length; i++) {
    const a = r.values[i] ?? Number.NaN, x = e.values[i] ?? Number.NaN;
    if (close(a, x, opts)) continue;
    bad++;
    const excess = Number.isFinite(a - x) ? Math.abs(a - x) - opts.atol - opts.rtol * Math.abs(x) : Infinity;
    if (worst < 0 || excess > worstExcess) [worst, worstExcess] = [i, excess];
  }
  if (bad === 0) return { ok: true, message: "" };
  return {
    ok: false,
    message:
      `${bad}/${e.values.length} values differ beyond rtol ${opts.rtol}, atol ${opts.atol}; worst at flat index ${worst}: ` +
      `got ${r.values[worst]}, expected ${e.values[worst]}\n  got      ${preview(r.values)}\n  expected ${preview(e.values)}`,
  };
}

/** NumPy's `allclose` with explicit tolerances (see {@link compareAllclose}). */
export function allclose(actual: Numeric, expected: Numeric, opts: AllcloseOptions): boolean {
  return compareAllclose(actual, expected, opts).ok;
}
