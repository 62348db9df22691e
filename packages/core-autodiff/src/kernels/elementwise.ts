import type { DataArray } from "../dtype.js";

/** Elementwise unary kernels (one dedicated loop each: no per-element closures). */
export type UnaryOp =
  | "neg" | "exp" | "log" | "log1p" | "sqrt" | "square" | "abs" | "sign" | "sin" | "cos"
  | "tanh" | "sigmoid" | "relu" | "softplus" | "step" | "leakyRelu" | "elu" | "reciprocal" | "isFinite"
  | "floor" | "round" | "copy";

/** Elementwise binary kernels with NumPy broadcasting. */
export type BinaryOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "eq" | "ne" | "lt" | "le" | "gt" | "ge";

function sigmoid1(v: number): number {
  // split by sign so exp never overflows
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

function softplus1(v: number): number {
  return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
}

/** out[i] = op(x[i]) (param is the slope of leakyRelu / alpha of elu). */
export function unaryKernel(op: UnaryOp, x: DataArray, out: DataArray, param = 0): void {
  const n = x.length;
  switch (op) {
    case "neg": for (let i = 0; i < n; i++) out[i] = -x[i]!; return;
    case "exp": for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]!); return;
    case "log": for (let i = 0; i < n; i++) out[i] = Math.log(x[i]!); return;
    case "log1p": for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]!); return;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]!); return;
    case "square": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v * v; } return;
    case "abs": for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]!); return;
    case "sign": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : NaN; } return;
    case "sin": for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]!); return;
    case "cos": for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]!); return;
    case "tanh": for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]!); return;
    case "sigmoid": for (let i = 0; i < n; i++) out[i] = sigmoid1(x[i]!); return;
    case "relu": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 || v !== v ? v : 0; } return; // NaN stays NaN
    case "softplus": for (let i = 0; i < n; i++) out[i] = softplus1(x[i]!); return;
    case "step": for (let i = 0; i < n; i++) out[i] = x[i]! > 0 ? 1 : 0; return;
    case "leakyRelu": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : param * v; } return;
    case "elu": for (let i = 0; i < n; i++) { const v = x[i]!; out[i] = v > 0 ? v : param * Math.expm1(v); } return;
    case "reciprocal": for (let i = 0; i < n; i++) out[i] = 1 / x[i]!; return;
    case "isFinite": for (let i = 0; i < n; i++) out[i] = Number.isFinite(x[i]!) ? 1 : 0; return;
    case "floor": for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]!); return;
    case "round": for (let i = 0; i < n; i++) out[i] = Math.round(x[i]!); return;
    case "copy": out.set(x); return;
  }
}

// Inner loop of a broadcast binary op: out[o + j] = a[ao + j*sa] (op) b[bo + j*sb], j < n.
function inner(op: BinaryOp, a: DataArray, ao: number, sa: number, b: DataArray, bo: number, sb: number, out: DataArray, o: number, n: number): void {
  switch (op) {
    case "add": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! + b[bo + j * sb]!; return;
    case "sub": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! - b[bo + j * sb]!; return;
    case "mul": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! * b[bo + j * sb]!; return;
    case "div": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! / b[bo + j * sb]!; return;
    case "pow": for (let j = 0; j < n; j++) out[o + j] = Math.pow(a[ao + j * sa]!, b[bo + j * sb]!); return;
    case "maximum": for (let j = 0; j < n; j++) { const u = a[ao + j * sa]!, v = b[bo + j * sb]!; out[o + j] = u >= v || u !== u ? u : v; } return;
    case "minimum": for (let j = 0; j < n; j++) { const u = a[ao + j * sa]!, v = b[bo + j * sb]!; out[o + j] = u <= v || u !== u ? u : v; } return;
    case "eq": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! === b[bo + j * sb]! ? 1 : 0; return;
    case "ne": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! !== b[bo + j * sb]! ? 1 : 0; return;
    case "lt": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! < b[bo + j * sb]! ? 1 : 0; return;
    case "le": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! <= b[bo + j * sb]! ? 1 : 0; return;
    case "gt": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! > b[bo + j * sb]! ? 1 : 0; return;
    case "ge": for (let j = 0; j < n; j++) out[o + j] = a[ao + j * sa]! >= b[bo + j * sb]! ? 1 : 0; return;
  }
}

/**
 * out = a (op) b with NumPy broadcasting into `outShape` (already computed).
 * Walks the output with an odometer over all but the last axis; the last axis is one tight loop.
 */
export function binaryKernel(
  op: BinaryOp,
  a: DataArray, aShape: readonly number[],
  b: DataArray, bShape: readonly number[],
  out: DataArray, outShape: readonly number[],
): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n) { inner(op, a, 0, 1, b, 0, 1, out, 0, n); return; }
  if (b.length === 1 && a.length === n) { inner(op, a, 0, 1, b, 0, 0, out, 0, n); return; }
  if (a.length === 1 && b.length === n) { inner(op, a, 0, 0, b, 0, 1, out, 0, n); return; }
  const nd = outShape.length;
  // broadcast strides of a and b against the output (0 where the input extent is 1 or missing)
  const sa = new Array<number>(nd).fill(0), sb = new Array<number>(nd).fill(0);
  let acc = 1;
  for (let i = aShape.length - 1, k = nd - 1; i >= 0; i--, k--) { if (aShape[i] !== 1) sa[k] = acc; acc *= aShape[i]!; }
  acc = 1;
  for (let i = bShape.length - 1, k = nd - 1; i >= 0; i--, k--) { if (bShape[i] !== 1) sb[k] = acc; acc *= bShape[i]!; }
  const last = nd - 1;
  const len = outShape[last]!;
  const sal = sa[last]!, sbl = sb[last]!;
  const outer = n / len;
  const idx = new Array<number>(last).fill(0);
  let ao = 0, bo = 0;
  for (let o = 0; o < outer; o++) {
    inner(op, a, ao, sal, b, bo, sbl, out, o * len, len);
    for (let k = last - 1; k >= 0; k--) {
      idx[k]!++;
      ao += sa[k]!;
      bo += sb[k]!;
      if (idx[k]! < outShape[k]!) break;
      ao -= sa[k]! * outShape[k]!;
      bo -= sb[k]! * outShape[k]!;
      idx[k] = 0;
    }
  }
}

/** Strides of `shape` broadcast against the rank-`nd` output (0 on missing or unit axes). */
function broadcastStrides(shape: readonly number[], nd: number): number[] {
  const s = new Array<number>(nd).fill(0);
  let acc = 1;
  for (let i = shape.length - 1, k = nd - 1; i >= 0; i--, k--) {
    if (shape[i] !== 1) s[k] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * out = cond ≠ 0 ? a : b with NumPy broadcasting of all three into `outShape` (already computed).
 * Values are copied, never computed, so −0, NaN payloads and ±Inf pass through unchanged.
 */
export function whereKernel(
  cond: DataArray, condShape: readonly number[],
  a: DataArray, aShape: readonly number[],
  b: DataArray, bShape: readonly number[],
  out: DataArray, outShape: readonly number[],
): void {
  const n = out.length;
  if (n === 0) return;
  if (cond.length === n && a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = cond[i] !== 0 ? a[i]! : b[i]!;
    return;
  }
  const nd = outShape.length;
  const sc = broadcastStrides(condShape, nd), sa = broadcastStrides(aShape, nd), sb = broadcastStrides(bShape, nd);
  const last = nd - 1;
  const len = outShape[last]!;
  const scl = sc[last]!, sal = sa[last]!, sbl = sb[last]!;
  const idx = new Array<number>(last).fill(0);
  let co = 0, ao = 0, bo = 0;
  for (let o = 0; o < n; o += len) {
    for (let j = 0; j < len; j++) out[o + j] = cond[co + j * scl] !== 0 ? a[ao + j * sal]! : b[bo + j * sbl]!;
    for (let k = last - 1; k >= 0; k--) {
      idx[k]!++;
      co += sc[k]!;
      ao += sa[k]!;
      bo += sb[k]!;
      if (idx[k]! < outShape[k]!) break;
      co -= sc[k]! * outShape[k]!;
      ao -= sa[k]! * outShape[k]!;
      bo -= sb[k]! * outShape[k]!;
      idx[k] = 0;
    }
  }
}
