import type { DataArray } from "../dtype.js";

/** Reductions over a set of axes. */
export type ReduceOp = "sum" | "max" | "min";

/**
 * Reduce `x` (shape `shape`) over sorted `axes` into `out` (the kept shape, row-major).
 * The input is viewed as alternating kept/reduced blocks; the common cases (all axes, last axes,
 * leading axes) become one or two tight loops.
 */
export function reduceKernel(op: ReduceOp, x: DataArray, shape: readonly number[], axes: readonly number[], out: DataArray): void {
  const nd = shape.length;
  const init = op === "sum" ? 0 : op === "max" ? -Infinity : Infinity;
  out.fill(init);
  if (x.length === 0) return;
  // one number left: every axis of size > 1 is reduced, so the general walk below is this one loop
  // (without its per-call bookkeeping arrays; full sums and means are the most frequent reductions)
  if (out.length === 1) { combine(op, x, 0, x.length, 1, out, 0); return; }
  const reduced = new Array<boolean>(nd).fill(false);
  for (const a of axes) reduced[a] = true;
  // collapse adjacent axes with the same role
  const dims: number[] = [];
  const red: boolean[] = [];
  for (let i = 0; i < nd; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const r = reduced[i]!;
    if (red.length > 0 && red[red.length - 1] === r) dims[dims.length - 1]! *= d;
    else { dims.push(d); red.push(r); }
  }
  if (dims.length === 0) { combine(op, x, 0, 1, 1, out, 0); return; }
  // out strides for each collapsed dim (0 for reduced dims)
  const os = new Array<number>(dims.length).fill(0);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) if (!red[i]) { os[i] = acc; acc *= dims[i]!; }
  const last = dims.length - 1;
  const len = dims[last]!;
  const lastReduced = red[last]!;
  const outer = x.length / len;
  const idx = new Array<number>(last).fill(0);
  let o = 0;
  for (let blk = 0; blk < outer; blk++) {
    const xo = blk * len;
    if (lastReduced) combine(op, x, xo, len, 1, out, o);
    else combineRow(op, x, xo, out, o, len);
    for (let k = last - 1; k >= 0; k--) {
      idx[k]!++;
      o += os[k]!;
      if (idx[k]! < dims[k]!) break;
      o -= os[k]! * dims[k]!;
      idx[k] = 0;
    }
  }
}

// out[o] = out[o] (op) x[xo .. xo+len)
function combine(op: ReduceOp, x: DataArray, xo: number, len: number, _s: number, out: DataArray, o: number): void {
  let acc = out[o]!;
  if (op === "sum") for (let j = 0; j < len; j++) acc += x[xo + j]!;
  else if (op === "max") for (let j = 0; j < len; j++) { const v = x[xo + j]!; if (v > acc || v !== v) acc = v; }
  else for (let j = 0; j < len; j++) { const v = x[xo + j]!; if (v < acc || v !== v) acc = v; }
  out[o] = acc;
}

// out[o + j] = out[o + j] (op) x[xo + j]
function combineRow(op: ReduceOp, x: DataArray, xo: number, out: DataArray, o: number, len: number): void {
  if (op === "sum") for (let j = 0; j < len; j++) out[o + j] = out[o + j]! + x[xo + j]!;
  else if (op === "max") for (let j = 0; j < len; j++) { const v = x[xo + j]!; if (v > out[o + j]! || v !== v) out[o + j] = v; }
  else for (let j = 0; j < len; j++) { const v = x[xo + j]!; if (v < out[o + j]! || v !== v) out[o + j] = v; }
}

/**
 * out[0] = Σ x² (the sumSquares primitive): each square rounded to x's dtype (what `square` stores),
 * element i added into float64 accumulator i mod 8, the n mod 8 tail into the first in order, then
 * ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)), rounded once on store. Eight chains instead of
 * one in-order chain: the WASM kernel (four f64x2 registers) runs it at SIMD speed with these bits.
 */
export function sumSquaresKernel(x: DataArray, out: DataArray): void {
  out[0] = x instanceof Float32Array ? sumSquares32(x) : sumSquares64(x);
}

// one copy per dtype, so each loop stays monomorphic
function sumSquares64(d: DataArray): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  const n = d.length, n8 = n - (n & 7);
  for (let k = 0; k < n8; k += 8) {
    const a = d[k]!, b = d[k + 1]!, c = d[k + 2]!, e = d[k + 3]!, f = d[k + 4]!, g = d[k + 5]!, h = d[k + 6]!, i = d[k + 7]!;
    s0 += a * a; s1 += b * b; s2 += c * c; s3 += e * e;
    s4 += f * f; s5 += g * g; s6 += h * h; s7 += i * i;
  }
  for (let k = n8; k < n; k++) s0 += d[k]! * d[k]!;
  return s0 + s1 + (s2 + s3) + (s4 + s5 + (s6 + s7));
}

function sumSquares32(d: DataArray): number {
  const r = Math.fround;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
  const n = d.length, n8 = n - (n & 7);
  for (let k = 0; k < n8; k += 8) {
    const a = d[k]!, b = d[k + 1]!, c = d[k + 2]!, e = d[k + 3]!, f = d[k + 4]!, g = d[k + 5]!, h = d[k + 6]!, i = d[k + 7]!;
    s0 += r(a * a); s1 += r(b * b); s2 += r(c * c); s3 += r(e * e);
    s4 += r(f * f); s5 += r(g * g); s6 += r(h * h); s7 += r(i * i);
  }
  for (let k = n8; k < n; k++) s0 += r(d[k]! * d[k]!);
  return s0 + s1 + (s2 + s3) + (s4 + s5 + (s6 + s7));
}
