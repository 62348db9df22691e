import { BAYES_PLUGINS } from "./bayes.js";
import type { PluginSpec } from "./catalog.js";
import { ENSEMBLE_PLUGINS } from "./ensemble.js";
import { NOISE_PLUGINS } from "./noise.js";
import { OPTIM_PLUGINS } from "./optim.js";
import { PENALTY_PLUGINS } from "./penalties.js";
import { NOISE_AUGMENT_PLUGINS } from "./noise-augment.js";
import { TRANSFER_PLUGINS } from "./transfer.js";

/**
 * Every plugin spec, one file per package (plugins/<package>.ts exporting an array); packages'
 * issues add theirs here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PLUGIN_SPECS: readonly PluginSpec<any>[] = [
  ...PENALTY_PLUGINS,
  ...NOISE_PLUGINS,
  ...OPTIM_PLUGINS,
  ...ENSEMBLE_PLUGINS,
  ...BAYES_PLUGINS,
  ...NOISE_AUGMENT_PLUGINS,
  ...TRANSFER_PLUGINS,
];
