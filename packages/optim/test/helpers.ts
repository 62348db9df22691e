import { type Tensor, type Tree, tensor, treeLeaves } from "@regularize/core-autodiff";
import { expect } from "vitest";
import { assertAllclose } from "@regularize/core-train/testing";

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

/**
 * Assert elementwise closeness of the flattened values with explicit tolerances (0 when omitted):
 * core-train/testing's shared `assertAllclose`, shapes ignored.
 */
export function expectAllclose(actual: Tree | number | readonly number[], expected: Tree | number | readonly number[], tol: Tol): void {
  assertAllclose(Float64Array.from(flat(actual)), Float64Array.from(flat(expected)), { rtol: tol.rtol ?? 0, atol: tol.atol ?? 0 });
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
