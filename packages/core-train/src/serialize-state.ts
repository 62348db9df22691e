import { PRNGKey, Tensor, type Tree, tensor, treeFlatten, type DType } from "@regularize/core-autodiff";
import { StateError } from "./errors.js";
import { describeValue } from "./plugin-options.js";
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

const DTYPES: readonly string[] = ["float64", "float32", "int32"] satisfies DType[];
const isUint32 = (w: unknown): boolean => typeof w === "number" && Number.isInteger(w) && w >= 0 && w <= 0xffffffff;

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
    if (!DTYPES.includes(dtype)) throw new StateError(`${path}.dtype: must be one of ${DTYPES.join(", ")}, got ${JSON.stringify(dtype)}`);
    shape.forEach((d, i) => {
      if (!Number.isSafeInteger(d) || d < 0) throw new StateError(`${path}.shape[${i}]: must be a non-negative integer, got ${JSON.stringify(d)}`);
    });
    const size = shape.reduce((a, d) => a * d, 1);
    if (size !== data.length) throw new StateError(`${path}.data: shape [${shape.join(", ")}] needs ${size} entries, got ${data.length}`);
    try {
      return tensor(data.map((d, i) => decNum(d, `${path}.data[${i}]`)), { dtype, shape });
    } catch (e) {
      throw new StateError(`${path}: malformed tensor (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if ("$prngKey" in o) {
    const k = o.$prngKey;
    if (!Array.isArray(k) || k.length !== 2 || !k.every(isUint32)) throw new StateError(`${path}: a PRNG key must be two uint32 words, got ${JSON.stringify(k)}`);
    return new PRNGKey(k[0] as number, k[1] as number);
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
  // the same check as deserializeState's: what is written can be read back
  if (state === null || typeof state !== "object" || (state as Partial<TrainState>).version !== 1) throw new StateError(`serializeState: state must be a TrainState of version 1 (fit's result.state), got ${describeState(state)}`);
  checkTrainState(state, "serializeState: state");
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
  checkTrainState(s, "TrainState");
  return s as TrainState;
}

function describeState(v: unknown): string {
  return v === null || typeof v !== "object" ? describeValue(v) : v instanceof Tensor ? "a Tensor" : Array.isArray(v) ? "an array" : "an object without version 1";
}

function field(path: string, ok: boolean, want: string, got: unknown): void {
  if (!ok) throw new StateError(`${path}: must be ${want}, got ${typeof got === "object" && got !== null ? (Array.isArray(got) ? "an array" : "an object") : JSON.stringify(got) ?? String(got)}`);
}
const count = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const plainObject = (v: unknown): boolean => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Tensor);

/**
 * @internal Every field of a TrainState: counters are non-negative integers, the key two uint32
 * words, params a tree of tensors, the data geometry consistent (`StateError` naming the field).
 */
export function checkTrainState(s: Partial<TrainState>, at: string): void {
  for (const k of ["step", "epoch", "batchInEpoch"] as const) field(`${at}.${k}`, count(s[k]), "a non-negative integer", s[k]);
  field(`${at}.inEpoch`, typeof s.inEpoch === "boolean", "true or false", s.inEpoch);
  field(`${at}.key`, Array.isArray(s.key) && s.key.length === 2 && s.key.every(isUint32), "two uint32 words", s.key);
  for (const k of ["transforms", "plugins"] as const) field(`${at}.${k}`, plainObject(s[k]), "an object (by plugin name)", s[k]);
  if (s.stepStates !== undefined) field(`${at}.stepStates`, plainObject(s.stepStates), "an object (by plugin name)", s.stepStates);
  const e = s.epochStats as Partial<TrainState["epochStats"]> | undefined;
  field(`${at}.epochStats`, plainObject(e), "{ lossSum, dataLossSum, count, batches }", e);
  for (const k of ["lossSum", "dataLossSum"] as const) field(`${at}.epochStats.${k}`, typeof e![k] === "number", "a number", e![k]);
  for (const k of ["count", "batches"] as const) field(`${at}.epochStats.${k}`, count(e![k]), "a non-negative integer", e![k]);
  field(`${at}.epochStats.count`, e!.count! <= e!.batches!, `at most epochStats.batches (${e!.batches})`, e!.count);
  const d = s.data as Partial<TrainState["data"]> | undefined;
  field(`${at}.data`, plainObject(d), "{ n, batchSize, shuffle, dropLast }", d);
  for (const k of ["n", "batchSize"] as const) field(`${at}.data.${k}`, count(d![k]) && d![k]! > 0, "a positive integer", d![k]);
  for (const k of ["shuffle", "dropLast"] as const) field(`${at}.data.${k}`, typeof d![k] === "boolean", "true or false", d![k]);
  let leaves: unknown[] = [];
  try {
    leaves = treeFlatten(s.params as Tree)[0];
  } catch {
    field(`${at}.params`, false, "a tree of tensors", s.params);
  }
  field(`${at}.params`, leaves.length > 0 && leaves.every((l) => l instanceof Tensor), "a non-empty tree of tensors", s.params);
}
