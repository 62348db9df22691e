import type { Experiment } from "../experiment.js";
import { fig91 } from "./fig9-1.js";
import { fig92 } from "./fig9-2.js";
import { fig93 } from "./fig9-3.js";
import { fig94 } from "./fig9-4.js";
import { fig95 } from "./fig9-5.js";
import { fig96 } from "./fig9-6.js";
import { fig97 } from "./fig9-7.js";
import { fig98 } from "./fig9-8.js";
import { fig99 } from "./fig9-9.js";
import { fig910 } from "./fig9-10.js";
import { fig911 } from "./fig9-11.js";
import { fig912 } from "./fig9-12.js";
import { fig914 } from "./fig9-14.js";
import { gaborGd } from "./gabor-gd.js";
import { mnist1d } from "./mnist1d.js";
import { mnist1dExplorer } from "./mnist1d-explorer.js";
import { mnist1dUncertainty } from "./mnist1d-uncertainty.js";
import { notebook93 } from "./notebook9-3.js";
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
  fig91,
  fig92,
  fig93,
  fig94,
  fig95,
  fig96,
  fig97,
  notebook93,
  fig98,
  fig99,
  fig910,
  fig911,
  fig912,
  fig913,
  fig914,
  gaborGd,
  notebook95,
  mnist1d,
  mnist1dBaselines,
  mnist1dExplorer,
  mnist1dUncertainty,
  queueSelftest,
];
