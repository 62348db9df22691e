import type { DataArray } from "../dtype.js";

/**
 * out (contiguous, shape `shape`) = x viewed through `strides` from `offset`.
 * Strides may be 0 (broadcast) or negative (flip); this one kernel serves permute, broadcastTo,
 * slice and flip.
 */
export function stridedCopy(x: DataArray, offset: number, strides: readonly number[], shape: readonly number[], out: DataArray): void {
  const n = out.length;
  if (n === 0) return;
  const nd = shape.length;
  if (nd === 0) { out[0] = x[offset]!; return; }
  // a broadcast scalar (the gradient of a full sum): one value everywhere
  if (strides.every((s) => s === 0)) { out.fill(x[offset]!); return; }
  const last = nd - 1;
  const len = shape[last]!;
  const sl = strides[last]!;
  const idx = new Array<number>(last).fill(0);
  let xo = offset;
  for (let o = 0; o < n; o += len) {
    if (sl === 1) for (let j = 0; j < len; j++) out[o + j] = x[xo + j]!;
    else for (let j = 0; j < len; j++) out[o + j] = x[xo + j * sl]!;
    for (let k = last - 1; k >= 0; k--) {
      idx[k]!++;
      xo += strides[k]!;
      if (idx[k]! < shape[k]!) break;
      xo -= strides[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
}

/** dst viewed through `strides` from `offset` += src (contiguous, shape `shape`). Inverse of stridedCopy. */
export function stridedAccumulate(src: DataArray, shape: readonly number[], dst: DataArray, offset: number, strides: readonly number[]): void {
  const n = src.length;
  if (n === 0) return;
  const nd = shape.length;
  if (nd === 0) { dst[offset] = dst[offset]! + src[0]!; return; }
  const last = nd - 1;
  const len = shape[last]!;
  const sl = strides[last]!;
  const idx = new Array<number>(last).fill(0);
  let d = offset;
  for (let o = 0; o < n; o += len) {
    for (let j = 0; j < len; j++) dst[d + j * sl] = dst[d + j * sl]! + src[o + j]!;
    for (let k = last - 1; k >= 0; k--) {
      idx[k]!++;
      d += strides[k]!;
      if (idx[k]! < shape[k]!) break;
      d -= strides[k]! * shape[k]!;
      idx[k] = 0;
    }
  }
}

/**
 * Gather along one axis: x viewed as [outer, n, inner], indices as [outer, m, inner] (takeAlongAxis,
 * `inner`/`outer` broadcast when the index extent is 1) or as [m] shared by every row (take).
 */
export function gatherKernel(
  x: DataArray, outer: number, n: number, inner: number,
  idx: Int32Array, m: number, shared: boolean, out: DataArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < inner; i++) {
        const t = shared ? idx[j]! : idx[(o * m + j) * inner + i]!;
        out[(o * m + j) * inner + i] = x[(o * n + t) * inner + i]!;
      }
    }
  }
}

/** Transpose of gatherKernel: acc[(o, idx, i)] += src[(o, j, i)]. */
export function scatterAddKernel(
  src: DataArray, outer: number, n: number, inner: number,
  idx: Int32Array, m: number, shared: boolean, acc: DataArray,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < inner; i++) {
        const t = shared ? idx[j]! : idx[(o * m + j) * inner + i]!;
        acc[(o * n + t) * inner + i] = acc[(o * n + t) * inner + i]! + src[(o * m + j) * inner + i]!;
      }
    }
  }
}

/** Geometry of a 1-D sliding window (conv1d, pooling). */
export interface Window1d {
  readonly kernel: number;
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly outLength: number;
}

/** x [N, C, L] → out [N, Lout, C, K]: the receptive field of each output position (padValue outside). */
export function unfoldKernel(x: DataArray, N: number, C: number, L: number, w: Window1d, out: DataArray, padValue = 0): void {
  const { kernel: K, stride, padding, dilation, outLength: Lo } = w;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < Lo; t++) {
      const start = t * stride - padding;
      for (let c = 0; c < C; c++) {
        const xb = (n * C + c) * L;
        for (let k = 0; k < K; k++) {
          const p = start + k * dilation;
          out[o++] = p >= 0 && p < L ? x[xb + p]! : padValue;
        }
      }
    }
  }
}

/** Transpose of unfoldKernel: src [N, Lout, C, K] → acc [N, C, L] (sums overlapping windows). */
export function foldKernel(src: DataArray, N: number, C: number, L: number, w: Window1d, acc: DataArray): void {
  const { kernel: K, stride, padding, dilation, outLength: Lo } = w;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < Lo; t++) {
      const start = t * stride - padding;
      for (let c = 0; c < C; c++) {
        const xb = (n * C + c) * L;
        for (let k = 0; k < K; k++, o++) {
          const p = start + k * dilation;
          if (p >= 0 && p < L) acc[xb + p] = acc[xb + p]! + src[o]!;
        }
      }
    }
  }
}
