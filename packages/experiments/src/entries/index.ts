import type { Experiment } from "../experiment.js";
import { fig911 } from "./fig9-11.js";
import { fig913 } from "./fig9-13.js";
import { mnist1dBaselines } from "./mnist1d-baselines.js";
import { notebook95 } from "./notebook9-5.js";
import { queueSelftest } from "./queue-selftest.js";

/**
 * Every registry entry, in the chapter's order. One import + one list item per entry: packages'
 * issues add theirs here (keep the list sorted by figure, diagnostics last).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ENTRIES: readonly Experiment<any, any>[] = [
  fig911,
  fig913,
  notebook95,
  mnist1dBaselines,
  queueSelftest,
];
