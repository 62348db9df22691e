import type * as v from "valibot";
import type { Plugin } from "@regularize/core-train";

/** A plugin's options schema: a valibot strict object (unknown keys rejected) with defaults and ranges. */
export type OptionsSchema = v.StrictObjectSchema<v.ObjectEntries, v.ErrorMessage<v.StrictObjectIssue> | undefined>;

/** A plugin of any package, creatable by name with validated options (CLI `--plugin`, the playground's lab). */
export interface PluginSpec<S extends OptionsSchema = OptionsSchema> {
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
export function definePlugin<S extends OptionsSchema>(spec: PluginSpec<S>): PluginSpec<S> {
  return spec;
}
