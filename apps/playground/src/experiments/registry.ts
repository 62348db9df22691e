import type { ExperimentRun } from "./run.js";
import { fig91 } from "./fig9-1.js";
import { mnist1dExplorer } from "./mnist1d.js";

/** Every experiment the worker can run, by name. */
export const EXPERIMENTS = {
  fig91,
  mnist1d: mnist1dExplorer,
} as const;

export type ExperimentName = keyof typeof EXPERIMENTS;
type Fn<K extends ExperimentName> = (typeof EXPERIMENTS)[K];
export type ParamsOf<K extends ExperimentName> = Parameters<Fn<K>>[0];
export type ResultOf<K extends ExperimentName> = ReturnType<Fn<K>> extends ExperimentRun<infer R> ? R : never;
