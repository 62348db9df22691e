import type { Experiment } from "../experiment.js";
import { fig911 } from "./fig9-11.js";
import { fig912 } from "./fig9-12.js";
import { queueSelftest } from "./queue-selftest.js";

/**
 * Every registry entry, in the chapter's order. One import + one list item per entry: packages'
 * issues add theirs here (keep the list sorted by figure, diagnostics last).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ENTRIES: readonly Experiment<any, any>[] = [
  fig911,
  fig912,
  queueSelftest,
];
