import type { DataArray } from "../dtype.js";

let packBuf = new Float64Array(0);

/**
 * C[M,N] = op(A) · op(B) for one matrix of a batch, where op(X) = Xᵀ when the flag is set.
 * A is stored [M,K] (or [K,M] if transA), B is stored [K,N] (or [N,K] if transB), C is [M,N].
 * Register-blocked over 4 rows of C; Bᵀ is packed once so the inner loop is unit-stride.
 */
export function gemm(
  a: DataArray, aOff: number,
  b: DataArray, bOff: number,
  c: DataArray, cOff: number,
  M: number, N: number, K: number,
  transA: boolean, transB: boolean,
): void {
  let bb: DataArray = b;
  let bo = bOff;
  if (transB && N > 1) {
    if (packBuf.length < K * N) packBuf = new Float64Array(K * N);
    for (let n = 0; n < N; n++) {
      const src = bOff + n * K;
      for (let k = 0; k < K; k++) packBuf[k * N + n] = b[src + k]!;
    }
    bb = packBuf;
    bo = 0;
  }
  // element (i,k) of op(A)
  const ars = transA ? 1 : K; // stride between rows i
  const acs = transA ? M : 1; // stride between columns k
  for (let i = 0; i < M * N; i++) c[cOff + i] = 0;
  let i = 0;
  for (; i + 3 < M; i += 4) {
    const c0 = cOff + i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    const ai = aOff + i * ars;
    for (let k = 0; k < K; k++) {
      const ak = ai + k * acs;
      const a0 = a[ak]!, a1 = a[ak + ars]!, a2 = a[ak + 2 * ars]!, a3 = a[ak + 3 * ars]!;
      const bk = bo + k * N;
      for (let j = 0; j < N; j++) {
        const v = bb[bk + j]!;
        c[c0 + j] = c[c0 + j]! + a0 * v;
        c[c1 + j] = c[c1 + j]! + a1 * v;
        c[c2 + j] = c[c2 + j]! + a2 * v;
        c[c3 + j] = c[c3 + j]! + a3 * v;
      }
    }
  }
  for (; i < M; i++) {
    const c0 = cOff + i * N;
    const ai = aOff + i * ars;
    for (let k = 0; k < K; k++) {
      const a0 = a[ai + k * acs]!;
      const bk = bo + k * N;
      for (let j = 0; j < N; j++) c[c0 + j] = c[c0 + j]! + a0 * bb[bk + j]!;
    }
  }
}
