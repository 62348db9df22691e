import type { AnyExperimentRun, RunContext } from "./run.js";
import { fig91 } from "./fig9-1.js";
import { fig92 } from "./fig9-2.js";
import { fig93 } from "./fig9-3.js";
import { fig94 } from "./fig9-4.js";
import { fig96 } from "./fig9-6.js";
import { fig99 } from "./fig9-9.js";
import { fig910 } from "./fig9-10.js";
import { mnist1dExplorer } from "./mnist1d.js";

/** Every experiment the worker can run, by name. */
export const EXPERIMENTS = {
  fig91,
  fig92,
  fig93,
  fig94,
  fig96,
  fig99,
  fig910,
  mnist1d: mnist1dExplorer,
} as const;

export type ExperimentName = keyof typeof EXPERIMENTS;
type Fn<K extends ExperimentName> = (typeof EXPERIMENTS)[K];
export type ParamsOf<K extends ExperimentName> = Parameters<Fn<K>>[0];
type ReturnOf<G> = G extends Generator<unknown, infer R, void> ? R : G extends AsyncGenerator<unknown, infer R, void> ? R : never;
export type ResultOf<K extends ExperimentName> = ReturnOf<ReturnType<Fn<K>>>;
/** Any experiment factory, as the worker calls it. */
export type AnyExperiment = (params: unknown, ctx: RunContext) => AnyExperimentRun<unknown>;
