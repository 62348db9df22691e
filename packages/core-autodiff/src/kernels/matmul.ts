import type { DataArray } from "../dtype.js";

// Packing buffers are reused across calls: GEMMs run one at a time on a thread.
let packA = new Float64Array(0);
let packB = new Float64Array(0);
const edge = new Float64Array(16);

/** Pack op(A) [M, K] into panels of 4 rows, k-major inside a panel, zero-padded to a multiple of 4. */
function packRows(a: DataArray, aOff: number, M: number, K: number, trans: boolean): Float64Array {
  const Mp = (M + 3) & ~3;
  if (packA.length < Mp * K) packA = new Float64Array(Mp * K);
  const P = packA;
  let o = 0;
  for (let i0 = 0; i0 < M; i0 += 4) {
    const rows = Math.min(4, M - i0);
    for (let k = 0; k < K; k++) {
      for (let r = 0; r < 4; r++) {
        const i = i0 + r;
        P[o++] = r < rows ? (trans ? a[aOff + k * M + i]! : a[aOff + i * K + k]!) : 0;
      }
    }
  }
  return P;
}

/** Pack op(B) [K, N] into panels of 4 columns, k-major inside a panel, zero-padded to a multiple of 4. */
function packCols(b: DataArray, bOff: number, K: number, N: number, trans: boolean): Float64Array {
  const Np = (N + 3) & ~3;
  if (packB.length < Np * K) packB = new Float64Array(Np * K);
  const P = packB;
  let o = 0;
  for (let j0 = 0; j0 < N; j0 += 4) {
    const cols = Math.min(4, N - j0);
    for (let k = 0; k < K; k++) {
      for (let c = 0; c < 4; c++) {
        const j = j0 + c;
        P[o++] = c < cols ? (trans ? b[bOff + j * K + k]! : b[bOff + k * N + j]!) : 0;
      }
    }
  }
  return P;
}

/**
 * C[M,N] = op(A) · op(B) for one matrix of a batch, where op(X) = Xᵀ when the flag is set.
 * A is stored [M,K] (or [K,M] if transA), B is stored [K,N] (or [N,K] if transB), C is [M,N].
 * Both operands are packed into 4-wide panels so every layout (forward, dX, dW) runs the same
 * 4×4 register-tiled micro-kernel with unit-stride loads.
 */
export function gemm(
  a: DataArray, aOff: number,
  b: DataArray, bOff: number,
  c: DataArray, cOff: number,
  M: number, N: number, K: number,
  transA: boolean, transB: boolean,
): void {
  if (K === 0) {
    for (let i = 0; i < M * N; i++) c[cOff + i] = 0;
    return;
  }
  const A = packRows(a, aOff, M, K, transA);
  const B = packCols(b, bOff, K, N, transB);
  for (let i0 = 0; i0 < M; i0 += 4) {
    const ap = i0 * K;
    const rows = Math.min(4, M - i0);
    for (let j0 = 0; j0 < N; j0 += 4) {
      const bp = j0 * K;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let k = 0; k < K; k++) {
        const ia = ap + 4 * k, ib = bp + 4 * k;
        const a0 = A[ia]!, a1 = A[ia + 1]!, a2 = A[ia + 2]!, a3 = A[ia + 3]!;
        const b0 = B[ib]!, b1 = B[ib + 1]!, b2 = B[ib + 2]!, b3 = B[ib + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const cols = Math.min(4, N - j0);
      if (rows === 4 && cols === 4) {
        let o = cOff + i0 * N + j0;
        c[o] = c00; c[o + 1] = c01; c[o + 2] = c02; c[o + 3] = c03; o += N;
        c[o] = c10; c[o + 1] = c11; c[o + 2] = c12; c[o + 3] = c13; o += N;
        c[o] = c20; c[o + 1] = c21; c[o + 2] = c22; c[o + 3] = c23; o += N;
        c[o] = c30; c[o + 1] = c31; c[o + 2] = c32; c[o + 3] = c33;
      } else {
        edge[0] = c00; edge[1] = c01; edge[2] = c02; edge[3] = c03;
        edge[4] = c10; edge[5] = c11; edge[6] = c12; edge[7] = c13;
        edge[8] = c20; edge[9] = c21; edge[10] = c22; edge[11] = c23;
        edge[12] = c30; edge[13] = c31; edge[14] = c32; edge[15] = c33;
        for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) c[cOff + (i0 + r) * N + j0 + q] = edge[r * 4 + q]!;
      }
    }
  }
}
