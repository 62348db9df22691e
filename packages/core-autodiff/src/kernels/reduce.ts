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
