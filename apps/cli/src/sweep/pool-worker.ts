import { runTrial } from "./run-trial.ts";
import type { Trial, TrialOutcome } from "./trial.ts";

/** Piscina task: one trial to its outcome (the trial was validated by the planner). */
export default async function poolTask(trial: Trial): Promise<TrialOutcome> {
  return await runTrial(trial);
}
