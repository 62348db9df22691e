// Small dense linear algebra on plain arrays for the tests: a reference independent of the engine.

/** Row-major n×n matrix. */
export type Mat = number[][];

/** An orthogonal matrix by Gram–Schmidt on the rows of a (generic) square matrix. */
export function orthonormalize(m: Mat): Mat {
  const q: Mat = [];
  for (const row of m) {
    const v = [...row];
    for (const u of q) {
      const d = v.reduce((s, x, i) => s + x * u[i]!, 0);
      for (let i = 0; i < v.length; i++) v[i]! -= d * u[i]!;
    }
    const n = Math.hypot(...v);
    q.push(v.map((x) => x / n));
  }
  return q;
}

/** Qᵀ·diag(f(λ))·Q for an orthonormal Q (rows are eigenvectors). */
export function fromEigen(q: Mat, lambdas: readonly number[], f: (l: number) => number = (l) => l): Mat {
  const n = lambdas.length;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => q.reduce((s, row, k) => s + row[i]! * f(lambdas[k]!) * row[j]!, 0)),
  );
}

/** m·v. */
export function matVec(m: Mat, v: readonly number[]): number[] {
  return m.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}

/** Euclidean norm of a − b. */
export function dist(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(...a.map((x, i) => x - b[i]!));
}
