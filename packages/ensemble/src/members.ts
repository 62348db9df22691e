import { bootstrapIndices, type RandomState } from "@regularize/datasets";
import { describeValue } from "@regularize/core-train";
import { EnsembleOptionError, requireInteger } from "./errors.js";

/** Members that differ only in their seed (initialisation and data order): deep ensembles. */
export function seedMembers<S extends object>(base: S, seeds: readonly number[]): (S & { seed: number })[] {
  requireBase("seedMembers", base);
  if (!Array.isArray(seeds) || seeds.length === 0) throw new EnsembleOptionError("seedMembers", "seeds", "must be a non-empty array of integers");
  seeds.forEach((s, i) => requireInteger("seedMembers", `seeds[${i}]`, s, 0));
  return seeds.map((seed) => ({ ...base, seed }));
}

/** Options of `bootstrapMembers`. */
export interface BootstrapMembersOptions {
  /** Size of the training set the members resample. */
  readonly n: number;
  readonly members: number;
  /**
   * The NumPy-legacy generator the draws continue (a notebook's stream after its data), or a seed.
   * Member m's indices are the m-th `choice(n, n, replace=True)` of the stream.
   */
  readonly rng: RandomState | number;
}

/** Bagging: each member trains on a bootstrap resample (`indices`) drawn in turn from one RandomState stream. */
export function bootstrapMembers<S extends object>(base: S, options: BootstrapMembersOptions): (S & { indices: number[] })[] {
  const fn = "bootstrapMembers";
  const n = requireInteger(fn, "n", options?.n, 1);
  const m = requireInteger(fn, "members", options.members, 1);
  return Array.from({ length: m }, () => ({ ...base, indices: Array.from(bootstrapIndices(n, options.rng)) }));
}

/** The common settings every member copies: a plain object (a string or an array would be spread into keys). */
function requireBase(fn: string, base: unknown): void {
  if (base === null || typeof base !== "object" || Array.isArray(base)) throw new EnsembleOptionError(fn, "base", `must be an object of member settings, got ${describeValue(base)}`);
}

/** Hyperparameter ensembles: one member per point of the grid (cartesian product, last key fastest). */
export function hyperparameterMembers<S extends object, G extends Record<string, readonly unknown[]>>(
  base: S, grid: G,
): (S & { [K in keyof G]: G[K][number] })[] {
  const fn = "hyperparameterMembers";
  requireBase(fn, base);
  if (grid === null || typeof grid !== "object" || Array.isArray(grid)) throw new EnsembleOptionError(fn, "grid", `must be an object { name: values[] }, got ${describeValue(grid)}`);
  const keys = Object.keys(grid);
  if (keys.length === 0) throw new EnsembleOptionError(fn, "grid", "must name at least one hyperparameter");
  let out: Record<string, unknown>[] = [{ ...(base as Record<string, unknown>) }];
  for (const k of keys) {
    const vals = grid[k]!;
    if (!Array.isArray(vals) || vals.length === 0) throw new EnsembleOptionError(fn, `grid.${k}`, "must be a non-empty array");
    out = out.flatMap((o) => vals.map((v) => ({ ...o, [k]: v })));
  }
  return out as (S & { [K in keyof G]: G[K][number] })[];
}

/** Members with different architectures: one per width list (e.g. [[40, 100, 10], [40, 50, 50, 10]]). */
export function architectureMembers<S extends object>(base: S, widths: readonly (readonly number[])[]): (S & { widths: number[] })[] {
  requireBase("architectureMembers", base);
  if (!Array.isArray(widths) || widths.length === 0) throw new EnsembleOptionError("architectureMembers", "widths", "must be a non-empty array of width lists");
  widths.forEach((w, i) => {
    if (!Array.isArray(w) || w.length < 2 || w.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new EnsembleOptionError("architectureMembers", `widths[${i}]`, `must be a list of at least 2 positive integer widths, got ${describeValue(w)}`);
    }
  });
  return widths.map((w) => ({ ...base, widths: [...w] }));
}
