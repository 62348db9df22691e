// The kernel layer: for every primitive, how its output is computed from validated, broadcast
// inputs (a backend kernel or a host loop `jit` can replay). No validation and no gradients here:
// the public ops in ops/*.ts validate and then `apply` a primitive; prim/rules.ts holds the rules.
import { getBackend } from "../backend.js";
import { alloc, type DataArray } from "../dtype.js";
import { ValueError, fmtShape } from "../errors.js";
import type { BinaryOp, UnaryOp } from "../kernels/elementwise.js";
import { sumSquaresKernel } from "../kernels/reduce.js";
import { Access, READ_WRITE, hostKernel } from "../kernel-trace.js";
import { broadcastShapes, shapesEqual, sizeOf, stridesOf, type Shape } from "../shape.js";
import { record } from "../tape.js";
import { Tensor } from "../tensor.js";
import { batchHooks } from "./batch-hook.js";
import type { LinearActivation, OpInputs, OpName, OpParams } from "./signatures.js";

/** How op K computes its output from its inputs and parameters. */
export type Kernel<K extends OpName> = (inputs: OpInputs<K>, params: OpParams<K>) => Tensor;

/** @internal An elementwise unary backend kernel on x (no recording: a constant, e.g. relu's step mask). */
export function unaryRaw(op: UnaryOp, x: Tensor, param = 0): Tensor {
  if (batchHooks !== null) { const r = batchHooks.unary(op, x, param); if (r !== null) return r; }
  const out = alloc(x.dtype, x.size);
  getBackend().unary(op, x.data, out, param);
  return new Tensor(out, x.shape, x.dtype);
}

/** @internal An elementwise binary backend kernel with NumPy broadcasting, output in `dtype` (no recording). */
export function binaryRaw(op: BinaryOp, a: Tensor, b: Tensor, dtype = a.dtype): Tensor {
  if (batchHooks !== null) { const r = batchHooks.binary(op, a, b, dtype); if (r !== null) return r; }
  const shape = shapesEqual(a.shape, b.shape) ? [...a.shape] : broadcastShapes(op, a.shape, b.shape);
  const out = alloc(dtype, sizeOf(shape));
  getBackend().binary(op, a.data, a.shape, b.data, b.shape, out, shape);
  return new Tensor(out, shape, dtype);
}

const binary = (op: BinaryOp) => ([a, b]: readonly [Tensor, Tensor]): Tensor => binaryRaw(op, a, b);
const unary = (op: UnaryOp) => ([x]: readonly [Tensor]): Tensor => unaryRaw(op, x);

function strided(x: Tensor, offset: number, strides: readonly number[], shape: Shape, skipEmpty = false): Tensor {
  const out = alloc(x.dtype, sizeOf(shape));
  if (!skipEmpty || out.length > 0) getBackend().stridedCopy(x.data, offset, strides, shape, out);
  return new Tensor(out, shape, x.dtype);
}

function reduceWith(op: "sum" | "max" | "min") {
  return ([x]: readonly [Tensor], { axes, keepdims }: OpParams<"sum">): Tensor => {
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = alloc(x.dtype, sizeOf(kept));
    getBackend().reduce(op, x.data, x.shape, axes, out);
    return new Tensor(out, keepdims ? kept : x.shape.filter((_, i) => !axes.includes(i)), x.dtype);
  };
}

function linearEpilogue(out: DataArray, rows: number, n: number, b: DataArray | null, act: LinearActivation): void {
  // the bias add rounds to the output dtype before the activation, exactly as add() then relu() would
  if (b !== null) for (let r = 0, o = 0; r < rows; r++, o += n) for (let j = 0; j < n; j++) out[o + j] = out[o + j]! + b[j]!;
  const m = rows * n;
  if (act === "relu") for (let i = 0; i < m; i++) { const v = out[i]!; out[i] = v > 0 || v !== v ? v : 0; }
  else if (act === "tanh") for (let i = 0; i < m; i++) out[i] = Math.tanh(out[i]!);
  else if (act === "sigmoid") {
    for (let i = 0; i < m; i++) {
      const v = out[i]!;
      if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
      else { const e = Math.exp(v); out[i] = e / (1 + e); }
    }
  }
}

/** The loop of the softmax kernel (module level: one optimised copy, whatever closure calls it). */
function softmaxRows(xd: DataArray, out: DataArray, outer: number, inner: number, n: number, f32: boolean): void {
  if (inner === 1) {
    if (softmaxFromLoss(xd, out, outer, n, f32)) return;
    if (f32) softmaxLastF32(xd, out, outer, n);
    else softmaxLastF64(xd, out, outer, n);
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = -Infinity;
      for (let j = 0; j < n; j++) { const v = xd[base + j * inner]!; if (v > m || v !== v) m = v; }
      let s = 0;
      // the reduce kernel sums a last axis in a double and rounds once, any other axis in the output array
      for (let j = 0; j < n; j++) {
        const k = base + j * inner;
        out[k] = Math.exp(f32 ? Math.fround(xd[k]! - m) : xd[k]! - m);
        s = f32 ? Math.fround(s + out[k]!) : s + out[k]!;
      }
      if (f32) s = Math.fround(s);
      for (let j = 0; j < n; j++) { const k = base + j * inner; out[k] = out[k]! / s; }
    }
  }
}

// Softmax over the last axis, one loop per dtype: the general loop's per-element dtype tests and
// strided indexing cost more than its exps (the loss's backward runs it every training step).
// Same operations in the same order as the general loop, so the same bits.
function softmaxLastF32(xd: DataArray, out: DataArray, rows: number, n: number): void {
  const f = Math.fround;
  for (let o = 0, base = 0; o < rows; o++, base += n) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) { const v = xd[base + j]!; if (v > m || v !== v) m = v; }
    let s = 0;
    for (let j = 0; j < n; j++) { const e = f(Math.exp(f(xd[base + j]! - m))); out[base + j] = e; s += e; }
    s = f(s);
    for (let j = 0; j < n; j++) out[base + j] = out[base + j]! / s;
  }
}

function softmaxLastF64(xd: DataArray, out: DataArray, rows: number, n: number): void {
  for (let o = 0, base = 0; o < rows; o++, base += n) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) { const v = xd[base + j]!; if (v > m || v !== v) m = v; }
    let s = 0;
    for (let j = 0; j < n; j++) { const e = Math.exp(xd[base + j]! - m); out[base + j] = e; s += out[base + j]!; }
    for (let j = 0; j < n; j++) out[base + j] = out[base + j]! / s;
  }
}

/**
 * The exponentials of the last crossEntropy kernel call, for the softmax of its logits that its
 * gradient computes next (softmax(z) − onehot(y)): a row whose max is finite has the same max, the
 * same exps and the same sum in both loops, so softmax reuses them instead of recomputing the exps
 * (half of a training step's exps). Used only when the softmax's input holds the same values as the
 * cached logits (compared element by element; a NaN never matches), so the bits are unchanged.
 */
const lossExps = {
  n: 0, rows: 0, cols: 0, f32: false,
  z: new Float64Array(0) as DataArray, e: new Float64Array(0), s: new Float64Array(0), ok: new Uint8Array(0),
};
/** Logits above this many elements are not cached (the cache would hold copies of large arrays). */
const LOSS_EXPS_MAX = 1 << 16;

function cacheLossLogits(z: DataArray, N: number, C: number, f32: boolean): boolean {
  const n = N * C;
  if (n > LOSS_EXPS_MAX || n === 0) { lossExps.n = 0; return false; }
  const c = lossExps;
  if (c.e.length < n) { c.e = new Float64Array(n); }
  if (c.s.length < N) { c.s = new Float64Array(N); c.ok = new Uint8Array(N); }
  if (c.z.length < n || (c.z instanceof Float32Array) !== f32) c.z = f32 ? new Float32Array(Math.max(n, c.e.length)) : new Float64Array(Math.max(n, c.e.length));
  c.z.set(z.length === n ? z : z.subarray(0, n));
  c.n = n; c.rows = N; c.cols = C; c.f32 = f32;
  return true;
}

/** Softmax over the last axis from the cached exps of the same logits; false when they are not cached. */
function softmaxFromLoss(xd: DataArray, out: DataArray, rows: number, n: number, f32: boolean): boolean {
  const c = lossExps;
  if (c.n === 0 || c.rows !== rows || c.cols !== n || c.f32 !== f32 || xd.length !== c.n) return false;
  const z = c.z;
  for (let i = 0; i < c.n; i++) if (xd[i] !== z[i]) return false;
  const { e, s, ok } = c;
  for (let o = 0, base = 0; o < rows; o++, base += n) {
    if (ok[o] === 0) {
      if (f32) softmaxLastF32(xd.subarray(base, base + n), out.subarray(base, base + n), 1, n);
      else softmaxLastF64(xd.subarray(base, base + n), out.subarray(base, base + n), 1, n);
      continue;
    }
    // as softmaxLast*: out = e / sum, the sum rounded once to float32 first in float32
    const sum = f32 ? Math.fround(s[o]!) : s[o]!;
    for (let j = 0; j < n; j++) out[base + j] = e[base + j]! / sum;
  }
  return true;
}

/** The loop of the crossEntropy kernel: −log softmax(z)[y] per row, labels checked. */
function crossEntropyRows(z: DataArray, yd: DataArray, out: DataArray, N: number, C: number, f32: boolean): void {
  for (let i = 0; i < N; i++) { const v = yd[i]!; if (v < 0 || v >= C) throw new ValueError("crossEntropy", `label ${v} is outside [0, ${C - 1}]`); }
  const keep = cacheLossLogits(z, N, C, f32);
  if (f32) crossEntropyF32(z, yd, out, N, C, keep);
  else crossEntropyF64(z, yd, out, N, C, keep);
}

// one loop per dtype (a rounding function chosen at run time was a call per element)
// (`keep`: also note each row's exps and sum in lossExps, for the softmax of the gradient)
function crossEntropyF32(z: DataArray, yd: DataArray, out: DataArray, N: number, C: number, keep: boolean): void {
  const f = Math.fround;
  const { e, s: sums, ok } = lossExps;
  for (let i = 0, o = 0; i < N; i++, o += C) {
    let m = -Infinity;
    for (let j = 0; j < C; j++) { const v = z[o + j]!; if (v > m || v !== v) m = v; }
    const finite = Number.isFinite(m);
    if (!finite) m = 0;
    let s = 0;
    if (keep) {
      for (let j = 0; j < C; j++) { const x = f(Math.exp(f(z[o + j]! - m))); e[o + j] = x; s += x; }
      sums[i] = s;
      ok[i] = finite ? 1 : 0;
    } else {
      for (let j = 0; j < C; j++) s += f(Math.exp(f(z[o + j]! - m)));
    }
    const lse = f(f(Math.log(f(s))) + m);
    out[i] = -f(z[o + yd[i]!]! - lse);
  }
}

function crossEntropyF64(z: DataArray, yd: DataArray, out: DataArray, N: number, C: number, keep: boolean): void {
  const { e, s: sums, ok } = lossExps;
  for (let i = 0, o = 0; i < N; i++, o += C) {
    let m = -Infinity;
    for (let j = 0; j < C; j++) { const v = z[o + j]!; if (v > m || v !== v) m = v; }
    const finite = Number.isFinite(m);
    if (!finite) m = 0;
    let s = 0;
    if (keep) {
      for (let j = 0; j < C; j++) { const x = Math.exp(z[o + j]! - m); e[o + j] = x; s += x; }
      sums[i] = s;
      ok[i] = finite ? 1 : 0;
    } else {
      for (let j = 0; j < C; j++) s += Math.exp(z[o + j]! - m);
    }
    const lse = Math.log(s) + m;
    out[i] = -(z[o + yd[i]!]! - lse);
  }
}

/** X = A⁻¹B by LU with partial pivoting, in float64 whatever the dtype. */
function luSolve(ad: DataArray, bd: DataArray, out: DataArray, n: number, k: number, ashape: Shape): void {
  const lu = Float64Array.from(ad);
  const x = Float64Array.from(bd);
  const scale = lu.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(lu[r * n + c]!) > Math.abs(lu[p * n + c]!)) p = r;
    const piv = lu[p * n + c]!;
    if (!(Math.abs(piv) > scale * n * 1e-15) || !Number.isFinite(piv)) throw new ValueError("solve", `matrix ${fmtShape(ashape)} is singular to working precision (pivot ${piv} in column ${c})`);
    if (p !== c) {
      for (let j = 0; j < n; j++) { const t = lu[c * n + j]!; lu[c * n + j] = lu[p * n + j]!; lu[p * n + j] = t; }
      for (let j = 0; j < k; j++) { const t = x[c * k + j]!; x[c * k + j] = x[p * k + j]!; x[p * k + j] = t; }
    }
    for (let r = c + 1; r < n; r++) {
      const f = lu[r * n + c]! / piv;
      if (f === 0) continue;
      for (let j = c + 1; j < n; j++) lu[r * n + j] = lu[r * n + j]! - f * lu[c * n + j]!;
      for (let j = 0; j < k; j++) x[r * k + j] = x[r * k + j]! - f * x[c * k + j]!;
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    const d = lu[c * n + c]!;
    for (let j = 0; j < k; j++) {
      let s = x[c * k + j]!;
      for (let q = c + 1; q < n; q++) s -= lu[c * n + q]! * x[q * k + j]!;
      x[c * k + j] = s / d;
    }
  }
  out.set(x);
}

/** L with A = L·Lᵀ (Cholesky–Banachiewicz, float64 internally). */
function choleskyLower(A: DataArray, out: DataArray, n: number, ashape: Shape): void {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      if (i === j) {
        if (!(s > 0)) throw new ValueError("cholesky", `matrix ${fmtShape(ashape)} is not positive definite (pivot ${s} at ${i})`);
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j]!;
      }
    }
  }
  out.set(L);
}

/** Every primitive's kernel dispatch (a missing op is a compile error). */
export const KERNELS: { readonly [K in OpName]: Kernel<K> } = {
  add: binary("add"),
  sub: binary("sub"),
  mul: binary("mul"),
  div: binary("div"),
  pow: binary("pow"),
  maximum: binary("maximum"),
  minimum: binary("minimum"),
  neg: unary("neg"),
  exp: unary("exp"),
  log: unary("log"),
  log1p: unary("log1p"),
  sqrt: unary("sqrt"),
  square: unary("square"),
  abs: unary("abs"),
  sin: unary("sin"),
  cos: unary("cos"),
  tanh: unary("tanh"),
  sigmoid: unary("sigmoid"),
  relu: unary("relu"),
  softplus: unary("softplus"),
  leakyRelu: ([x], { slope }) => unaryRaw("leakyRelu", x, slope),
  elu: ([x], { alpha }) => unaryRaw("elu", x, alpha),
  where: ([a, b], { cond }) => {
    const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, a.shape), b.shape);
    const out = alloc(a.dtype, sizeOf(shape));
    getBackend().where(cond.data, cond.shape, a.data, a.shape, b.data, b.shape, out, shape);
    return new Tensor(out, shape, a.dtype);
  },
  clip: ([x], { lo, hi }) => {
    const out = alloc(x.dtype, x.size);
    hostKernel("clip", (d: DataArray, o: DataArray) => {
      for (let i = 0; i < d.length; i++) { const v = d[i]!; o[i] = v < lo ? lo : v > hi ? hi : v; }
    }, [x.data, out], READ_WRITE);
    return new Tensor(out, x.shape, x.dtype);
  },
  astype: ([x], { dtype }) => {
    const out = alloc(dtype, x.size);
    const shape = x.shape, from = x.dtype;
    hostKernel("astype", (d: DataArray, o: DataArray) => {
      if (dtype === "int32") {
        // Int32Array would silently store NaN as 0 and wrap large values modulo 2³²
        for (let i = 0; i < d.length; i++) {
          const v = Math.trunc(d[i]!);
          if (!(v >= -2147483648 && v <= 2147483647)) {
            throw new ValueError("astype", `cannot cast ${d[i]} (flat index ${i} of ${from} ${fmtShape(shape)}) to int32`);
          }
          o[i] = v;
        }
      } else o.set(d);
    }, [x.data, out], READ_WRITE);
    return new Tensor(out, x.shape, dtype);
  },
  sum: reduceWith("sum"),
  sumSquares: ([x]) => {
    const out = alloc(x.dtype, 1);
    const be = getBackend();
    // a backend without the kernel: the reference, as a host kernel so jit still records it
    if (be.sumSquares !== undefined) be.sumSquares(x.data, out);
    else hostKernel("sumSquares", sumSquaresKernel, [x.data, out], READ_WRITE);
    return new Tensor(out, [], x.dtype);
  },
  max: reduceWith("max"),
  min: reduceWith("min"),
  // views share the buffer
  reshape: ([x], { shape }) => new Tensor(x.data, shape, x.dtype),
  broadcastTo: ([x], { shape }) => {
    const st = stridesOf(x.shape);
    const lead = shape.length - x.ndim;
    return strided(x, 0, shape.map((_, i) => (i < lead || x.shape[i - lead] === 1 ? 0 : st[i - lead]!)), shape);
  },
  transpose: ([x], { perm }) => {
    const st = stridesOf(x.shape);
    return strided(x, 0, perm.map((p) => st[p]!), perm.map((p) => x.shape[p]!));
  },
  slice: ([x], { begin, size }) => {
    const st = stridesOf(x.shape);
    return strided(x, begin.reduce((p, b, i) => p + b * st[i]!, 0), st, size);
  },
  pad: ([x], { widths }) => {
    const shape = x.shape.map((d, i) => d + widths[i]![0] + widths[i]![1]);
    const out = alloc(x.dtype, sizeOf(shape));
    const st = stridesOf(shape);
    getBackend().stridedAccumulate(x.data, x.shape, out, widths.reduce((p, w, i) => p + w[0] * st[i]!, 0), st);
    return new Tensor(out, shape, x.dtype);
  },
  concat: (xs, { axis }) => {
    const first = xs[0]!;
    const shape = [...first.shape];
    shape[axis] = xs.reduce((p, t) => p + t.shape[axis]!, 0);
    const out = alloc(first.dtype, sizeOf(shape));
    const st = stridesOf(shape);
    let off = 0;
    for (const t of xs) {
      getBackend().stridedAccumulate(t.data, t.shape, out, off * st[axis]!, st);
      off += t.shape[axis]!;
    }
    return new Tensor(out, shape, first.dtype);
  },
  flip: ([x], { axes }) => {
    const st = stridesOf(x.shape);
    let offset = 0;
    const strides = st.map((s, i) => {
      if (!axes.includes(i)) return s;
      offset += (x.shape[i]! - 1) * s;
      return -s;
    });
    return strided(x, offset, strides, x.shape, true);
  },
  take: ([x], { indices, axis }) => {
    const [outer, n, inner] = geometry(x.shape, axis);
    const m = indices.size;
    const out = alloc(x.dtype, outer * m * inner);
    getBackend().gather(x.data, outer, n, inner, indices.data as Int32Array, m, true, out);
    return new Tensor(out, [...x.shape.slice(0, axis), m, ...x.shape.slice(axis + 1)], x.dtype);
  },
  takeAlongAxis: ([x], { indices, axis }) => {
    const [outer, n, inner] = geometry(x.shape, axis);
    const m = indices.shape[axis]!;
    const out = alloc(x.dtype, outer * m * inner);
    getBackend().gather(x.data, outer, n, inner, indices.data as Int32Array, m, false, out);
    return new Tensor(out, indices.shape, x.dtype);
  },
  scatterAdd: ([src], { indices, shape, axis, shared }) => {
    const [outer, n, inner] = geometry(shape, axis);
    const m = shared ? indices.size : indices.shape[axis]!;
    const out = alloc(src.dtype, sizeOf(shape));
    getBackend().scatterAdd(src.data, outer, n, inner, indices.data as Int32Array, m, shared, out);
    return new Tensor(out, shape, src.dtype);
  },
  matmul: ([A, B], { transA: tA, transB: tB }) => {
    const M = tA ? A.shape[A.ndim - 1]! : A.shape[A.ndim - 2]!;
    const K = tA ? A.shape[A.ndim - 2]! : A.shape[A.ndim - 1]!;
    const N = tB ? B.shape[B.ndim - 2]! : B.shape[B.ndim - 1]!;
    const batch = A.shape.slice(0, -2);
    const nb = sizeOf(batch);
    const out = alloc(A.dtype, nb * M * N);
    const gemm = getBackend().gemm;
    for (let i = 0; i < nb; i++) gemm(A.data, i * M * K, B.data, i * K * N, out, i * M * N, M, N, K, tA, tB);
    return new Tensor(out, [...batch, M, N], A.dtype);
  },
  linear: ([x, w, b], { activation: act }) => {
    const [nIn, nOut] = w.shape as [number, number];
    const rows = x.shape[0]!;
    const out = alloc(x.dtype, rows * nOut);
    const be = getBackend();
    if (be.gemmBiasAct !== undefined && (act === "none" || act === "relu")) {
      be.gemmBiasAct(x.data, w.data, b === undefined ? null : b.data, out, rows, nOut, nIn, act === "relu");
    } else {
      be.gemm(x.data, 0, w.data, 0, out, 0, rows, nOut, nIn, false, false);
      if (b === undefined) hostKernel("linear", (o: DataArray) => linearEpilogue(o, rows, nOut, null, act), [out], [Access.Update]);
      else hostKernel("linear", (o: DataArray, bd: DataArray) => linearEpilogue(o, rows, nOut, bd, act), [out, b.data], [Access.Update]);
    }
    return new Tensor(out, [rows, nOut], x.dtype);
  },
  softmax: ([x], { axis }) => {
    const [outer, n, inner] = geometry(x.shape, axis);
    const out = alloc(x.dtype, x.size);
    const f32 = x.dtype === "float32";
    hostKernel("softmax", (xd: DataArray, o: DataArray) => softmaxRows(xd, o, outer, inner, n, f32), [x.data, out], READ_WRITE);
    return new Tensor(out, x.shape, x.dtype);
  },
  crossEntropy: ([logits], { labels }) => {
    const [N, C] = logits.shape as [number, number];
    const f32 = logits.dtype === "float32";
    const out = alloc(logits.dtype, N);
    hostKernel("crossEntropy", (z: DataArray, yd: DataArray, o: DataArray) => crossEntropyRows(z, yd, o, N, C, f32), [logits.data, labels.data, out], [Access.Read, Access.Read, Access.Write]);
    return new Tensor(out, [N], logits.dtype);
  },
  unfold1d: ([x], { window, padValue }) => {
    const [N, C, L] = x.shape as [number, number, number];
    const out = alloc(x.dtype, N * window.outLength * C * window.kernel);
    getBackend().unfold(x.data, N, C, L, window, out, padValue);
    return new Tensor(out, [N, window.outLength, C, window.kernel], x.dtype);
  },
  fold1d: ([cols], { window, length }) => {
    const [N, , C] = cols.shape as [number, number, number, number];
    const out = alloc(cols.dtype, N * C * length);
    getBackend().fold(cols.data, N, C, length, window, out);
    return new Tensor(out, [N, C, length], cols.dtype);
  },
  solve: ([a, b]) => {
    const n = a.shape[0]!;
    const k = b.ndim === 1 ? 1 : b.shape[1]!;
    const out = alloc(a.dtype, b.size);
    const ashape = a.shape;
    hostKernel("solve", (ad: DataArray, bd: DataArray, o: DataArray) => luSolve(ad, bd, o, n, k, ashape), [a.data, b.data, out], [Access.Read, Access.Read, Access.Write]);
    return new Tensor(out, b.shape, a.dtype);
  },
  cholesky: ([a]) => {
    const n = a.shape[0]!;
    const out = alloc(a.dtype, n * n);
    const ashape = a.shape;
    hostKernel("cholesky", (ad: DataArray, o: DataArray) => choleskyLower(ad, o, n, ashape), [a.data, out], READ_WRITE);
    return new Tensor(out, [n, n], a.dtype);
  },
  variable: (xs) => {
    const x = xs[0];
    if (x === undefined) throw new ValueError("variable", "needs the tensor it stands for");
    return new Tensor(x.data, x.shape, x.dtype);
  },
};

/** [outer, n, inner] extents around `axis` of `shape`. */
function geometry(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/**
 * Run primitive `op`'s kernel on validated inputs and, while a transform records, attach the node
 * its rules need. Public ops end with this call.
 */
export function apply<K extends OpName>(op: K, inputs: OpInputs<K>, params: OpParams<K>): Tensor {
  // inside vmap, mapped inputs go to the op's batch rule (prim/batch-rules.ts)
  if (batchHooks !== null) { const r = batchHooks.apply(op, inputs, params); if (r !== null) return r; }
  return record(KERNELS[op](inputs, params), op, inputs, params);
}

/** @internal one-hot rows [N, C] of int32 labels [N] as a constant (crossEntropy's rules). */
export function oneHotRaw(labels: Tensor, C: number, dtype: Tensor["dtype"]): Tensor {
  const N = labels.size;
  const onehot = alloc(dtype, N * C);
  hostKernel("crossEntropy", (yd: DataArray, oh: DataArray) => {
    oh.fill(0);
    for (let i = 0; i < N; i++) oh[i * C + yd[i]!] = 1;
  }, [labels.data, onehot], READ_WRITE);
  return new Tensor(onehot, [N, C], dtype);
}

/** @internal The constant lower-triangular mask with ½ on the diagonal (Φ of the Cholesky rules). */
export function lowerHalfMask(n: number, dtype: Tensor["dtype"]): Tensor {
  const m = new Tensor(alloc(dtype, n * n), [n, n], dtype);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m.data[i * n + j] = i === j ? 0.5 : 1;
  return m;
}
