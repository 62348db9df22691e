// Naive index-by-index reference implementations: slow and obviously correct, used to check the
// forward values of the optimised kernels (the gradient checks only prove consistency with them).
import { type Tensor, tensor } from "../src/index.js";

/** Multi-index of flat position i in a row-major shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k]!;
    i = Math.floor(i / shape[k]!);
  }
  return idx;
}

/** Flat position of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let p = 0;
  for (let k = 0; k < shape.length; k++) p = p * shape[k]! + idx[k]!;
  return p;
}

/** Element of t at the output multi-index `idx` under NumPy broadcasting. */
export function bget(t: Tensor, idx: readonly number[]): number {
  const lead = idx.length - t.ndim;
  const own = t.shape.map((d, k) => (d === 1 ? 0 : idx[k + lead]!));
  return t.data[ravel(own, t.shape)]!;
}

/** NumPy broadcast shape, computed independently of the library. */
export function refBroadcast(...shapes: (readonly number[])[]): number[] {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: n }, (_, i) => Math.max(...shapes.map((s) => s[s.length - n + i] ?? 1)));
}

/** out[idx] = fn(a[idx], b[idx], ...) with broadcasting. */
export function refElementwise(fn: (...v: number[]) => number, ...ts: Tensor[]): Tensor {
  const shape = refBroadcast(...ts.map((t) => t.shape));
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    out[i] = fn(...ts.map((t) => bget(t, idx)));
  }
  return tensor(out, { shape });
}

/** Reduction of x over `axes` (sorted, non-negative) with an initial value and a combiner. */
export function refReduce(x: Tensor, axes: readonly number[], init: number, fn: (acc: number, v: number) => number, keepdims = false): Tensor {
  const kept = x.shape.map((d, k) => (axes.includes(k) ? 1 : d));
  const n = kept.reduce((p, d) => p * d, 1);
  const out = new Float64Array(n).fill(init);
  for (let i = 0; i < x.size; i++) {
    const idx = unravel(i, x.shape).map((v, k) => (axes.includes(k) ? 0 : v));
    const o = ravel(idx, kept);
    out[o] = fn(out[o]!, x.data[i]!);
  }
  const shape = keepdims ? kept : x.shape.filter((_, k) => !axes.includes(k));
  return tensor(out, { shape });
}

/** Plain triple-loop matrix product of 2-D arrays given as row-major data. */
export function refMatmul2d(a: ArrayLike<number>, b: ArrayLike<number>, M: number, K: number, N: number): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i * K + k]! * b[k * N + j]!;
    c[i * N + j] = s;
  }
  return c;
}

/** Direct 1-D cross-correlation: x [N, Cin, L], w [Cout, Cin, K] → [N, Cout, Lout]. */
export function refConv1d(x: Tensor, w: Tensor, stride: number, padding: number, dilation: number, bias?: Tensor): Tensor {
  const [N, Cin, L] = x.shape as [number, number, number];
  const [Cout, , K] = w.shape as [number, number, number];
  const Lo = Math.floor((L + 2 * padding - dilation * (K - 1) - 1) / stride) + 1;
  const out = new Float64Array(N * Cout * Lo);
  for (let n = 0; n < N; n++) for (let co = 0; co < Cout; co++) for (let t = 0; t < Lo; t++) {
    let s = bias ? bias.data[co]! : 0;
    for (let ci = 0; ci < Cin; ci++) for (let k = 0; k < K; k++) {
      const p = t * stride - padding + k * dilation;
      if (p >= 0 && p < L) s += x.data[(n * Cin + ci) * L + p]! * w.data[(co * Cin + ci) * K + k]!;
    }
    out[(n * Cout + co) * Lo + t] = s;
  }
  return tensor(out, { shape: [N, Cout, Lo] });
}

/** Direct 1-D pooling over windows: padded positions take `padValue`. */
export function refPool1d(x: Tensor, kernel: number, stride: number, padding: number, dilation: number, kind: "max" | "avg"): Tensor {
  const [N, C, L] = x.shape as [number, number, number];
  const Lo = Math.floor((L + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
  const out = new Float64Array(N * C * Lo);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let t = 0; t < Lo; t++) {
    let acc = kind === "max" ? -Infinity : 0;
    for (let k = 0; k < kernel; k++) {
      const p = t * stride - padding + k * dilation;
      const v = p >= 0 && p < L ? x.data[(n * C + c) * L + p]! : kind === "max" ? -Infinity : 0;
      acc = kind === "max" ? Math.max(acc, v) : acc + v;
    }
    out[(n * C + c) * Lo + t] = kind === "max" ? acc : acc / kernel;
  }
  return tensor(out, { shape: [N, C, Lo] });
}
