import { useEffect, useState } from "preact/hooks";

export interface Route {
  /** e.g. "/fig-9-1" ("/" for home). */
  readonly path: string;
  readonly query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const h = hash.replace(/^#/, "");
  const q = h.indexOf("?");
  const path = (q < 0 ? h : h.slice(0, q)) || "/";
  return { path: path.startsWith("/") ? path : `/${path}`, query: new URLSearchParams(q < 0 ? "" : h.slice(q + 1)) };
}

export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return parseHash(hash);
}

/** The outcome of parsing one URL value: the value to use, and a notice when it was not usable as given. */
export interface Parsed<T> {
  readonly value: T | undefined;
  /** Set when the value was clamped or rejected, e.g. "5 is above the maximum 1; using 1". */
  readonly notice?: string;
}

/** A typed URL parameter: parse from the query string and format back. */
export interface ParamCodec<T> {
  readonly parse: (s: string) => Parsed<T>;
  readonly format: (v: T) => string;
}

const fmtNum = (v: number) => String(+v.toPrecision(8));

function clampNumber(v: number, min: number, max: number, integer: boolean): Parsed<number> {
  let x = integer ? Math.round(v) : v;
  const notes: string[] = [];
  if (integer && x !== v) notes.push(`${fmtNum(v)} is not a whole number`);
  if (x < min) { notes.push(`${fmtNum(x)} is below the minimum ${fmtNum(min)}`); x = min; }
  if (x > max) { notes.push(`${fmtNum(x)} is above the maximum ${fmtNum(max)}`); x = max; }
  return notes.length ? { value: x, notice: `${notes.join(" and ")}; using ${fmtNum(x)}` } : { value: x };
}

export const num = (min = -Infinity, max = Infinity): ParamCodec<number> => ({
  parse: (s) => {
    const v = Number(s);
    if (s.trim() === "" || !Number.isFinite(v)) return { value: undefined, notice: `“${s}” is not a number; using the default` };
    return clampNumber(v, min, max, false);
  },
  format: fmtNum,
});

export const int = (min = -Infinity, max = Infinity): ParamCodec<number> => ({
  parse: (s) => {
    const v = Number(s);
    if (s.trim() === "" || !Number.isFinite(v)) return { value: undefined, notice: `“${s}” is not a number; using the default` };
    return clampNumber(v, min, max, true);
  },
  format: (v) => String(v),
});

export const oneOf = <T extends string | number>(...values: readonly T[]): ParamCodec<T> => ({
  parse: (s) => {
    const hit = values.find((v) => String(v) === s);
    return hit !== undefined ? { value: hit } : { value: undefined, notice: `“${s}” is not one of ${values.join(", ")}; using the default` };
  },
  format: (v) => String(v),
});

export const bool: ParamCodec<boolean> = {
  parse: (s) => (s === "1" || s === "true" ? { value: true } : s === "0" || s === "false" ? { value: false }
    : { value: undefined, notice: `“${s}” is not 0/1; using the default` }),
  format: (v) => (v ? "1" : "0"),
};

export const point = (min: readonly [number, number] = [-Infinity, -Infinity], max: readonly [number, number] = [Infinity, Infinity]): ParamCodec<readonly [number, number]> => ({
  parse: (s) => {
    const parts = s.split(",").map(Number);
    if (parts.length !== 2 || !parts.every(Number.isFinite)) return { value: undefined, notice: `“${s}” is not a point “x,y”; using the default` };
    const a = clampNumber(parts[0]!, min[0], max[0], false), b = clampNumber(parts[1]!, min[1], max[1], false);
    const notice = [a.notice, b.notice].filter(Boolean).join("; ");
    return { value: [a.value!, b.value!], ...(notice ? { notice } : {}) };
  },
  format: (v) => `${+v[0].toFixed(4)},${+v[1].toFixed(4)}`,
});

/** A list of values (comma-separated). */
export const list = <T>(item: ParamCodec<T>): ParamCodec<readonly T[]> => ({
  parse: (s) => {
    const parsed = s === "" ? [] : s.split(",").map((p) => item.parse(p));
    const notice = parsed.map((p) => p.notice).filter(Boolean).join("; ");
    if (parsed.some((p) => p.value === undefined)) return { value: undefined, notice };
    return { value: parsed.map((p) => p.value!), ...(notice ? { notice } : {}) };
  },
  format: (v) => v.map(item.format).join(","),
});

export type Schema<S> = { readonly [K in keyof S]: readonly [ParamCodec<S[K]>, S[K]] };

export interface HashStateExtras {
  /** One line per URL value that was out of range or malformed (shown as a notice). */
  readonly notices: readonly string[];
  /** Back to every default (clears the query). */
  reset(): void;
}

/** Replace the current hash (no history entry) and notify the router. */
export function replaceHash(next: string): void {
  if (next !== window.location.hash) {
    history.replaceState(null, "", next);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  }
}

/**
 * Panel state kept in the hash query (#/fig-9-1?lambda=0.2), so a view can be shared. Values equal
 * to their default are left out of the URL; out-of-range values are clamped and reported in `notices`.
 */
export function useHashState<S extends Record<string, unknown>>(
  route: Route, schema: Schema<S>,
): [S, (patch: Partial<S>) => void, HashStateExtras] {
  const state = {} as S;
  const notices: string[] = [];
  for (const k of Object.keys(schema) as (keyof S)[]) {
    const [codec, dflt] = schema[k];
    const raw = route.query.get(k as string);
    const p = raw === null ? { value: undefined } : codec.parse(raw);
    if (p.notice) notices.push(`${String(k)}: ${p.notice}`);
    state[k] = p.value === undefined ? dflt : p.value;
  }
  const set = (patch: Partial<S>) => {
    const cur = parseHash(window.location.hash);
    const q = new URLSearchParams(cur.query);
    for (const k of Object.keys(patch) as (keyof S)[]) {
      const [codec, dflt] = schema[k];
      const f = codec.format(patch[k] as S[keyof S]);
      if (f === codec.format(dflt)) q.delete(k as string);
      else q.set(k as string, f);
    }
    const qs = q.toString();
    replaceHash(`#${cur.path}${qs ? `?${qs}` : ""}`);
  };
  const reset = () => replaceHash(`#${parseHash(window.location.hash).path}`);
  return [state, set, { notices, reset }];
}
