import * as v from "valibot";
import type { Plugin } from "@regularize/core-train";
import type { ParamsSchema } from "../experiment.js";
import { ExperimentError, ExperimentParamsError } from "../errors.js";
import { PLUGIN_SPECS } from "./index.js";

/** A plugin of any package, creatable by name with validated options (CLI `--plugin`, the playground's lab). */
export interface PluginSpec<S extends ParamsSchema = ParamsSchema> {
  /** The factory's name, e.g. "dropout", "l2", "swa". */
  readonly name: string;
  /** The package that ships it, e.g. "@regularize/noise". */
  readonly package: string;
  readonly description: string;
  /** Options with defaults and ranges (unknown keys are rejected: use v.strictObject). */
  readonly options: S;
  create(options: v.InferOutput<S>): Plugin;
}

/** Identity helper that keeps the options type of a spec. */
export function definePlugin<S extends ParamsSchema>(spec: PluginSpec<S>): PluginSpec<S> {
  return spec;
}

/** A plugin name that no package ships; lists the valid ones. */
export class UnknownPluginError extends ExperimentError {
  constructor(readonly plugin: string, readonly valid: readonly string[]) {
    super(`unknown plugin "${plugin}"; valid plugins: ${valid.join(", ")}`, "UnknownPluginError");
  }
}

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
