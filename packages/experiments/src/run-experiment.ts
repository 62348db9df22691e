import * as v from "valibot";
import type { Plugin } from "@regularize/core-train";
import type { CheckpointStore, Progress } from "./experiment.js";
import { ExperimentAbortedError, ExperimentParamsError } from "./errors.js";
import { getExperiment, listExperiments } from "./registry.js";
import type { PluginChoice } from "./plugins/catalog.js";
import { createPlugin, resolvePluginOptions } from "./plugins/lookup.js";

export interface RunExperimentOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: Progress) => void;
  /** Where a resumable entry keeps its checkpoint (it continues from `load()` when that returns one). */
  readonly checkpoint?: CheckpointStore;
  /** Catalog plugins by name with options (only for entries with `acceptsPlugins`). */
  readonly plugins?: readonly PluginChoice[];
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
 * Validate plugin choices for an entry: the entry must accept plugins, every name must exist and
 * every option pass its schema. Returns the choices with defaults filled (what a run folder records).
 */
export function resolvePlugins(id: string, plugins: readonly PluginChoice[] = []): { name: string; options: Record<string, unknown> }[] {
  const e = getExperiment(id);
  if (plugins.length > 0 && !e.acceptsPlugins) {
    throw new ExperimentParamsError(id, [{ path: "plugins", message: `${id} takes no plugins (entries that train with fit do: ${acceptingIds().join(", ")})` }]);
  }
  const names = new Set<string>();
  return plugins.map((c) => {
    if (names.has(c.name)) throw new ExperimentParamsError(id, [{ path: "plugins", message: `plugin ${c.name} given twice` }]);
    names.add(c.name);
    return { name: c.name, options: resolvePluginOptions(c.name, c.options ?? {}) };
  });
}

function acceptingIds(): string[] {
  return listExperiments().filter((x) => x.acceptsPlugins).map((x) => x.id);
}

/**
 * Run a registry experiment: validates the params (and plugins), drives its generator and resolves
 * with its JSON-serialisable result. Aborting rejects with ExperimentAbortedError once the entry has
 * stopped (resumable entries have saved their checkpoint by then).
 *
 * @example
 * const r = await runExperiment("fig9.2", { lambda: 1e-3 });
 */
export async function runExperiment(id: string, params: unknown = {}, options: RunExperimentOptions = {}): Promise<unknown> {
  const e = getExperiment(id);
  const resolved = resolveParams(id, params);
  const choices = resolvePlugins(id, options.plugins ?? []);
  const signal = options.signal ?? new AbortController().signal;
  if (signal.aborted) throw new ExperimentAbortedError(id);
  const plugins: Plugin[] = choices.map((c) => createPlugin(c.name, c.options));
  const run = (await e.load())(resolved, { signal, plugins, ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}) });
  for (;;) {
    let step: IteratorResult<Progress, unknown>;
    try {
      step = await run.next();
    } catch (err) {
      if (signal.aborted) throw new ExperimentAbortedError(id);
      throw err;
    }
    if (step.done) {
      if (signal.aborted) throw new ExperimentAbortedError(id);
      return step.value;
    }
    options.onProgress?.(step.value);
    if (signal.aborted && !e.resumable) {
      // return() runs the entry's finally blocks (a fit-based entry waits there for fit to stop)
      await run.return?.(undefined as never);
      throw new ExperimentAbortedError(id);
    }
    // a resumable entry is drained instead: it stops at its next step, saves its checkpoint and
    // ends; every progress report up to the checkpoint still reaches onProgress
  }
}
