// Where the worker finds an experiment by id: the registry of @regularize/experiments. Its entries load
// their implementation lazily, so the worker only fetches the code of the figure it runs.
import { createPlugin, getExperiment, resolveParams, resolvePlugins } from "@regularize/experiments";
import type { PluginChoice } from "./worker-protocol.js";

export type RunFn = (params: unknown, ctx: { signal: AbortSignal; plugins?: readonly unknown[] }) => Generator<unknown, unknown, void> | AsyncGenerator<unknown, unknown, void>;

/** The run function of a registry experiment, validating its params (and filling defaults) like runExperiment. */
export async function loadRun(id: string, choices: readonly PluginChoice[] = []): Promise<RunFn> {
  const e = getExperiment(id);
  const resolved = resolvePlugins(id, choices);
  const run = (await e.load()) as unknown as RunFn;
  // fresh plugin instances per run, options validated against their schemas (errors name the plugin and option)
  return (params, ctx) => run(resolveParams(id, params), { ...ctx, plugins: resolved.map((c) => createPlugin(c.name, c.options)) });
}
