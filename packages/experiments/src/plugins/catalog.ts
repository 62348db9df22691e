import type * as v from "valibot";
import { type Plugin, describeValue } from "@regularize/core-train";
import { ExperimentError } from "../errors.js";

// The spec type and definePlugin only: every plugins/<package>.ts imports this file and the list in
// index.ts imports those files, so this file must not import the list (lookup.ts does).

/** A plugin's options schema: a valibot strict object (unknown keys rejected) with defaults and ranges. */
export type OptionsSchema = v.StrictObjectSchema<v.ObjectEntries, v.ErrorMessage<v.StrictObjectIssue> | undefined>;

/** A plugin of any package, creatable by name with validated options (CLI `--plugin`, the playground's lab). */
export interface PluginSpec<S extends OptionsSchema = OptionsSchema> {
  /** The factory's name, e.g. "dropout", "l2", "swa". */
  readonly name: string;
  /** The package that ships it, e.g. "@regularize/noise". */
  readonly package: string;
  readonly description: string;
  /** Options with defaults and ranges (unknown keys are rejected: v.strictObject). */
  readonly options: S;
  create(options: v.InferOutput<S>): Plugin;
}

/** Identity helper that keeps the options type of a spec. */
export function definePlugin<S extends OptionsSchema>(spec: PluginSpec<S>): PluginSpec<S> {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new ExperimentError(`definePlugin: the spec must be an object { name, package, description, options, create }, got ${describeValue(spec)}`);
  for (const k of ["name", "package", "description"] as const) {
    if (typeof spec[k] !== "string" || (k !== "description" && spec[k] === "")) throw new ExperimentError(`definePlugin: ${k} must be a ${k === "description" ? "" : "non-empty "}string, got ${describeValue(spec[k])}`);
  }
  const entries = (spec.options as { entries?: unknown } | null | undefined)?.entries;
  if (entries === null || typeof entries !== "object") throw new ExperimentError(`definePlugin(${spec.name}): options must be a valibot strict object schema`);
  if (typeof spec.create !== "function") throw new ExperimentError(`definePlugin(${spec.name}): create must be a function, got ${describeValue(spec.create)}`);
  return spec;
}

/** A plugin picked by name with its (unvalidated) options: what `--plugin name:k=v` and config files hold. */
export interface PluginChoice {
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A plugin name that no package ships; lists the valid ones. */
export class UnknownPluginError extends ExperimentError {
  constructor(readonly plugin: string, readonly valid: readonly string[]) {
    super(`unknown plugin "${typeof plugin === "string" ? plugin : describeValue(plugin)}"; valid plugins: ${Array.isArray(valid) ? valid.join(", ") : ""}`, "UnknownPluginError");
  }
}
