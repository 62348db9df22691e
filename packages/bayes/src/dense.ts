import { NotPositiveDefiniteError } from "./errors.js";

// Small dense float64 linear algebra (row-major square matrices as Float64Array), enough for the
// closed form and the Laplace factors; kept in plain loops so errors can name the failing matrix.

/** Options of {@link choleskyFactor}. */
export interface CholeskyOptions {
  /**
   * Opt-in jitter: when the factorisation fails, retry with A + εI for ε = jitter, 10·jitter, …
   * (at most 6 tries). `undefined`/0 (default) throws at the first failure.
   */
  readonly jitter?: number;
}

/** The lower factor L (A = LLᵀ) and the jitter that was added (0 unless `jitter` was needed). @internal */
export function choleskyFactor(fn: string, what: string, a: Float64Array, n: number, opts: CholeskyOptions = {}): { L: Float64Array; jitter: number } {
  const tries = opts.jitter !== undefined && opts.jitter > 0 ? 7 : 1;
  let eps = 0;
  for (let t = 0; t < tries; t++) {
    const L = tryCholesky(a, n, eps);
    if (typeof L !== "number") return { L, jitter: eps };
    if (t === tries - 1) {
      const hint = tries === 1 ? " (pass a jitter to add εI and retry)" : ` even with jitter ${eps}`;
      throw new NotPositiveDefiniteError(fn, what, `is not positive definite: Cholesky failed at pivot ${L}${hint}`);
    }
    eps = eps === 0 ? opts.jitter! : eps * 10;
  }
  throw new Error("unreachable");
}

function tryCholesky(a: Float64Array, n: number, eps: number): Float64Array | number {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j]! + eps;
    for (let k = 0; k < j; k++) s -= L[j * n + k]! * L[j * n + k]!;
    if (!(s > 0) || !Number.isFinite(s)) return j;
    const d = Math.sqrt(s);
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j]!;
      for (let k = 0; k < j; k++) v -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = v / d;
    }
  }
  return L;
}

/** Solve L x = b (L lower triangular) in place of a copy. @internal */
export function solveLower(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** Solve Lᵀ x = b (L lower triangular). @internal */
export function solveUpperT(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

/** A⁻¹ b from A's Cholesky factor. @internal */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  return solveUpperT(L, n, solveLower(L, n, b));
}

/** A⁻¹ from A's Cholesky factor (symmetrised). @internal */
export function choleskyInverse(L: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const c = choleskySolve(L, n, e);
    for (let i = 0; i < n; i++) inv[i * n + j] = c[i]!;
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const v = 0.5 * (inv[i * n + j]! + inv[j * n + i]!);
    inv[i * n + j] = v;
    inv[j * n + i] = v;
  }
  return inv;
}

/** log|A| = 2 Σ log Lᵢᵢ. @internal */
export function choleskyLogdet(L: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(L[i * n + i]!);
  return 2 * s;
}

/** L z (L lower triangular). @internal */
export function lowerTimes(L: Float64Array, n: number, z: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += L[i * n + k]! * z[k]!;
    out[i] = s;
  }
  return out;
}

/** AᵀA (A is rows × cols, row-major). @internal */
export function gram(a: Float64Array, rows: number, cols: number): Float64Array {
  const g = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let i = 0; i < cols; i++) {
      const ai = a[o + i]!;
      if (ai === 0) continue;
      for (let j = 0; j <= i; j++) g[i * cols + j] = g[i * cols + j]! + ai * a[o + j]!;
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) g[j * cols + i] = g[i * cols + j]!;
  return g;
}

/** xᵀ M x for symmetric M. @internal */
export function quadForm(m: Float64Array, n: number, x: ArrayLike<number>, xOffset = 0): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += m[i * n + j]! * x[xOffset + j]!;
    s += x[xOffset + i]! * r;
  }
  return s;
}

/** Eigenvalues of a symmetric matrix, ascending. @internal */
export function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  return symmetricEigen(a, n).values;
}

/** Eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major n×n) of a symmetric matrix by cyclic Jacobi. @internal */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += m[i]! ** 2;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) {
      const apq = m[p * n + q]!;
      if (apq === 0) continue;
      const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), s = t * c;
      for (let k = 0; k < n; k++) {
        const mkp = m[k * n + p]!, mkq = m[k * n + q]!;
        m[k * n + p] = c * mkp - s * mkq;
        m[k * n + q] = s * mkp + c * mkq;
      }
      for (let k = 0; k < n; k++) {
        const mpk = m[p * n + k]!, mqk = m[q * n + k]!;
        m[p * n + k] = c * mpk - s * mqk;
        m[q * n + k] = s * mpk + c * mqk;
      }
      for (let k = 0; k < n; k++) {
        const vkp = V[k * n + p]!, vkq = V[k * n + q]!;
        V[k * n + p] = c * vkp - s * vkq;
        V[k * n + q] = s * vkp + c * vkq;
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[i * n + i]! - m[j * n + j]!);
  const values = Float64Array.from(order, (i) => m[i * n + i]!);
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) order.forEach((i, c) => { vectors[r * n + c] = V[r * n + i]!; });
  return { values, vectors };
}
