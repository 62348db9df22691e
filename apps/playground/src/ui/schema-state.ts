// URL state and controls derived from a registry params schema (through describeParams' ParamInfo).
import { type HashStateExtras, type ParamCodec, type Route, type Schema, bool, int, num, oneOf, point, useHashState } from "./router.js";

/** What a param is (the shape of @regularize/experiments' ParamInfo). */
export interface ParamInfo {
  readonly key: string;
  readonly type: "number" | "integer" | "boolean" | "string" | "enum" | "point" | "unknown";
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly string[];
  readonly description?: string;
}

const str: ParamCodec<string> = { parse: (s) => ({ value: s }), format: (v) => v };

/** The URL codec of a param: numbers clamped to the schema's range, enums checked, points per coordinate. */
export function codecOf(info: ParamInfo): ParamCodec<unknown> | null {
  const lo = info.min ?? -Infinity, hi = info.max ?? Infinity;
  switch (info.type) {
    case "number": return num(lo, hi) as ParamCodec<unknown>;
    case "integer": return int(lo, hi) as ParamCodec<unknown>;
    case "boolean": return bool as ParamCodec<unknown>;
    case "enum": {
      // picklists of numbers come back as strings: keep the default's type
      const numeric = typeof info.default === "number";
      const opts = (info.options ?? []).map((o) => (numeric ? Number(o) : o));
      return oneOf(...opts) as ParamCodec<unknown>;
    }
    case "point": return point([lo, lo], [hi, hi]) as ParamCodec<unknown>;
    case "string": return str as ParamCodec<unknown>;
    default: return null;
  }
}

/**
 * Panel state in the URL, parsed by the experiment's params schema: every param with a codec is
 * read from the query (out-of-range values clamped, with a notice), defaults left out of the URL.
 */
export function useSchemaState(route: Route, infos: readonly ParamInfo[], skip: readonly string[] = []):
  [Record<string, unknown>, (patch: Record<string, unknown>) => void, HashStateExtras] {
  const schema: Record<string, readonly [ParamCodec<unknown>, unknown]> = {};
  for (const info of infos) {
    if (skip.includes(info.key)) continue;
    const c = codecOf(info);
    if (c) schema[info.key] = [c, info.default];
  }
  return useHashState(route, schema as Schema<Record<string, unknown>>);
}

/** A registry entry's params as URL state: `describeParams` of its schema, typed by the caller. */
export function useEntryState<P>(route: Route, infos: readonly ParamInfo[]): [P, (patch: Partial<P>) => void, HashStateExtras] {
  const [s, set, extras] = useSchemaState(route, infos);
  return [s as P, set as (patch: Partial<P>) => void, extras];
}
