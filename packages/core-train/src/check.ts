import { FitOptionsError } from "./errors.js";

/** @internal Require a positive integer option. */
export function positiveInt(option: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) throw new FitOptionsError(option, `must be a positive integer, got ${String(v)}`);
  return v;
}

/** @internal Require a non-negative integer option. */
export function nonNegativeInt(option: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new FitOptionsError(option, `must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The name of `names` nearest to a misspelled `name` (case-insensitive edit distance, at most a
 * third of its length, minimum 2), for "did you mean" hints; undefined when none is close.
 */
export function closestName(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined, bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}
