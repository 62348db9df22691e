import { gaborDataset } from "@regularize/datasets";
import { type PRNGKey, type Tensor, type Tree, normal, prngKey, split, tensor, treeFlatten } from "@regularize/core-autodiff";
import { expect } from "vitest";
import type { Plugin } from "../src/plugin.js";

// Notebook 9.1's 30-point Gabor dataset (CHAPTER9 §1.3), from the datasets package (test-only dependency).
const GABOR = gaborDataset();

/** The Gabor dataset as x [30], y [30]. */
export const gaborData = { x: tensor(GABOR.x), y: tensor(GABOR.y) };

/** Synthetic MNIST-1D-like data: 10 classes, each a fixed random 40-sample template plus noise (same templates for every seed). */
export function syntheticSignals(n: number, seed: number, noise = 0.5): { x: Tensor; y: Tensor } {
  const [kx, kn] = split(prngKey(seed), 2) as [PRNGKey, PRNGKey];
  const templates = normal(prngKey(12345), [10, 40]).data;
  const eps = normal(kn, [n, 40], { std: noise }).data;
  const coin = normal(kx, [n]).data;
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7 + (coin[i]! > 0 ? 1 : 0)) % 10);
  const x = new Float64Array(n * 40);
  for (let i = 0; i < n; i++) for (let j = 0; j < 40; j++) x[i * 40 + j] = templates[labels[i]! * 40 + j]! + eps[i * 40 + j]!;
  return { x: tensor(x, { shape: [n, 40] }), y: tensor(labels, { dtype: "int32" }) };
}

/** Small 3-class data in 4-D (12 examples unless told). */
export function blobs(n = 12, seed = 1): { x: Tensor; y: Tensor } {
  const noise = normal(prngKey(seed), [n, 4], { std: 0.4 }).data;
  const x = new Float64Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === i % 3 ? 2 : 0) + noise[i * 4 + j]!;
  }
  return { x: tensor(x, { shape: [n, 4] }), y: tensor(y, { dtype: "int32" }) };
}

/** Assert two trees are bitwise identical (Object.is per element). */
export function expectBitsEqual(a: Tree, b: Tree): void {
  const [la] = treeFlatten(a), [lb] = treeFlatten(b);
  expect(la.length).toBe(lb.length);
  la.forEach((l, j) => {
    expect(l.shape).toEqual(lb[j]!.shape);
    expect(Array.from(l.data)).toEqual(Array.from(lb[j]!.data));
  });
}

/** Whether two trees differ somewhere. */
export function treesDiffer(a: Tree, b: Tree): boolean {
  const [la] = treeFlatten(a), [lb] = treeFlatten(b);
  return la.some((l, j) => l.data.some((v, k) => !Object.is(v, lb[j]!.data[k])));
}

const EVENTS = ["beforeFit", "beforeEpoch", "beforeBatch", "afterForward", "afterLoss", "beforeStep", "afterStep", "afterBatch", "afterEpoch", "afterFit"] as const;

/** A plugin that appends "name:event" (or "event" when `bare`) to `log` for every event, and can run a reaction. */
export function recorder(name: string, log: string[], react?: (event: string, ctx: Parameters<NonNullable<Plugin["afterBatch"]>>[0]) => void, extra: Partial<Plugin> = {}): Plugin {
  const p: Record<string, unknown> = { name, ...extra };
  for (const e of EVENTS) {
    p[e] = (a: unknown, b: unknown) => {
      const ctx = (e === "beforeBatch" ? b : a) as Parameters<NonNullable<Plugin["afterBatch"]>>[0];
      log.push(`${name}:${e}`);
      react?.(e, ctx);
    };
  }
  return p as unknown as Plugin;
}
