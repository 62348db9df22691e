import { runExperiment } from "@regularize/experiments";
import type { Trial, TrialOutcome } from "./trial.ts";

/** Path of the first non-finite number in a result ("" for the root), or undefined when all are finite. */
export function findNonFinite(x: unknown, path = ""): string | undefined {
  if (typeof x === "number") return Number.isFinite(x) ? undefined : path || "(result)";
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      const p = findNonFinite(x[i], `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (x !== null && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      const p = findNonFinite(v, path ? `${path}.${k}` : k);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

/**
 * Run one trial to an outcome: the experiment's result, or `failed` with the reason when it throws
 * or returns a non-finite number (a diverged training: JSON would silently turn NaN into null).
 */
export async function runTrial(trial: Trial, signal?: AbortSignal): Promise<TrialOutcome> {
  let result: unknown;
  try {
    result = await runExperiment(trial.experiment, trial.params, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw err;
    const e = err as Error;
    return { status: "failed", error: `${e.name ?? "Error"}: ${e.message ?? String(err)}` };
  }
  const bad = findNonFinite(result);
  if (bad !== undefined) return { status: "failed", error: `non-finite result at ${bad} (diverged?)` };
  return { status: "ok", result };
}
