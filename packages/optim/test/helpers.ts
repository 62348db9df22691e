import { type Tensor, type Tree, tensor, treeLeaves } from "@regularize/core-autodiff";
import { expect } from "vitest";

/** Tolerances of an allclose comparison: |a − e| ≤ atol + rtol·|e| elementwise. */
export interface Tol {
  readonly rtol?: number;
  readonly atol?: number;
}

/** Flatten a number, array, tensor or tree of tensors into a flat list of numbers. */
export function flat(x: Tree | number | readonly number[]): number[] {
  if (typeof x === "number") return [x];
  if (Array.isArray(x) && x.every((v) => typeof v === "number")) return [...(x as number[])];
  return treeLeaves(x as Tree).flatMap((l) => Array.from(l.data));
}

/** Assert elementwise closeness with explicit tolerances, reporting the worst element. */
export function expectAllclose(actual: Tree | number | readonly number[], expected: Tree | number | readonly number[], tol: Tol): void {
  const a = flat(actual), e = flat(expected);
  expect(a.length).toBe(e.length);
  const rtol = tol.rtol ?? 0, atol = tol.atol ?? 0;
  let worst = -1, worstExcess = 0;
  a.forEach((v, i) => {
    const excess = Math.abs(v - e[i]!) - (atol + rtol * Math.abs(e[i]!));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  });
  if (worst >= 0) {
    expect.fail(`element ${worst}: got ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol}); actual ${JSON.stringify(a.slice(0, 12))}`);
  }
}

/** Bitwise equality of two trees (same leaves, same values including signed zeros). */
export function expectSameBits(actual: Tree, expected: Tree): void {
  const a = treeLeaves(actual), e = treeLeaves(expected);
  expect(a.length).toBe(e.length);
  a.forEach((l, i) => {
    expect(l.shape).toEqual(e[i]!.shape);
    expect(Array.from(l.data)).toEqual(Array.from(e[i]!.data));
  });
}

/** A float64 vector tensor. */
export const vec = (xs: readonly number[]): Tensor => tensor([...xs]);

/** Deterministic uniform numbers in [0, 1) (mulberry32), for test data that fast-check does not drive. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
