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

/** A typed URL parameter: parse from the query string (undefined/invalid → default) and format back. */
export interface ParamCodec<T> {
  readonly parse: (s: string) => T | undefined;
  readonly format: (v: T) => string;
}

export const num = (min = -Infinity, max = Infinity): ParamCodec<number> => ({
  parse: (s) => {
    const v = Number(s);
    return s.trim() !== "" && Number.isFinite(v) && v >= min && v <= max ? v : undefined;
  },
  format: (v) => String(+v.toPrecision(8)),
});

export const int = (min = -Infinity, max = Infinity): ParamCodec<number> => ({
  parse: (s) => {
    const v = Number(s);
    return Number.isInteger(v) && v >= min && v <= max ? v : undefined;
  },
  format: (v) => String(v),
});

export const oneOf = <T extends string>(...values: readonly T[]): ParamCodec<T> => ({
  parse: (s) => (values as readonly string[]).includes(s) ? (s as T) : undefined,
  format: (v) => v,
});

export const bool: ParamCodec<boolean> = {
  parse: (s) => (s === "1" || s === "true" ? true : s === "0" || s === "false" ? false : undefined),
  format: (v) => (v ? "1" : "0"),
};

export const point: ParamCodec<readonly [number, number]> = {
  parse: (s) => {
    const parts = s.split(",").map(Number);
    return parts.length === 2 && parts.every(Number.isFinite) ? [parts[0]!, parts[1]!] : undefined;
  },
  format: (v) => `${+v[0].toFixed(4)},${+v[1].toFixed(4)}`,
};

type Schema<S> = { readonly [K in keyof S]: readonly [ParamCodec<S[K]>, S[K]] };

/**
 * Panel state kept in the hash query (#/fig-9-1?lambda=0.2), so a view can be shared. Values equal
 * to their default are left out of the URL. Updates replace the history entry.
 */
export function useHashState<S extends Record<string, unknown>>(
  route: Route, schema: Schema<S>,
): [S, (patch: Partial<S>) => void] {
  const state = {} as S;
  for (const k of Object.keys(schema) as (keyof S)[]) {
    const [codec, dflt] = schema[k];
    const raw = route.query.get(k as string);
    const v = raw === null ? undefined : codec.parse(raw);
    state[k] = v === undefined ? dflt : v;
  }
  const set = (patch: Partial<S>) => {
    const cur = parseHash(window.location.hash);
    const q = new URLSearchParams(cur.query);
    for (const k of Object.keys(patch) as (keyof S)[]) {
      const [codec, dflt] = schema[k];
      const v = patch[k] as S[keyof S];
      const f = codec.format(v);
      if (f === codec.format(dflt)) q.delete(k as string);
      else q.set(k as string, f);
    }
    const qs = q.toString();
    const next = `#${cur.path}${qs ? `?${qs}` : ""}`;
    if (next !== window.location.hash) {
      history.replaceState(null, "", next);
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    }
  };
  return [state, set];
}
