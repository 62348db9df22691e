import * as v from "valibot";
import type { Plugin } from "@regularize/core-train";
import { ExperimentParamsError } from "../errors.js";
import { type PluginSpec, UnknownPluginError } from "./catalog.js";
import { PLUGIN_SPECS } from "./index.js";

// Lookup lives apart from catalog.ts (the spec type and definePlugin), which every plugins/<package>.ts
// imports: the list in index.ts imports those files, so catalog.ts must not import the list.
const byName = new Map<string, PluginSpec>(PLUGIN_SPECS.map((s) => [s.name, s as unknown as PluginSpec]));
if (byName.size !== PLUGIN_SPECS.length) throw new Error("plugin catalog: duplicate names");

/** Every plugin of every package. */
export function listPlugins(): readonly PluginSpec[] {
  return [...byName.values()];
}

/** Validate `options` against the plugin's schema and create it; errors name the plugin and option. */
export function createPlugin(name: string, options: unknown = {}): Plugin {
  const spec = byName.get(name);
  if (spec === undefined) throw new UnknownPluginError(name, [...byName.keys()]);
  const r = v.safeParse(spec.options, options ?? {});
  if (!r.success) {
    throw new ExperimentParamsError(`plugin ${name}`, r.issues.map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message })));
  }
  return spec.create(r.output);
}
