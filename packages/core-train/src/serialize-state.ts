import { PRNGKey, Tensor, tensor, type DType } from "@regularize/core-autodiff";
import { StateError } from "./errors.js";
import type { TrainState } from "./train-state.js";

/** A JSON value. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** How a tensor is stored: entries JSON cannot hold are the strings "NaN", "Infinity", "-Infinity", "-0". */
export interface SerializedTensor {
  readonly $tensor: 1;
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: readonly (number | string)[];
}

/** A TrainState as plain JSON (tensors as {dtype, shape, data}); `JSON.stringify` it to store. */
export type SerializedTrainState = { readonly [k: string]: Json };

const TYPED = { Float64Array, Float32Array, Int32Array, Uint32Array, Uint8Array } as const;

// JSON has no NaN, ±Infinity or −0; they travel as strings so a resumed run stays bit-exact.
function encNum(v: number): number | string {
  return Object.is(v, -0) ? "-0" : Number.isFinite(v) ? v : String(v);
}

function decNum(v: unknown, path: string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (v === "-0") return -0;
  throw new StateError(`${path}: expected a number, got ${JSON.stringify(v)}`);
}

/** Encode any state value made of tensors, PRNG keys, typed arrays, numbers, strings, booleans, null/undefined, arrays and plain objects. */
export function encodeValue(v: unknown, path = "state"): Json {
  if (v === null) return null;
  if (v === undefined) return { $undefined: 1 };
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? v : { $number: encNum(v) };
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (v instanceof Tensor) return { $tensor: 1, dtype: v.dtype, shape: [...v.shape], data: Array.from(v.data, encNum) };
  if (v instanceof PRNGKey) return { $prngKey: [v.k0, v.k1] };
  if (Array.isArray(v)) return v.map((e, i) => encodeValue(e, `${path}[${i}]`));
  if (ArrayBuffer.isView(v)) {
    const name = v.constructor.name;
    if (Object.hasOwn(TYPED, name)) return { $typed: name, data: Array.from(v as unknown as ArrayLike<number>, encNum) };
  }
  if (typeof v === "object") {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, Json> = {};
      // keys starting with "$" are escaped so they never collide with the tags above
      for (const [k, e] of Object.entries(v)) out[k.startsWith("$") ? `$${k}` : k] = encodeValue(e, `${path}.${k}`);
      return out;
    }
  }
  throw new StateError(`${path}: cannot serialise ${typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v} (use tensors, numbers, strings, arrays and plain objects)`);
}

/** Inverse of encodeValue. */
export function decodeValue(v: unknown, path = "state"): unknown {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((e, i) => decodeValue(e, `${path}[${i}]`));
  if (typeof v !== "object") throw new StateError(`${path}: unexpected ${typeof v}`);
  const o = v as Record<string, unknown>;
  if ("$undefined" in o) return undefined;
  if ("$number" in o) return decNum(o.$number, path);
  if ("$tensor" in o) {
    const { dtype, shape, data } = o as unknown as SerializedTensor;
    if (!Array.isArray(shape) || !Array.isArray(data)) throw new StateError(`${path}: malformed tensor`);
    try {
      return tensor(data.map((d, i) => decNum(d, `${path}.data[${i}]`)), { dtype, shape });
    } catch (e) {
      throw new StateError(`${path}: malformed tensor (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if ("$prngKey" in o) {
    const k = o.$prngKey;
    if (!Array.isArray(k) || k.length !== 2) throw new StateError(`${path}: malformed PRNG key`);
    return new PRNGKey(Number(k[0]) >>> 0, Number(k[1]) >>> 0);
  }
  if ("$typed" in o) {
    const ctor = TYPED[o.$typed as keyof typeof TYPED];
    if (!ctor || !Array.isArray(o.data)) throw new StateError(`${path}: malformed typed array`);
    return ctor.from((o.data as unknown[]).map((d, i) => decNum(d, `${path}.data[${i}]`)));
  }
  const out: Record<string, unknown> = {};
  for (const [k, e] of Object.entries(o)) {
    const key = k.startsWith("$$") ? k.slice(1) : k;
    out[key] = decodeValue(e, `${path}.${key}`);
  }
  return out;
}

/** A TrainState as JSON-compatible data (tensors as {dtype, shape, data: number[]}); store it with JSON.stringify. */
export function serializeState(state: TrainState): SerializedTrainState {
  return encodeValue(state) as SerializedTrainState;
}

/** Rebuild a TrainState from `serializeState`'s output (or its JSON text). */
export function deserializeState(data: SerializedTrainState | string): TrainState {
  let raw: unknown = data;
  if (typeof data === "string") {
    try {
      raw = JSON.parse(data);
    } catch (e) {
      throw new StateError(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const s = decodeValue(raw) as Partial<TrainState> | null;
  if (s === null || typeof s !== "object" || s.version !== 1) throw new StateError(`not a TrainState of version 1`);
  for (const k of ["step", "epoch", "batchInEpoch"] as const) {
    if (typeof s[k] !== "number") throw new StateError(`TrainState.${k} must be a number`);
  }
  return s as TrainState;
}
