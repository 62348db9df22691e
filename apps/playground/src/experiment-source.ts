// Where the worker finds an experiment by id: a lazy import per experiment, so the worker only loads
// the code of the figure it runs.
import type { AnyExperimentRun } from "./experiments/run.js";

export type RunFn = (params: unknown, ctx: { signal: AbortSignal }) => AnyExperimentRun<unknown>;

const SOURCES: Record<string, () => Promise<RunFn>> = {
  "fig9.1": () => import("./experiments/fig9-1.js").then((m) => m.fig91 as unknown as RunFn),
  "fig9.2": () => import("./experiments/fig9-2.js").then((m) => m.fig92 as unknown as RunFn),
  "fig9.3": () => import("./experiments/fig9-3.js").then((m) => m.fig93 as unknown as RunFn),
  "fig9.4": () => import("./experiments/fig9-4.js").then((m) => m.fig94 as unknown as RunFn),
  "fig9.6": () => import("./experiments/fig9-6.js").then((m) => m.fig96 as unknown as RunFn),
  "fig9.9": () => import("./experiments/fig9-9.js").then((m) => m.fig99 as unknown as RunFn),
  "fig9.10": () => import("./experiments/fig9-10.js").then((m) => m.fig910 as unknown as RunFn),
  "mnist1d": () => import("./experiments/mnist1d.js").then((m) => m.mnist1dExplorer as unknown as RunFn),
};

/** The run function of an experiment: the playground's own (until moved) or the registry's `load()`. */
export async function loadRun(id: string): Promise<RunFn> {
  const src = SOURCES[id];
  if (src) return src();
  const { getExperiment, resolveParams } = await import("@regularize/experiments");
  const run = (await getExperiment(id).load()) as unknown as RunFn;
  // validate and fill defaults like runExperiment does (errors name the param)
  return (params, ctx) => run(resolveParams(id, params), ctx);
}
