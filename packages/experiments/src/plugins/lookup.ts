import * as v from "valibot";
import type { Plugin } from "@regularize/core-train";
import { ExperimentParamsError } from "../errors.js";
import { type PluginSpec, UnknownPluginError } from "./catalog.js";
import { PLUGIN_SPECS } from "./index.js";

// Lookup lives apart from catalog.ts (the spec type and definePlugin), which every plugins/<package>.ts
// imports: the list in index.ts imports those files, so catalog.ts must not import the list.
const byName = new Map<string, PluginSpec>(PLUGIN_SPECS.map((s) => [s.name, s as unknown as PluginSpec]));
if (byName.size !== PLUGIN_SPECS.length) {
  const seen = new Set<string>();
  const dup = PLUGIN_SPECS.map((s) => s.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
  throw new Error(`plugin catalog: duplicate names ${dup.join(", ")}`);
}

/** Every plugin of every package. */
export function listPlugins(): readonly PluginSpec[] {
  return [...byName.values()];
}

/** The spec of a plugin; throws UnknownPluginError listing the valid names. */
export function getPlugin(name: string): PluginSpec {
  const spec = byName.get(name);
  if (spec === undefined) throw new UnknownPluginError(name, [...byName.keys()]);
  return spec;
}

/** Validate `options` against the plugin's schema (filling defaults); errors name the plugin and option. */
export function resolvePluginOptions(name: string, options: unknown = {}): Record<string, unknown> {
  const spec = getPlugin(name);
  const r = v.safeParse(spec.options, options ?? {});
  if (!r.success) {
    throw new ExperimentParamsError(`plugin ${name}`, r.issues.map((i) => ({ path: v.getDotPath(i) ?? "", message: i.message })));
  }
  return r.output as Record<string, unknown>;
}

/** Validate `options` against the plugin's schema and create it; errors name the plugin and option. */
export function createPlugin(name: string, options: unknown = {}): Plugin {
  const resolved = resolvePluginOptions(name, options);
  return getPlugin(name).create(resolved as never);
}
