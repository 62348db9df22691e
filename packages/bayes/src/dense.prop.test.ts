import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { symmetricEigen } from "./dense.js";

// symmetric matrices with a chosen spectrum spread, including repeated and zero eigenvalues
const symmetric = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: n * n, maxLength: n * n }).map((v) => {
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = v[i * n + j]!;
    return { a, n };
  }));

describe("symmetricEigen (tred2 + tql2)", () => {
  test.prop([symmetric])("A = V diag(λ) Vᵀ, VᵀV = I, λ ascending", ({ a, n }) => {
    const { values, vectors: V } = symmetricEigen(a, n);
    const scale = Math.max(1, ...Array.from(a, Math.abs));
    for (let i = 1; i < n; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let r = 0, o = 0;
      for (let k = 0; k < n; k++) { r += V[i * n + k]! * values[k]! * V[j * n + k]!; o += V[k * n + i]! * V[k * n + j]!; }
      expect(Math.abs(r - a[i * n + j]!)).toBeLessThan(1e-12 * scale * n);
      expect(Math.abs(o - (i === j ? 1 : 0))).toBeLessThan(1e-12 * n);
    }
  });

  test.prop([fc.integer({ min: 1, max: 30 })])("a diagonal matrix and a rank-one matrix", (n) => {
    const diag = new Float64Array(n * n);
    for (let i = 0; i < n; i++) diag[i * n + i] = n - i;
    symmetricEigen(diag, n).values.forEach((v, i) => expect(Math.abs(v - (i + 1))).toBeLessThan(1e-12 * n));
    const u = Float64Array.from({ length: n }, (_, i) => i + 1), r1 = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r1[i * n + j] = u[i]! * u[j]!;
    const { values } = symmetricEigen(r1, n);
    const norm2 = u.reduce((s, v) => s + v * v, 0);
    expect(Math.abs(values[n - 1]! - norm2)).toBeLessThan(1e-12 * norm2);
    for (let i = 0; i < n - 1; i++) expect(Math.abs(values[i]!)).toBeLessThan(1e-12 * norm2);
  });

  it("regression: subnormal off-diagonal entries (fast-check counterexamples) give finite, orthogonal results", () => {
    for (const a of [[0, 5e-324, 5e-324, 0], [0, 3e-323, 3e-323, 5.32907051820075e-15]]) {
      const { values, vectors: V } = symmetricEigen(Float64Array.from(a), 2);
      expect(Array.from(values).every(Number.isFinite)).toBe(true);
      expect(Math.abs(V[0]! * V[1]! + V[2]! * V[3]!)).toBeLessThan(1e-15);
      expect(Math.abs(V[0]! ** 2 + V[2]! ** 2 - 1)).toBeLessThan(1e-15);
    }
  });
});
