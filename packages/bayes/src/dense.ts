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

/**
 * Eigenvalues (ascending) and eigenvectors (columns of `vectors`, row-major n×n) of a symmetric matrix:
 * Householder tridiagonalisation then the implicit QL algorithm (EISPACK's tred2/tql2, as JAMA), O(n³)
 * with a small constant (a 101×101 Kronecker factor in a few ms; cyclic Jacobi took ~10× longer). @internal
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  // work on A / max|A| so that tiny (subnormal) or huge entries cannot underflow the rotations
  let m = 0;
  for (let k = 0; k < n * n; k++) m = Math.max(m, Math.abs(a[k]!));
  const V = m === 0 ? Float64Array.from(a) : a.map((v) => v / m), d = new Float64Array(n), e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: V };
  tred2(V, d, e, n);
  tql2(V, d, e, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = Float64Array.from(order, (i) => (m === 0 ? d[i]! : d[i]! * m));
  const vectors = new Float64Array(n * n);
  for (let r = 0; r < n; r++) order.forEach((i, c) => { vectors[r * n + c] = V[r * n + i]!; });
  return { values, vectors };
}

/** Householder reduction of V (symmetric, overwritten by the orthogonal transform) to tridiagonal (d, e). */
function tred2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = V[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0, h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) { d[j] = V[(i - 1) * n + j]!; V[i * n + j] = 0; V[j * n + i] = 0; }
    } else {
      for (let k = 0; k < i; k++) { d[k] = d[k]! / scale; h += d[k]! * d[k]!; }
      let f = d[i - 1]!, g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[j * n + i] = f;
        g = e[j]! + V[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) { g += V[k * n + j]! * d[k]!; e[k] = e[k]! + V[k * n + j]! * f; }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) { e[j] = e[j]! / h; f += e[j]! * d[j]!; }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!; g = e[j]!;
        for (let k = j; k <= i - 1; k++) V[k * n + j] = V[k * n + j]! - (f * e[k]! + g * d[k]!);
        d[j] = V[(i - 1) * n + j]!;
        V[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[(n - 1) * n + i] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[k * n + i + 1]! * V[k * n + j]!;
        for (let k = 0; k <= i; k++) V[k * n + j] = V[k * n + j]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) { d[j] = V[(n - 1) * n + j]!; V[(n - 1) * n + j] = 0; }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), accumulating the rotations into V. */
function tql2(V: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  // deflate relative to the whole tridiagonal's size (JAMA's running maximum can underflow to 0 at the start)
  let f = 0, tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
  for (let l = 0; l < n; l++) {
    let m = l;
    while (m < n && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      for (let iter = 0; iter < 200; iter++) {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1]!;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2; c2 = c; s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            const vk = V[k * n + i + 1]!;
            V[k * n + i + 1] = s * V[k * n + i]! + c * vk;
            V[k * n + i] = c * V[k * n + i]! - s * vk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        if (!(Math.abs(e[l]!) > eps * tst1)) break;
      }
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}
