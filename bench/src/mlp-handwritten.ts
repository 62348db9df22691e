/**
 * The baseline: the same MLP written by hand with Float64Array loops and no autodiff — matmul
 * loops, bias, ReLU, softmax cross-entropy gradient, SGD. Buffers are allocated once. The GEMM loops
 * use the same 4-row register blocking as the engine's TS kernel (no packing, no SIMD, no tiling),
 * so "engine / hand-written" measures the engine's overhead (graph, allocation, dispatch,
 * broadcasting, generic kernels) over the same arithmetic written out directly.
 *
 * It also computes the exact gradient of the modified loss L + α/4‖∇L‖², i.e. ∇L + (α/2)·H∇L,
 * with a hand-written Hessian–vector product (Pearlmutter's R-operator: forward-over-reverse).
 */
import { getBackend } from "@regularize/core-autodiff";
import type { Problem } from "./data.js";

// The three GEMM shapes of an MLP step, each register-blocked over 4 output rows, unit-stride
// inner loops, no packing, no SIMD.

/** C[M,N] (+)= A[M,K] · B[K,N]  (forward: activations · W). */
export function mmNN(A: Float64Array, B: Float64Array, C: Float64Array, M: number, K: number, N: number, acc: boolean): void {
  if (!acc) C.fill(0, 0, M * N);
  let i = 0;
  for (; i + 3 < M; i += 4) {
    const c0 = i * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    const a0r = i * K, a1r = a0r + K, a2r = a1r + K, a3r = a2r + K;
    for (let k = 0; k < K; k++) {
      const a0 = A[a0r + k]!, a1 = A[a1r + k]!, a2 = A[a2r + k]!, a3 = A[a3r + k]!;
      const bk = k * N;
      for (let j = 0; j < N; j++) {
        const b = B[bk + j]!;
        C[c0 + j] = C[c0 + j]! + a0 * b;
        C[c1 + j] = C[c1 + j]! + a1 * b;
        C[c2 + j] = C[c2 + j]! + a2 * b;
        C[c3 + j] = C[c3 + j]! + a3 * b;
      }
    }
  }
  for (; i < M; i++) {
    const ci = i * N, ai = i * K;
    for (let k = 0; k < K; k++) {
      const a = A[ai + k]!;
      const bk = k * N;
      for (let j = 0; j < N; j++) C[ci + j] = C[ci + j]! + a * B[bk + j]!;
    }
  }
}

/** C[K,N] (+)= A[M,K]ᵀ · B[M,N]  (weight gradient: activationsᵀ · delta). */
export function mmTN(A: Float64Array, B: Float64Array, C: Float64Array, M: number, K: number, N: number, acc: boolean): void {
  if (!acc) C.fill(0, 0, K * N);
  let k = 0;
  for (; k + 3 < K; k += 4) {
    const c0 = k * N, c1 = c0 + N, c2 = c1 + N, c3 = c2 + N;
    for (let i = 0; i < M; i++) {
      const ai = i * K + k;
      const a0 = A[ai]!, a1 = A[ai + 1]!, a2 = A[ai + 2]!, a3 = A[ai + 3]!;
      const bi = i * N;
      for (let j = 0; j < N; j++) {
        const b = B[bi + j]!;
        C[c0 + j] = C[c0 + j]! + a0 * b;
        C[c1 + j] = C[c1 + j]! + a1 * b;
        C[c2 + j] = C[c2 + j]! + a2 * b;
        C[c3 + j] = C[c3 + j]! + a3 * b;
      }
    }
  }
  for (; k < K; k++) {
    const ck = k * N;
    for (let i = 0; i < M; i++) {
      const a = A[i * K + k]!;
      const bi = i * N;
      for (let j = 0; j < N; j++) C[ck + j] = C[ck + j]! + a * B[bi + j]!;
    }
  }
}

/** C[M,K] (+)= A[M,N] · B[K,N]ᵀ  (input gradient: delta · Wᵀ, as row dot products). */
export function mmNT(A: Float64Array, B: Float64Array, C: Float64Array, M: number, K: number, N: number, acc: boolean): void {
  let i = 0;
  for (; i + 3 < M; i += 4) {
    const a0r = i * N, a1r = a0r + N, a2r = a1r + N, a3r = a2r + N;
    const ci = i * K;
    for (let k = 0; k < K; k++) {
      const bk = k * N;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < N; j++) {
        const b = B[bk + j]!;
        s0 += A[a0r + j]! * b;
        s1 += A[a1r + j]! * b;
        s2 += A[a2r + j]! * b;
        s3 += A[a3r + j]! * b;
      }
      if (acc) {
        C[ci + k] = C[ci + k]! + s0;
        C[ci + K + k] = C[ci + K + k]! + s1;
        C[ci + 2 * K + k] = C[ci + 2 * K + k]! + s2;
        C[ci + 3 * K + k] = C[ci + 3 * K + k]! + s3;
      } else {
        C[ci + k] = s0;
        C[ci + K + k] = s1;
        C[ci + 2 * K + k] = s2;
        C[ci + 3 * K + k] = s3;
      }
    }
  }
  for (; i < M; i++) {
    const ai = i * N, ci = i * K;
    for (let k = 0; k < K; k++) {
      const bk = k * N;
      let s = 0;
      for (let j = 0; j < N; j++) s += A[ai + j]! * B[bk + j]!;
      C[ci + k] = acc ? C[ci + k]! + s : s;
    }
  }
}

/** out[N] = Σ_rows X[M,N]. */
function colSum(X: Float64Array, out: Float64Array, M: number, N: number): void {
  out.fill(0, 0, N);
  for (let i = 0; i < M; i++) {
    const xi = i * N;
    for (let j = 0; j < N; j++) out[j] = out[j]! + X[xi + j]!;
  }
}

/** A GEMM of one of the three layouts: C (+)= op(A)·op(B) with the dimensions of mmNN/mmTN/mmNT. */
type Mm = (A: Float64Array, B: Float64Array, C: Float64Array, M: number, K: number, N: number, acc: boolean) => void;

/** Which GEMM kernels the hand-written network uses. */
export type HandKernels = "loops" | "engine";

/**
 * The same three layouts on the engine's current backend GEMM (`getBackend().gemm`), so that
 * "engine / hand-written on engine kernels" is the framework's overhead alone, whatever its kernels.
 */
function engineKernels(): { nn: Mm; tn: Mm; nt: Mm } {
  let scratch = new Float64Array(0);
  const run = (C: Float64Array, n: number, acc: boolean, f: (out: Float64Array) => void): void => {
    if (!acc) { f(C); return; }
    if (scratch.length < n) scratch = new Float64Array(n);
    f(scratch);
    for (let i = 0; i < n; i++) C[i] = C[i]! + scratch[i]!;
  };
  return {
    nn: (A, B, C, M, K, N, acc) => run(C, M * N, acc, (out) => getBackend().gemm(A, 0, B, 0, out, 0, M, N, K, false, false)),
    tn: (A, B, C, M, K, N, acc) => run(C, K * N, acc, (out) => getBackend().gemm(A, 0, B, 0, out, 0, K, N, M, true, false)),
    nt: (A, B, C, M, K, N, acc) => run(C, M * K, acc, (out) => getBackend().gemm(A, 0, B, 0, out, 0, M, K, N, false, true)),
  };
}

/** A training run of the hand-written MLP (any depth; ReLU between layers). */
export class HandMlp {
  readonly sizes: readonly number[];
  readonly B: number;
  /** Weights [W1, b1, W2, b2, ...] (W: [in, out]); updated in place by SGD. */
  readonly w: Float64Array[];
  /** Gradient buffers, same layout. */
  readonly g: Float64Array[];
  private t = 0;
  private readonly L: number;
  // z[l] (l = 1..L): pre-activations; a[l] (l = 1..L−1): ReLU outputs; a[0] is the batch.
  private readonly z: Float64Array[] = [];
  private readonly a: Float64Array[] = [];
  private readonly delta: Float64Array[] = [];
  private readonly p: Float64Array;
  private y: Int32Array = new Int32Array(0);
  // R-operator buffers (Hessian–vector products)
  private readonly Rz: Float64Array[] = [];
  private readonly Ra: Float64Array[] = [];
  private readonly Rdelta: Float64Array[] = [];
  readonly Hv: Float64Array[];

  private readonly mmNN: Mm;
  private readonly mmTN: Mm;
  private readonly mmNT: Mm;

  /** `kernels`: its own loops (the baseline), or the engine's backend GEMM (to isolate overhead). */
  constructor(readonly problem: Problem, readonly alpha = 0.1, readonly kernels: HandKernels = "loops") {
    const ks = kernels === "engine" ? engineKernels() : { nn: mmNN, tn: mmTN, nt: mmNT };
    this.mmNN = ks.nn;
    this.mmTN = ks.tn;
    this.mmNT = ks.nt;
    const { sizes, batch } = problem.spec;
    this.sizes = sizes;
    this.B = batch;
    this.L = sizes.length - 1;
    this.w = problem.init.map((x) => Float64Array.from(x));
    this.g = problem.init.map((x) => new Float64Array(x.length));
    this.Hv = problem.init.map((x) => new Float64Array(x.length));
    this.a.push(problem.xs[0]!);
    this.Ra.push(new Float64Array(0));
    for (let l = 1; l <= this.L; l++) {
      const n = batch * sizes[l]!;
      this.z[l] = new Float64Array(n);
      this.delta[l] = new Float64Array(n);
      this.Rz[l] = new Float64Array(n);
      this.Rdelta[l] = new Float64Array(n);
      if (l < this.L) {
        this.a[l] = new Float64Array(n);
        this.Ra[l] = new Float64Array(n);
      }
    }
    this.p = new Float64Array(batch * sizes[this.L]!);
  }

  /** Forward pass on batch i; returns the mean cross-entropy (fills z, a, p). */
  forward(i: number): number {
    const { B, L, sizes } = this;
    this.a[0] = this.problem.xs[i]!;
    this.y = this.problem.ys[i]!;
    for (let l = 0; l < L; l++) {
      const K = sizes[l]!, N = sizes[l + 1]!;
      const z = this.z[l + 1]!, b = this.w[2 * l + 1]!;
      this.mmNN(this.a[l]!, this.w[2 * l]!, z, B, K, N, false);
      for (let r = 0; r < B; r++) for (let j = 0; j < N; j++) z[r * N + j] = z[r * N + j]! + b[j]!;
      if (l + 1 < L) {
        const a = this.a[l + 1]!;
        for (let k = 0; k < B * N; k++) { const v = z[k]!; a[k] = v > 0 ? v : 0; }
      }
    }
    // softmax cross-entropy (mean), stabilised by the row maximum
    const C = sizes[L]!, z = this.z[L]!, p = this.p, y = this.y;
    let loss = 0;
    for (let r = 0; r < B; r++) {
      const o = r * C;
      let m = -Infinity;
      for (let c = 0; c < C; c++) if (z[o + c]! > m) m = z[o + c]!;
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(z[o + c]! - m);
      const lse = m + Math.log(s);
      loss += lse - z[o + y[r]!]!;
      for (let c = 0; c < C; c++) p[o + c] = Math.exp(z[o + c]! - lse);
    }
    return loss / B;
  }

  /** Backward pass after forward: fills g (and delta). */
  backward(): void {
    const { B, L, sizes } = this;
    const C = sizes[L]!, p = this.p, y = this.y, dL = this.delta[L]!;
    for (let r = 0; r < B; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) dL[o + c] = p[o + c]! / B;
      dL[o + y[r]!] = dL[o + y[r]!]! - 1 / B;
    }
    for (let l = L - 1; l >= 0; l--) {
      const K = sizes[l]!, N = sizes[l + 1]!, d = this.delta[l + 1]!;
      this.mmTN(this.a[l]!, d, this.g[2 * l]!, B, K, N, false);
      colSum(d, this.g[2 * l + 1]!, B, N);
      if (l > 0) {
        const dp = this.delta[l]!, zp = this.z[l]!;
        this.mmNT(d, this.w[2 * l]!, dp, B, K, N, false);
        for (let k = 0; k < B * K; k++) if (!(zp[k]! > 0)) dp[k] = 0;
      }
    }
  }

  /**
   * H·v of the loss at the current forward/backward state (R-operator), into this.Hv.
   * Exact for ReLU nets (ReLU'' = 0 almost everywhere).
   */
  hvp(v: readonly Float64Array[]): void {
    const { B, L, sizes } = this;
    // forward: Rz_{l+1} = Ra_l·W_l + a_l·V_l + vb_l, Ra_{l+1} = Rz_{l+1} ⊙ 1[z_{l+1} > 0]
    for (let l = 0; l < L; l++) {
      const K = sizes[l]!, N = sizes[l + 1]!;
      const Rz = this.Rz[l + 1]!, vb = v[2 * l + 1]!;
      this.mmNN(this.a[l]!, v[2 * l]!, Rz, B, K, N, false);
      for (let r = 0; r < B; r++) for (let j = 0; j < N; j++) Rz[r * N + j] = Rz[r * N + j]! + vb[j]!;
      if (l > 0) this.mmNN(this.Ra[l]!, this.w[2 * l]!, Rz, B, K, N, true);
      if (l + 1 < L) {
        const Ra = this.Ra[l + 1]!, z = this.z[l + 1]!;
        for (let k = 0; k < B * N; k++) Ra[k] = z[k]! > 0 ? Rz[k]! : 0;
      }
    }
    // output: R(p − y)/B = p ⊙ (Rz − Σ_c p·Rz) / B
    const C = sizes[L]!, p = this.p, RzL = this.Rz[L]!, RdL = this.Rdelta[L]!;
    for (let r = 0; r < B; r++) {
      const o = r * C;
      let s = 0;
      for (let c = 0; c < C; c++) s += p[o + c]! * RzL[o + c]!;
      for (let c = 0; c < C; c++) RdL[o + c] = (p[o + c]! * (RzL[o + c]! - s)) / B;
    }
    // backward: R gW_l = Ra_lᵀ·d + a_lᵀ·Rd, R gb_l = Σ Rd, Rdelta_l = (Rd·W_lᵀ + d·V_lᵀ) ⊙ mask
    for (let l = L - 1; l >= 0; l--) {
      const K = sizes[l]!, N = sizes[l + 1]!, d = this.delta[l + 1]!, Rd = this.Rdelta[l + 1]!;
      this.mmTN(this.a[l]!, Rd, this.Hv[2 * l]!, B, K, N, false);
      if (l > 0) this.mmTN(this.Ra[l]!, d, this.Hv[2 * l]!, B, K, N, true);
      colSum(Rd, this.Hv[2 * l + 1]!, B, N);
      if (l > 0) {
        const Rdp = this.Rdelta[l]!, zp = this.z[l]!;
        this.mmNT(Rd, this.w[2 * l]!, Rdp, B, K, N, false);
        this.mmNT(d, v[2 * l]!, Rdp, B, K, N, true);
        for (let k = 0; k < B * K; k++) if (!(zp[k]! > 0)) Rdp[k] = 0;
      }
    }
  }

  private sgd(): void {
    const lr = this.problem.spec.lr;
    for (let q = 0; q < this.w.length; q++) {
      const w = this.w[q]!, g = this.g[q]!;
      for (let k = 0; k < w.length; k++) w[k] = w[k]! - lr * g[k]!;
    }
  }

  private nextBatch(): number {
    return this.t++ % this.problem.xs.length;
  }

  /** One SGD step on the plain loss; returns the loss before the update. */
  step(): number {
    const loss = this.forward(this.nextBatch());
    this.backward();
    this.sgd();
    return loss;
  }

  /**
   * Gradient of the modified loss L + α/4‖∇L‖² on batch i into this.g: ∇L + (α/2)·H∇L.
   * Returns the modified loss value.
   */
  modifiedGrad(i: number): number {
    const loss = this.forward(i);
    this.backward();
    this.hvp(this.g);
    const half = this.alpha / 2;
    let sq = 0;
    for (let q = 0; q < this.g.length; q++) {
      const g = this.g[q]!, h = this.Hv[q]!;
      for (let k = 0; k < g.length; k++) {
        sq += g[k]! * g[k]!;
        g[k] = g[k]! + half * h[k]!;
      }
    }
    return loss + (this.alpha / 4) * sq;
  }

  /** One SGD step on the modified loss; returns the modified loss before the update. */
  modifiedStep(): number {
    const m = this.modifiedGrad(this.nextBatch());
    this.sgd();
    return m;
  }

  /** Plain loss of the current weights on batch i. */
  evalLoss(i = 0): number {
    return this.forward(i);
  }

  /** ReLU activation pattern of the last forward pass (one byte per hidden unit and example). */
  activationPattern(): Uint8Array {
    const parts: number[] = [];
    for (let l = 1; l < this.L; l++) for (const v of this.z[l]!) parts.push(v > 0 ? 1 : 0);
    return Uint8Array.from(parts);
  }

  /** Overwrite the weights (for finite-difference probes). */
  setWeights(ws: readonly Float64Array[]): void {
    ws.forEach((x, q) => this.w[q]!.set(x));
  }

  /** Restart from the initial weights and batch 0. */
  reset(): void {
    this.setWeights(this.problem.init);
    this.t = 0;
  }
}
