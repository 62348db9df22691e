import type { Experiment } from "./experiment.js";
import { UnknownExperimentError } from "./errors.js";
import { ENTRIES } from "./entries/index.js";

const byId = new Map<string, Experiment>(ENTRIES.map((e) => [e.id, e as unknown as Experiment]));
if (byId.size !== ENTRIES.length) throw new Error("experiments registry: duplicate ids");

/** Every experiment of the registry, in the chapter's order. */
export function listExperiments(): readonly Experiment[] {
  return [...byId.values()];
}

/** The entry with this id; throws UnknownExperimentError listing the valid ids. */
export function getExperiment(id: string): Experiment {
  const e = byId.get(id);
  if (e === undefined) throw new UnknownExperimentError(id, [...byId.keys()]);
  return e;
}
