/**
 * A deep copy of plain JSON data (arrays, plain objects, primitives), or NOT_PLAIN when `v` holds
 * anything else (class instances, functions, bigints, typed arrays, very deep or cyclic nesting).
 * `JSON.stringify(jsonSnapshot(v))` is `JSON.stringify(v)` as it was at the copy, later mutations
 * of `v` aside: the checkpoint store copies a state when it saves (cheap) and serialises it only when
 * it writes the file (a tenth of the saves).
 */
export function jsonSnapshot(v: unknown, depth = 0): unknown {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean" || v === undefined) return v;
  if (typeof v !== "object" || depth > 64) return NOT_PLAIN;
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return NOT_PLAIN;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      // numbers inline: a checkpoint is mostly long arrays of them
      if (typeof x === "number") { out[i] = x; continue; }
      const e = jsonSnapshot(x, depth + 1);
      if (e === NOT_PLAIN) return NOT_PLAIN;
      out[i] = e;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  // null prototype: an own "__proto__" key (JSON.parse makes them) stays a plain key
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    const e = jsonSnapshot((v as Record<string, unknown>)[k], depth + 1);
    if (e === NOT_PLAIN) return NOT_PLAIN;
    out[k] = e;
  }
  return out;
}

/** jsonSnapshot's "cannot copy" marker (never part of a copy). */
export const NOT_PLAIN: unique symbol = Symbol("not plain JSON data");
