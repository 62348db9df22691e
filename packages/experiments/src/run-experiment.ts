import * as v from "valibot";
import type { CheckpointStore, Progress } from "./experiment.js";
import { ExperimentAbortedError, ExperimentParamsError } from "./errors.js";
import { getExperiment } from "./registry.js";

export interface RunExperimentOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  readonly checkpoint?: CheckpointStore;
}

/** Validate `params` against the entry's schema (filling defaults); throws ExperimentParamsError naming each param. */
export function resolveParams(id: string, params: unknown = {}): Record<string, unknown> {
  const e = getExperiment(id);
  const r = v.safeParse(e.params, params ?? {});
  if (!r.success) {
    throw new ExperimentParamsError(id, r.issues.map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message })));
  }
  return r.output as Record<string, unknown>;
}

/**
 * Run a registry experiment: validates the params, drives its generator and resolves with its
 * JSON-serialisable result.
 *
 * @example
 * const r = await runExperiment("notebook9.3", { seed: 1 });
 */
export async function runExperiment(id: string, params: unknown = {}, options: RunExperimentOptions = {}): Promise<unknown> {
  const e = getExperiment(id);
  const resolved = resolveParams(id, params);
  const signal = options.signal ?? new AbortController().signal;
  if (signal.aborted) throw new ExperimentAbortedError(id);
  const run = (await e.load())(resolved, { signal, ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}) });
  for (;;) {
    const step = await run.next();
    if (step.done) return step.value;
    options.onProgress?.(step.value);
    if (signal.aborted) {
      await run.return?.(undefined as never);
      throw new ExperimentAbortedError(id);
    }
  }
}
