import * as v from "valibot";
import type { ParamsSchema } from "./experiment.js";
import type { OptionsSchema } from "./plugins/catalog.js";
import { describeValue } from "@regularize/core-train";
import { ExperimentError } from "./errors.js";

/**
 * Building blocks of params schemas (valibot) with the chapter's defaults and ranges, and their
 * introspection: the CLI types `--set` values and prints `list` from `describeParams`, the
 * playground builds its controls from it.
 */

/** A param builder's own arguments: a finite range min ≤ max holding the default, a description string. */
function checkRange(fn: string, def: unknown, min: unknown, max: unknown, description: unknown, integer: boolean): void {
  for (const [name, x] of [["min", min], ["max", max]] as const) {
    if (typeof x !== "number" || Number.isNaN(x)) throw new ExperimentError(`${fn}: ${name} must be a number, got ${describeValue(x)}`);
  }
  if ((min as number) > (max as number)) throw new ExperimentError(`${fn}: min ${String(min)} exceeds max ${String(max)}`);
  if (typeof def !== "number" || !Number.isFinite(def) || (integer && !Number.isInteger(def)) || def < (min as number) || def > (max as number)) {
    throw new ExperimentError(`${fn}: def must be ${integer ? "an integer" : "a finite number"} in [${String(min)}, ${String(max)}], got ${describeValue(def)}`);
  }
  checkDescription(fn, description);
}

function checkDescription(fn: string, description: unknown): void {
  if (typeof description !== "string") throw new ExperimentError(`${fn}: description must be a string, got ${describeValue(description)}`);
}

/** A finite number in [min, max] with a default and a description. */
export function numberParam(def: number, min: number, max: number, description: string) {
  checkRange("numberParam", def, min, max, description, false);
  return v.optional(v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max), v.description(description)), def);
}

/** An integer in [min, max] with a default and a description. */
export function intParam(def: number, min: number, max: number, description: string) {
  checkRange("intParam", def, min, max, description, true);
  return v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max), v.description(description)), def);
}

/** One of a few strings. */
export function enumParam<const T extends readonly [string, ...string[]]>(options: T, def: T[number], description: string) {
  if (!Array.isArray(options) || options.length === 0 || !options.every((o) => typeof o === "string")) {
    throw new ExperimentError("enumParam: options must be a non-empty array of strings");
  }
  if (!options.includes(def)) throw new ExperimentError(`enumParam: def must be one of the options (${options.join(", ")}), got ${describeValue(def)}`);
  checkDescription("enumParam", description);
  return v.optional(v.pipe(v.picklist(options), v.description(description)), def);
}

/** A boolean switch. */
export function boolParam(def: boolean, description: string) {
  if (typeof def !== "boolean") throw new ExperimentError(`boolParam: def must be true or false, got ${describeValue(def)}`);
  checkDescription("boolParam", description);
  return v.optional(v.pipe(v.boolean(), v.description(description)), def);
}

/** A 2-D point (φ0, φ1), each coordinate in [min, max]. */
export function pointParam(def: readonly [number, number], min: number, max: number, description: string) {
  if (!Array.isArray(def) || def.length !== 2) throw new ExperimentError("pointParam: def must be a pair [x, y]");
  checkRange("pointParam", def[0], min, max, description, false);
  checkRange("pointParam", def[1], min, max, description, false);
  const c = v.pipe(v.number(), v.finite(), v.minValue(min), v.maxValue(max));
  return v.optional(v.pipe(v.tuple([c, c]), v.description(description)), [def[0], def[1]] as [number, number]);
}

/** What a param is, for CLIs and forms. */
export interface ParamInfo {
  readonly key: string;
  readonly type: "number" | "integer" | "boolean" | "string" | "enum" | "point" | "unknown";
  readonly default: unknown;
  /** True when the param must be given (no optional wrapper). */
  readonly required: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly string[];
  readonly description?: string;
}

type AnySchema = v.GenericSchema & { pipe?: readonly { kind: string; type: string; requirement?: unknown }[]; wrapped?: AnySchema; options?: unknown; items?: AnySchema[] };

function unwrap(s: AnySchema): { inner: AnySchema; def: unknown; required: boolean } {
  let def: unknown;
  let inner = s;
  let required = true;
  while (inner.type === "optional" || inner.type === "nullish" || inner.type === "exact_optional") {
    required = false;
    if (def === undefined) def = v.getDefault(inner as never);
    inner = inner.wrapped!;
  }
  return { inner, def, required };
}

function range(s: AnySchema): { min?: number; max?: number; integer: boolean } {
  let min: number | undefined, max: number | undefined, integer = false;
  for (const a of s.pipe ?? []) {
    if (a.type === "min_value" && typeof a.requirement === "number") min = a.requirement;
    else if (a.type === "max_value" && typeof a.requirement === "number") max = a.requirement;
    else if (a.type === "gt_value" && typeof a.requirement === "number") min = a.requirement;
    else if (a.type === "lt_value" && typeof a.requirement === "number") max = a.requirement;
    else if (a.type === "integer") integer = true;
  }
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), integer };
}

/** Describe every param of an object schema (type, default, range, options, description). */
export function describeParams(schema: ParamsSchema | OptionsSchema): ParamInfo[] {
  const entries = (schema as { entries?: unknown } | null | undefined)?.entries;
  if (entries === null || typeof entries !== "object") throw new ExperimentError("describeParams: schema must be a valibot object schema");
  return Object.entries(schema.entries).map(([key, raw]) => {
    const { inner, def, required } = unwrap(raw as AnySchema);
    const description = v.getDescription(inner as never);
    const base = { key, default: def, required, ...(description !== undefined ? { description } : {}) };
    const first = inner.pipe?.[0] as AnySchema | undefined;
    const schemaOf = (first ?? inner) as AnySchema;
    switch (schemaOf.type) {
      case "number": {
        const { integer, ...r } = range(inner);
        return { ...base, type: integer ? "integer" : "number", ...r };
      }
      case "boolean": return { ...base, type: "boolean" };
      case "string": return { ...base, type: "string" };
      case "picklist": return { ...base, type: "enum", options: (schemaOf.options as (string | number)[]).map(String) };
      case "tuple": {
        const item = schemaOf.items?.[0];
        return { ...base, type: "point", ...(item ? (({ integer: _i, ...r }) => r)(range(item)) : {}) };
      }
      default: return { ...base, type: "unknown" };
    }
  });
}
