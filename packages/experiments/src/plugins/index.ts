import type { PluginSpec } from "./catalog.js";
import { NOISE_AUGMENT_PLUGINS } from "./noise-augment.js";

/**
 * Every plugin spec, one file per package (plugins/<package>.ts exporting an array); packages'
 * issues add theirs here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PLUGIN_SPECS: readonly PluginSpec<any>[] = [
  ...NOISE_AUGMENT_PLUGINS,
];
