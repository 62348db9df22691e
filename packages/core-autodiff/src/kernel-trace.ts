import type { DataArray } from "./dtype.js";
import { TransformError } from "./errors.js";

// `jit` records the kernels a function runs (backend kernels and the few host loops ops run in
// TS) with the typed arrays they touch, then replays them on new inputs without ops, graphs or
// closures. Only what goes through the backend or `hostKernel` is replayed, so every op computing
// on tensor values must go through one of them; reads of traced values into JS numbers
// (`item()`, `toArray()`) are refused while recording, since they would freeze the trace.

/**
 * How a kernel treats one of its array arguments: Read; Write (writes every element it covers
 * before anything reads it); Update (reads the previous content, e.g. accumulates: a replay
 * restores what the array held when recorded).
 */
export const Access = { Read: 0, Write: 1, Update: 2 } as const;
/** One of `Access`'s values. */
export type Access = (typeof Access)[keyof typeof Access];
/** @internal The access list of a kernel reading its first array and writing its second. */
export const READ_WRITE: readonly Access[] = [Access.Read, Access.Write];

/** One recorded kernel call. @internal */
export interface KernelStep {
  /** The backend kernel's name (`gemm`, `binary`...), or null for a host kernel. */
  readonly kernel: string | null;
  /** The op that ran it (the kernel's name, or a host kernel's op), for messages. */
  readonly op: string;
  readonly fn: (...args: never[]) => void;
  readonly args: unknown[];
  /** Argument positions holding typed arrays, and their slot numbers. */
  readonly arrayArgs: readonly (readonly [pos: number, slot: number])[];
}

/** What a slot (one typed array seen by a kernel) is. @internal */
export interface Slot {
  readonly array: DataArray;
  kind: "input" | "const" | "inter";
  /** For `inter`: the content to restore before each replay (null: written before any read). */
  restore: DataArray | null;
}

/** @internal The state of one recording. */
export class KernelRecorder {
  readonly slots: Slot[] = [];
  readonly slotOf = new Map<DataArray, number>();
  readonly steps: KernelStep[] = [];
  /** With `sites`: the call stack that first passed each constant to a kernel (who made it). */
  readonly constSites: ConstSites | null;

  /** `sites`: note where each constant came from (costly; for jit's checking recording only). */
  constructor(inputs: readonly DataArray[], sites = false) {
    this.constSites = sites ? new ConstSites() : null;
    for (const a of inputs) {
      if (this.slotOf.has(a)) continue;
      this.slotOf.set(a, this.slots.length);
      this.slots.push({ array: a, kind: "input", restore: null });
    }
  }

  /** Whether `a` holds a value that depends on the inputs (an input or written by a kernel). */
  isTraced(a: DataArray): boolean {
    const s = this.slotOf.get(a);
    return s !== undefined && this.slots[s]!.kind !== "const";
  }

  slot(a: DataArray, access: Access, op: string): number {
    let s = this.slotOf.get(a);
    if (s === undefined) {
      s = this.slots.length;
      this.slotOf.set(a, s);
      this.slots.push({
        array: a,
        kind: access === Access.Read ? "const" : "inter",
        restore: access === Access.Update ? a.slice() : null,
      });
      if (this.constSites !== null && access === Access.Read) this.constSites.capture(s);
      return s;
    }
    const slot = this.slots[s]!;
    if (access !== Access.Read) {
      if (slot.kind === "input") throw new TransformError("jit", `internal error: kernel ${op} writes an input buffer`);
      if (slot.kind === "const") {
        // a constant read earlier and now written: replay must give it back its first content
        slot.kind = "inter";
        slot.restore = a.slice();
      }
    }
    return s;
  }

  record(op: string, fn: (...args: never[]) => void, args: unknown[], access: readonly Access[], backendKernel = false): void {
    const arrayArgs: (readonly [number, number])[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (ArrayBuffer.isView(a)) arrayArgs.push([i, this.slot(a as DataArray, access[i] ?? Access.Read, op)]);
    }
    this.steps.push({ kernel: backendKernel ? op : null, op, fn, args: args.slice(), arrayArgs });
  }
}

/**
 * @internal Where each constant of a checking recording was made. The stack is captured when the
 * constant is met but formatted only when a message needs it: formatting (source maps under tsx)
 * cost ~0.4 ms per constant, paid three times per fit() call for every constant of the step.
 */
export class ConstSites {
  private readonly errs = new Map<number, Error>();

  capture(slot: number): void {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 60;
    this.errs.set(slot, new Error());
    Error.stackTraceLimit = limit;
  }

  /** The first stack frame outside this package: the code that made the constant in `slot`. */
  get(slot: number): string | undefined {
    const e = this.errs.get(slot);
    if (e === undefined) return undefined;
    const frames = (e.stack ?? "").split("\n").slice(1).map((l) => l.trim());
    return frames.find((f) => !/core-autodiff[\\/]/.test(f) || /\.test\.[cm]?[jt]s/.test(f)) ?? frames[0] ?? "an unknown place";
  }
}

let recorder: KernelRecorder | null = null;

/** @internal The active recording, if any. */
export function activeRecorder(): KernelRecorder | null {
  return recorder;
}

/** @internal Run `fn` with `r` recording kernel calls. */
export function withRecorder<T>(r: KernelRecorder, fn: () => T): T {
  const prev = recorder;
  recorder = r;
  try {
    return fn();
  } finally {
    recorder = prev;
  }
}

/**
 * @internal A loop an op runs in TS on tensor data. `fn` must compute only from its array
 * arguments (captured numbers and shapes are fine, captured typed arrays are not): a `jit`
 * replay calls it again with other arrays. It may throw (validation). While a recording is
 * active, `fn` runs unrecorded: ops it calls are part of it.
 */
export function hostKernel<A extends DataArray[]>(op: string, fn: (...arrays: A) => void, arrays: A, access: readonly Access[]): void {
  if (recorder === null) {
    fn(...arrays);
    return;
  }
  recorder.record(op, fn as unknown as (...args: never[]) => void, arrays, access);
  // the kernel is one opaque replayable unit: ops it may run inside (a callback drawing from a
  // key it was given) are its own business, not kernels of the recording
  const r = recorder;
  recorder = null;
  try {
    fn(...arrays);
  } finally {
    recorder = r;
  }
}

/** @internal Refuse to read a traced value into JS while `jit` records (it would freeze the trace). */
export function guardRead(op: string, a: DataArray): void {
  if (recorder !== null && recorder.isTraced(a)) {
    throw new TransformError("jit", `${op} reads the value of a tensor computed from the jitted function's inputs; value-dependent JS cannot be compiled (compute it with tensor ops, or run it outside jit)`);
  }
}

/** @internal Whether `a` is a traced value of the active recording (for printing). */
export function isTracedArray(a: DataArray): boolean {
  return recorder !== null && recorder.isTraced(a);
}
