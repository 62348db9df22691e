import type * as v from "valibot";
import type { Plugin } from "@regularize/core-train";
import type { ParamsSchema } from "../experiment.js";
import { ExperimentError } from "../errors.js";

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
