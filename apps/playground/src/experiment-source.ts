// Where the worker finds an experiment by id: the registry of @regularize/experiments. Its entries load
// their implementation lazily, so the worker only fetches the code of the figure it runs.
import { getExperiment, resolveParams } from "@regularize/experiments";

export type RunFn = (params: unknown, ctx: { signal: AbortSignal }) => Generator<unknown, unknown, void> | AsyncGenerator<unknown, unknown, void>;

/** The run function of a registry experiment, validating its params (and filling defaults) like runExperiment. */
export async function loadRun(id: string): Promise<RunFn> {
  const e = getExperiment(id);
  const run = (await e.load()) as unknown as RunFn;
  return (params, ctx) => run(resolveParams(id, params), ctx);
}
