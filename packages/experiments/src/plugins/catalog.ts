// define.js first: the per-package plugin files import definePlugin from here while this module
// is still loading (catalog → index → <package>.ts → catalog).
export { type PluginSpec, type OptionsSchema, definePlugin } from "./define.js";
import * as v from "valibot";
import type { Plugin } from "@regularize/core-train";
import type { PluginSpec } from "./define.js";
import { ExperimentError, ExperimentParamsError } from "../errors.js";
import { PLUGIN_SPECS } from "./index.js";

/** A plugin name that no package ships; lists the valid ones. */
export class UnknownPluginError extends ExperimentError {
  constructor(readonly plugin: string, readonly valid: readonly string[]) {
    super(`unknown plugin "${plugin}"; valid plugins: ${valid.join(", ")}`, "UnknownPluginError");
  }
}

/** A plugin picked by name with its (unvalidated) options: what `--plugin name:k=v` and config files hold. */
export interface PluginChoice {
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

let byNameCache: Map<string, PluginSpec> | undefined;
function byName(): Map<string, PluginSpec> {
  if (byNameCache) return byNameCache;
  const m = new Map<string, PluginSpec>(PLUGIN_SPECS.map((s) => [s.name, s as unknown as PluginSpec]));
  if (m.size !== PLUGIN_SPECS.length) {
    const seen = new Set<string>();
    const dup = PLUGIN_SPECS.map((s) => s.name).filter((n) => (seen.has(n) ? true : (seen.add(n), false)));
    throw new Error(`plugin catalog: duplicate names ${dup.join(", ")}`);
  }
  return (byNameCache = m);
}

/** Every plugin of every package. */
export function listPlugins(): readonly PluginSpec[] {
  return [...byName().values()];
}

/** The spec of a plugin; throws UnknownPluginError listing the valid names. */
export function getPlugin(name: string): PluginSpec {
  const spec = byName().get(name);
  if (spec === undefined) throw new UnknownPluginError(name, [...byName().keys()]);
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
