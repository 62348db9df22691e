import { type Backend, getBackend } from "./backend.js";
import type { GemmShape } from "./wasm/wasm-backend.js";
import { type DataArray, alloc, dtypeOf, enterRootArena, exitRootArena } from "./dtype.js";
import { TransformError, fmtShape } from "./errors.js";
import { KernelRecorder, activeRecorder, withRecorder } from "./kernel-trace.js";
import { PRNGKey } from "./random.js";
import { isRecording } from "./tape.js";
import { Tensor } from "./tensor.js";

/** Options of `jit`. */
export interface JitOptions {
  /**
   * How many replays are also checked against running the function itself, bit for bit, before
   * the replay is trusted (default 1). A mismatch throws a TransformError: the function depends on
   * something the recording froze (see `jit`).
   */
  readonly verify?: number;
  /** Recordings kept, one per argument signature; the least recently used is dropped (default 8). */
  readonly maxTraces?: number;
  /**
   * Positions of arguments whose tensors the caller gives up (as JAX's `donate_argnums`): their
   * buffers receive outputs of the same dtype and size instead of new allocations, so a training
   * loop `params = step(params, ...)` allocates nothing. A donated tensor must not be read after
   * the call (it then holds an output). Default: none.
   */
  readonly donate?: readonly number[];
}

/** A function compiled by `jit`, with its recording cache. */
export interface Jitted<A extends unknown[], R> {
  (...args: A): R;
  /** Recordings made so far (one per new argument signature). */
  readonly traceCount: number;
  /** Drop every recording (the next call records again). */
  clear(): void;
}

type OutTemplate =
  | { readonly k: "t"; readonly slot: number; readonly array: DataArray; readonly shape: readonly number[] }
  | { readonly k: "key"; readonly slot: number; readonly array: Int32Array }
  | { readonly k: "v"; readonly v: unknown }
  | { readonly k: "a"; readonly items: readonly OutTemplate[] }
  | { readonly k: "o"; readonly keys: readonly string[]; readonly items: readonly OutTemplate[] };

interface Step {
  readonly fn: (...args: unknown[]) => void;
  readonly args: unknown[];
  /** Pairs (argument position, slot) rebound on every call: inputs and fresh outputs. */
  readonly dyn: Int32Array;
}

/** A plan whose every array lives in a private WebAssembly memory (see `Backend.resident`). */
interface Resident {
  /** Each step as a closure (lowered to precomputed addresses where the backend can). */
  readonly steps: readonly (() => void)[];
  /** The view standing for each slot. */
  readonly views: readonly DataArray[];
}

interface Fresh {
  readonly slot: number;
  readonly like: DataArray;
  readonly restore: DataArray | null;
  /** The donated leaf whose buffer receives this output, or −1. */
  readonly donor: number;
  /** Where the output is computed when it goes to a donor (non-resident replays). */
  readonly scratch: DataArray | null;
}

interface Plan {
  readonly steps: readonly Step[];
  resident: Resident | null;
  /** Slot of each input leaf, −1 when no kernel touched it. */
  readonly leafSlot: Int32Array;
  /**
   * Output slots: given fresh arrays on every call, or the buffer of a donated input leaf
   * (`donor`), filled after the steps from `scratch` (a private array, or the resident view).
   */
  readonly fresh: readonly Fresh[];
  /** Intermediate arrays some kernel updates before writing: their recorded content, restored on every call. */
  readonly restore: readonly { readonly slot: number; readonly array: DataArray; readonly content: DataArray }[];
  readonly cur: (DataArray | undefined)[];
  readonly out: OutTemplate;
  replays: number;
  /** Until the checked replays are done: the recording's kernels and constants, to compare a second recording with. */
  fingerprint: Fingerprint | null;
}

/** What a second recording of the same signature must reproduce: the ops run and the content of every constant. */
interface Fingerprint {
  readonly ops: readonly string[];
  readonly consts: readonly { readonly slot: number; readonly content: DataArray }[];
}

function fingerprintOf(rec: KernelRecorder): Fingerprint {
  const consts: { slot: number; content: DataArray }[] = [];
  rec.slots.forEach((s, i) => {
    if (s.kind === "const") consts.push({ slot: i, content: s.array.slice() });
  });
  return { ops: rec.steps.map((st) => st.op), consts };
}

/**
 * Why a second recording differs from the first, or null. A constant whose content changed was
 * computed in JS from a value of this call (`.data` read into JS: the recording would replay the
 * first call's value); different kernels mean JS control flow depended on such a value.
 */
function recordingDifference(fp: Fingerprint, rec: KernelRecorder): string | null {
  const ops = rec.steps.map((st) => st.op);
  const n = Math.min(ops.length, fp.ops.length);
  for (let k = 0; k < n; k++) {
    if (ops[k] !== fp.ops[k]) return `the kernels run differ from the recording's at kernel ${k} (${fp.ops[k]} then, ${ops[k]} now): JS control flow depends on a tensor value read into JS`;
  }
  if (ops.length !== fp.ops.length) return `${ops.length} kernels run now, ${fp.ops.length} when recorded: JS control flow depends on a tensor value read into JS`;
  for (const { slot, content } of fp.consts) {
    const s = rec.slots[slot];
    if (s === undefined || s.kind !== "const" || s.array.length !== content.length || !sameBytes(s.array, content)) {
      const site = rec.constSites?.get(slot) ?? "an unknown place";
      const user = rec.steps.find((st) => st.arrayArgs.some(([, sl]) => sl === slot));
      return `a value read into JS while recording: a constant made ${site.startsWith("at ") ? site : `at ${site}`}${user === undefined ? "" : ` and passed to ${user.op}`} holds other values for this call than when recorded, so it was computed in JS from something that changes between calls (a tensor's .data, a captured JS number) and a replay would reuse the first call's values`;
    }
  }
  return null;
}

function sameBytes(a: DataArray, b: DataArray): boolean {
  const x = bytesOf(a), y = bytesOf(b);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

const backendIds = new WeakMap<Backend, number>();
let nextBackendId = 0;
function backendId(b: Backend): number {
  let id = backendIds.get(b);
  if (id === undefined) backendIds.set(b, (id = nextBackendId++));
  return id;
}

const ARG_KINDS = "tensors, PRNGKeys, numbers, strings, booleans, null/undefined, and arrays or plain objects of those";

/** Flatten the arguments: tensors are the dynamic leaves; everything else goes into the signature. */
function flattenArgs(v: unknown, path: string, leaves: Tensor[], seen: Map<DataArray, number>, sig: string[], aliased: Set<number>): void {
  if (v instanceof Tensor) {
    const alias = seen.get(v.data);
    if (alias === undefined) seen.set(v.data, leaves.length);
    else aliased.add(alias).add(leaves.length);
    sig.push(`T${v.dtype}${fmtShape(v.shape)}${alias === undefined ? "" : `=${alias}`}`);
    leaves.push(v);
  } else if (v instanceof PRNGKey) {
    // a key is a runtime input: its two words are a leaf like a tensor's elements
    flattenArgs(new Tensor(v.data, [2], "int32"), path, leaves, seen, sig, aliased);
    sig[sig.length - 1] = `K${sig[sig.length - 1]!.slice(1)}`;
  } else if (typeof v === "number") sig.push(`n${Object.is(v, -0) ? "-0" : String(v)}`);
  else if (typeof v === "string") sig.push(`s${JSON.stringify(v)}`);
  else if (typeof v === "boolean") sig.push(v ? "b1" : "b0");
  else if (v === undefined) sig.push("u");
  else if (v === null) sig.push("z");
  else if (Array.isArray(v)) {
    sig.push("[");
    v.forEach((e, i) => flattenArgs(e, `${path}[${i}]`, leaves, seen, sig, aliased));
    sig.push("]");
  } else if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    sig.push("{");
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      sig.push(JSON.stringify(k));
      flattenArgs(e, `${path}.${k}`, leaves, seen, sig, aliased);
    }
    sig.push("}");
  } else {
    const what = typeof v === "object" ? (v as object).constructor?.name ?? "object" : typeof v;
    throw new TransformError("jit", `argument ${path} is a ${what}; a jitted function takes ${ARG_KINDS}`);
  }
}

/** The structure of the last call's arguments: a call with the same structure reuses its signature. */
type ArgTemplate =
  | { readonly k: "t"; readonly dtype: string; readonly shape: readonly number[] }
  | { readonly k: "K" }
  | { readonly k: "p"; readonly v: unknown }
  | { readonly k: "a"; readonly items: readonly ArgTemplate[] }
  | { readonly k: "o"; readonly keys: readonly string[]; readonly items: readonly ArgTemplate[] };

/** The template of arguments that flattenArgs accepted. */
function argTemplate(v: unknown): ArgTemplate {
  if (v instanceof Tensor) return { k: "t", dtype: v.dtype, shape: v.shape };
  if (v instanceof PRNGKey) return { k: "K" };
  if (Array.isArray(v)) return { k: "a", items: v.map(argTemplate) };
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v);
    return { k: "o", keys, items: keys.map((key) => argTemplate((v as Record<string, unknown>)[key])) };
  }
  return { k: "p", v };
}

/** Whether `v` has the structure `t` (same shapes, dtypes and non-tensor values); collects its leaves. */
function matchArgs(v: unknown, t: ArgTemplate, leaves: Tensor[]): boolean {
  switch (t.k) {
    case "t": {
      if (!(v instanceof Tensor) || v.dtype !== t.dtype || v.shape.length !== t.shape.length) return false;
      for (let i = 0; i < t.shape.length; i++) if (v.shape[i] !== t.shape[i]) return false;
      leaves.push(v);
      return true;
    }
    case "K":
      if (!(v instanceof PRNGKey)) return false;
      leaves.push(new Tensor(v.data, [2], "int32"));
      return true;
    case "p":
      return Object.is(v, t.v);
    case "a":
      if (!Array.isArray(v) || v.length !== t.items.length) return false;
      for (let i = 0; i < v.length; i++) if (!matchArgs(v[i], t.items[i]!, leaves)) return false;
      return true;
    case "o": {
      if (v === null || typeof v !== "object" || Object.getPrototypeOf(v) !== Object.prototype || v instanceof Tensor) return false;
      const keys = Object.keys(v);
      if (keys.length !== t.keys.length) return false;
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] !== t.keys[i] || !matchArgs((v as Record<string, unknown>)[keys[i]!], t.items[i]!, leaves)) return false;
      }
      return true;
    }
  }
}

/** No two leaves share a buffer (checked pairwise: a few dozen leaves). */
function distinctData(leaves: readonly Tensor[]): boolean {
  if (leaves.length > 64) return false;
  for (let i = 1; i < leaves.length; i++) {
    const d = leaves[i]!.data;
    for (let j = 0; j < i; j++) if (leaves[j]!.data === d) return false;
  }
  return true;
}

function buildTemplate(v: unknown, rec: KernelRecorder): OutTemplate {
  if (v instanceof Tensor) return { k: "t", slot: rec.slotOf.get(v.data) ?? -1, array: v.data, shape: v.shape };
  if (v instanceof PRNGKey) return { k: "key", slot: rec.slotOf.get(v.data) ?? -1, array: v.data };
  if (Array.isArray(v)) return { k: "a", items: v.map((e) => buildTemplate(e, rec)) };
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const keys = Object.keys(v);
    return { k: "o", keys, items: keys.map((key) => buildTemplate((v as Record<string, unknown>)[key], rec)) };
  }
  return { k: "v", v };
}

function collectOutSlots(t: OutTemplate, into: Set<number>): void {
  if (t.k === "t" || t.k === "key") { if (t.slot >= 0) into.add(t.slot); }
  else if (t.k === "a" || t.k === "o") for (const e of t.items) collectOutSlots(e, into);
}

function makePlan(rec: KernelRecorder, leaves: readonly Tensor[], out: unknown, backend: Backend, donors: readonly boolean[]): Plan {
  const template = buildTemplate(out, rec);
  const outSlots = new Set<number>();
  collectOutSlots(template, outSlots);
  const resident = makeResident(rec, backend, outSlots);
  // donated leaves that may receive an output: not aliased, not passed through as an output
  const free = leaves.map((l, i) => (donors[i] === true && !outSlots.has(rec.slotOf.get(l.data) ?? -1) ? i : -1)).filter((i) => i >= 0);
  const fresh: Fresh[] = [];
  const dynamic = new Set<number>();
  rec.slots.forEach((s, i) => {
    if (s.kind === "input") dynamic.add(i);
    else if (s.kind === "inter" && outSlots.has(i)) {
      dynamic.add(i);
      const k = free.findIndex((j) => leaves[j]!.data.constructor === s.array.constructor && leaves[j]!.size === s.array.length);
      const donor = k < 0 ? -1 : free.splice(k, 1)[0]!;
      const scratch = donor >= 0 && resident === null ? s.array.slice() : null;
      fresh.push({ slot: i, like: s.array, restore: s.restore, donor, scratch });
    }
  });
  const restore: { slot: number; array: DataArray; content: DataArray }[] = [];
  rec.slots.forEach((s, i) => {
    if (s.kind === "inter" && s.restore !== null && !outSlots.has(i)) restore.push({ slot: i, array: s.array, content: s.restore });
  });
  const steps = rec.steps.map((st): Step => {
    const dyn: number[] = [];
    for (const [pos, slot] of st.arrayArgs) if (dynamic.has(slot)) dyn.push(pos, slot);
    return { fn: st.fn as (...args: unknown[]) => void, args: st.args, dyn: Int32Array.from(dyn) };
  });
  const leafSlot = Int32Array.from(leaves, (l) => rec.slotOf.get(l.data) ?? -1);
  return { steps, resident, leafSlot, fresh, restore, cur: new Array(rec.slots.length), out: template, replays: 0, fingerprint: null };
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

/**
 * Arena offsets of the slots. Intermediates that a kernel fully writes before any read, and that
 * are not outputs, share memory when their lifetimes (first to last step using them) do not
 * overlap; a block freed by step k is reused from step k + 1 on, so no kernel sees an operand
 * aliasing its output. Inputs, constants, outputs and intermediates with content to restore keep
 * their own memory.
 */
function arenaLayout(rec: KernelRecorder, outSlots: ReadonlySet<number>): { offsets: number[]; bytes: number } {
  const n = rec.slots.length;
  const first = new Int32Array(n).fill(-1), last = new Int32Array(n).fill(-1);
  rec.steps.forEach((st, k) => {
    for (const [, slot] of st.arrayArgs) {
      if (first[slot]! < 0) first[slot] = k;
      last[slot] = k;
    }
  });
  const offsets = new Array<number>(n).fill(0);
  let bytes = 0;
  const starts = new Map<number, number[]>(), ends = new Map<number, number[]>();
  rec.slots.forEach((s, i) => {
    if (s.kind === "inter" && s.restore === null && !outSlots.has(i) && first[i]! >= 0) {
      (starts.get(first[i]!) ?? starts.set(first[i]!, []).get(first[i]!)!).push(i);
      (ends.get(last[i]!) ?? ends.set(last[i]!, []).get(last[i]!)!).push(i);
    } else {
      offsets[i] = bytes;
      bytes += align16(s.array.byteLength);
    }
  });
  const free: { off: number; size: number }[] = [];
  for (let k = 0; k < rec.steps.length; k++) {
    for (const i of starts.get(k) ?? []) {
      const need = align16(rec.slots[i]!.array.byteLength);
      let best = -1;
      for (let j = 0; j < free.length; j++) if (free[j]!.size >= need && (best < 0 || free[j]!.size < free[best]!.size)) best = j;
      if (best < 0) {
        offsets[i] = bytes;
        bytes += need;
      } else {
        const b = free[best]!;
        offsets[i] = b.off;
        if (b.size > need) free[best] = { off: b.off + need, size: b.size - need };
        else free.splice(best, 1);
      }
    }
    for (const i of ends.get(k) ?? []) free.push({ off: offsets[i]!, size: align16(rec.slots[i]!.array.byteLength) });
  }
  return { offsets, bytes };
}

/** Move every array of the recording into the backend's private memory, when it offers one. */
function makeResident(rec: KernelRecorder, backend: Backend, outSlots: ReadonlySet<number>): Resident | null {
  if (backend.resident === undefined) return null;
  const { offsets, bytes } = arenaLayout(rec, outSlots);
  const gemms: GemmShape[] = [];
  for (const st of rec.steps) {
    const a = st.args;
    if (st.kernel === "gemm") gemms.push({ M: a[6] as number, N: a[7] as number, K: a[8] as number, f64: a[0] instanceof Float64Array });
    else if (st.kernel === "gemmBiasAct") gemms.push({ M: a[4] as number, N: a[5] as number, K: a[6] as number, f64: a[0] instanceof Float64Array });
  }
  const rk = backend.resident(bytes, gemms);
  if (rk === null) return null;
  const buf = rk.memory.buffer;
  const views = rec.slots.map((s, i) => {
    const a = s.array, at = rk.arenaStart + offsets[i]!;
    const v = a instanceof Float64Array ? new Float64Array(buf, at, a.length) : a instanceof Float32Array ? new Float32Array(buf, at, a.length) : new Int32Array(buf, at, a.length);
    if (s.kind === "const") v.set(a);
    return v;
  });
  const kernels = rk.backend as unknown as Record<string, ((...args: unknown[]) => void) | undefined>;
  const steps = rec.steps.map((st) => {
    const args = st.args.slice();
    for (const [pos, slot] of st.arrayArgs) args[pos] = views[slot];
    const lowered = st.kernel === null ? null : rk.lower(st.kernel, args);
    if (lowered !== null) return lowered;
    const fn = st.kernel === null ? (st.fn as (...args: unknown[]) => void) : kernels[st.kernel];
    if (fn === undefined) throw new TransformError("jit", `internal error: the resident backend has no kernel ${st.kernel}`);
    return () => fn(...args);
  });
  return { steps, views };
}

function replay(plan: Plan, leaves: readonly Tensor[], donate: boolean): unknown {
  if (plan.resident !== null) return replayResident(plan, plan.resident, leaves, donate);
  const { cur, steps } = plan;
  for (let i = 0; i < leaves.length; i++) {
    const s = plan.leafSlot[i]!;
    if (s >= 0) cur[s] = leaves[i]!.data;
  }
  for (const f of plan.fresh) {
    const a = f.scratch ?? alloc(dtypeOf(f.like), f.like.length);
    if (f.restore !== null) a.set(f.restore);
    cur[f.slot] = a;
  }
  for (const r of plan.restore) r.array.set(r.content);
  for (let i = 0; i < steps.length; i++) {
    const st = steps[i]!;
    const { args, dyn } = st;
    for (let j = 0; j < dyn.length; j += 2) args[dyn[j]!] = cur[dyn[j + 1]!];
    st.fn(...args);
  }
  // donated buffers are written only now: until the last step they were inputs
  for (const f of plan.fresh) {
    if (f.donor < 0) continue;
    if (!donate) {
      cur[f.slot] = f.scratch!.slice();
      continue;
    }
    const d = leaves[f.donor]!.data;
    d.set(f.scratch!);
    cur[f.slot] = d;
  }
  return materialize(plan.out, cur);
}

function replayResident(plan: Plan, res: Resident, leaves: readonly Tensor[], donate: boolean): unknown {
  const { cur, steps } = plan;
  const { views } = res;
  for (let i = 0; i < leaves.length; i++) {
    const s = plan.leafSlot[i]!;
    if (s >= 0) {
      const d = leaves[i]!.data;
      views[s]!.set(d);
      cur[s] = d;
    }
  }
  for (const f of plan.fresh) if (f.restore !== null) views[f.slot]!.set(f.restore);
  for (const r of plan.restore) views[r.slot]!.set(r.content);
  const run = res.steps;
  for (let i = 0; i < run.length; i++) run[i]!();
  for (const f of plan.fresh) {
    const a = f.donor >= 0 && donate ? leaves[f.donor]!.data : alloc(dtypeOf(f.like), f.like.length);
    a.set(views[f.slot]!);
    cur[f.slot] = a;
  }
  return materialize(plan.out, cur);
}

function materialize(t: OutTemplate, cur: readonly (DataArray | undefined)[]): unknown {
  switch (t.k) {
    case "t": {
      const a = t.slot >= 0 ? cur[t.slot] ?? t.array : t.array;
      return new Tensor(a, t.shape, dtypeOf(a));
    }
    case "key": return new PRNGKey((t.slot >= 0 ? cur[t.slot] ?? t.array : t.array) as Int32Array);
    case "v": return t.v;
    case "a": return t.items.map((e) => materialize(e, cur));
    case "o": {
      const o: Record<string, unknown> = {};
      t.keys.forEach((k, i) => { o[k] = materialize(t.items[i]!, cur); });
      return o;
    }
  }
}

function bytesOf(a: DataArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** The first difference between the replayed and the eager result, or null. */
function firstDifference(r: unknown, e: unknown, path: string): string | null {
  if (r instanceof PRNGKey && e instanceof PRNGKey) {
    return r.data[0] === e.data[0] && r.data[1] === e.data[1] ? null : `${path}: key ${r.data.join(",")} vs ${e.data.join(",")}`;
  }
  if (r instanceof Tensor || e instanceof Tensor) {
    if (!(r instanceof Tensor) || !(e instanceof Tensor)) return `${path}: a tensor in one result only`;
    if (r.dtype !== e.dtype || r.size !== e.size || fmtShape(r.shape) !== fmtShape(e.shape)) return `${path}: ${r.dtype} ${fmtShape(r.shape)} vs ${e.dtype} ${fmtShape(e.shape)}`;
    const rb = bytesOf(r.data), eb = bytesOf(e.data);
    const width = rb.length / Math.max(1, r.size);
    for (let i = 0; i < rb.length; i++) {
      if (rb[i] !== eb[i]) {
        const j = Math.floor(i / width);
        return `${path} at flat index ${j}: replay ${r.data[j]} vs function ${e.data[j]}`;
      }
    }
    return null;
  }
  if (Array.isArray(r) && Array.isArray(e)) {
    if (r.length !== e.length) return `${path}: ${r.length} vs ${e.length} items`;
    for (let i = 0; i < r.length; i++) {
      const d = firstDifference(r[i], e[i], `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (r !== null && e !== null && typeof r === "object" && typeof e === "object") {
    const keys = Object.keys(r);
    if (keys.join() !== Object.keys(e).join()) return `${path}: different keys`;
    for (const k of keys) {
      const d = firstDifference((r as Record<string, unknown>)[k], (e as Record<string, unknown>)[k], `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  return Object.is(r, e) ? null : `${path}: ${String(r)} vs ${String(e)}`;
}

/**
 * Compile `fn` by recording the kernels it runs (forward, backward passes of the transforms it
 * calls, optimizer arithmetic) on its first call with a given argument signature (tensor shapes
 * and dtypes, the values of non-tensor arguments; PRNGKeys are runtime inputs like tensors), then replaying only those kernels on later
 * calls: no ops, graph, closures or validation in between. Results are bit-identical to calling
 * `fn`. Outputs are new tensors on every call; inputs are never written.
 *
 * The recording freezes everything that is not a tensor argument: tensors captured from an
 * enclosing scope (pass them as arguments if they change), non-tensor arguments (part of the
 * signature: a new value records again; per-step scalars such as a step count or a learning
 * rate go in as tensors and through `pureCallback`), randomness (pass keys as arguments) and the
 * path taken by JS control flow. Reading a traced value into JS inside `fn` (`item()`,
 * `toArray()`, `treeNorm`) throws a TransformError. Checks that ops make on values (labels in
 * range, `checkFinite`) still run on every replay. The first replay is also run through `fn` and
 * compared bit for bit (`verify`), which catches a function that breaks these rules. Inside a
 * transform's trace (`grad(jit(f))`) or another recording, `fn` simply runs.
 * @example const step = jit((p, x, y) => { const [l, g] = lossAndGrad(p, x, y); return [treeMap((w, d) => sub(w, mul(d, 0.1)), p, g), l]; });
 */
export function jit<A extends unknown[], R>(fn: (...args: A) => R, opts: JitOptions = {}): Jitted<A, R> {
  if (typeof fn !== "function") throw new TransformError("jit", `fn must be a function, got ${fn === null ? "null" : typeof fn}`);
  if (opts === null || typeof opts !== "object") throw new TransformError("jit", `options must be an object, got ${opts === null ? "null" : typeof opts}`);
  const verify = opts.verify ?? 1;
  const donate = new Set(opts.donate ?? []);
  for (const i of donate) if (!Number.isInteger(i) || i < 0) throw new TransformError("jit", `donate must list argument positions (non-negative integers), got ${i}`);
  const maxTraces = opts.maxTraces ?? 8;
  if (!Number.isInteger(verify) || verify < 0) throw new TransformError("jit", `verify must be a non-negative integer, got ${verify}`);
  if (!Number.isInteger(maxTraces) || maxTraces < 1) throw new TransformError("jit", `maxTraces must be a positive integer, got ${maxTraces}`);
  const plans = new Map<string, Plan>();
  let traceCount = 0;
  let last: { readonly backend: Backend; readonly template: ArgTemplate; readonly key: string; readonly donors: boolean[] } | null = null;

  const call = (...args: A): R => {
    if (isRecording() || activeRecorder() !== null) return fn(...args);
    let leaves: Tensor[] = [];
    const backend = getBackend();
    let key: string, donors: boolean[];
    if (last !== null && last.backend === backend && matchArgs(args, last.template, leaves) && distinctData(leaves)) {
      // the common case (a training loop): same structure as the last call, no aliasing
      key = last.key;
      donors = last.donors;
    } else {
      leaves = [];
      const sig: string[] = [`B${backendId(backend)}`];
      const seen = new Map<DataArray, number>(), aliased = new Set<number>();
      donors = [];
      args.forEach((a, i) => {
        const before = leaves.length;
        flattenArgs(a, `args[${i}]`, leaves, seen, sig, aliased);
        for (let j = before; j < leaves.length; j++) donors[j] = donate.has(i);
      });
      for (const j of aliased) donors[j] = false;
      key = sig.join(" ");
      last = aliased.size === 0 ? { backend, template: argTemplate(args), key, donors } : null;
    }
    const plan = plans.get(key);
    if (plan === undefined) {
      const rec = new KernelRecorder(leaves.map((l) => l.data));
      enterRootArena();
      let out: R;
      try {
        out = withRecorder(rec, () => fn(...args));
      } finally {
        exitRootArena();
      }
      const plan = makePlan(rec, leaves, out, backend, donors);
      if (verify > 0) plan.fingerprint = fingerprintOf(rec);
      plans.set(key, plan);
      traceCount++;
      if (plans.size > maxTraces) plans.delete(plans.keys().next().value!);
      return out;
    }
    // most recently used last
    plans.delete(key);
    plans.set(key, plan);
    // a checked replay donates nothing: if it differs, the caller's inputs must be intact
    let eager: { v: R } | null = null;
    if (plan.replays++ < verify) {
      // run fn again as a second recording: besides its result, its kernels and constants must match the first's
      const rec = new KernelRecorder(leaves.map((l) => l.data), true);
      eager = { v: withRecorder(rec, () => fn(...args)) };
      const d = plan.fingerprint === null ? null : recordingDifference(plan.fingerprint, rec);
      if (plan.replays >= verify) plan.fingerprint = null;
      if (d !== null) {
        plans.delete(key);
        throw new TransformError("jit", `${d}. Compute it with tensor ops, or call the function without jit`);
      }
    }
    const out = replay(plan, leaves, eager === null) as R;
    if (eager !== null) {
      const d = firstDifference(out, eager.v, "result");
      if (d !== null) {
        plans.delete(key);
        throw new TransformError("jit", `replaying the recorded kernels differs from running the function (${d}): the function depends on something the recording froze — a tensor captured from an enclosing scope that changed, a value read in JS (.data), or randomness not passed as an argument. Pass it as an argument, or call the function without jit`);
      }
    }
    return out;
  };
  Object.defineProperty(call, "traceCount", { get: () => traceCount });
  return Object.assign(call, { clear: (): void => plans.clear() }) as unknown as Jitted<A, R>;
}
