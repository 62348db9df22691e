import type { Backend, GemmShape, ResidentKernels } from "../backend-types.js";
import type { DataArray } from "../dtype.js";
import type { BinaryOp, UnaryOp } from "../kernels/elementwise.js";
import type { ReduceOp } from "../kernels/reduce.js";
import { KERNELS_WASM_BASE64 } from "./kernels-wasm.generated.js";
import { normalKernel } from "../kernels/normal.js";
import { ZIG_KERNEL_TABLE } from "../ziggurat.js";

const ZIG_KERNEL_LENGTH = ZIG_KERNEL_TABLE.length;
import { ValueError } from "../errors.js";
import { backendArg, optionsArg } from "../validate.js";

/** The base backend (kernels WASM does not take) and the options, validated. */
function wasmArgs(op: string, base: unknown, opts: WasmBackendOptions): void {
  backendArg(op, base);
  const o = optionsArg(op, opts, ["thresholds", "blocking"]);
  if (o.thresholds !== undefined) {
    for (const [k, v] of Object.entries(optionsArg(op, o.thresholds, Object.keys(DEFAULT_THRESHOLDS) as (keyof WasmThresholds)[]))) {
      if (typeof v !== "number" || !(v >= 0)) throw new ValueError(op, `thresholds.${k} must be a non-negative number, got ${String(v)}`);
    }
  }
  if (o.blocking !== undefined) {
    for (const [t, b] of Object.entries(optionsArg(op, o.blocking, ["f32", "f64"]))) {
      for (const [k, v] of Object.entries(optionsArg(op, b, ["KC", "MC", "NC"]))) {
        if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 1 << 16) throw new ValueError(op, `blocking.${t}.${k} must be an integer in [1, 65536], got ${String(v)}`);
      }
    }
  }
}

/**
 * The WebAssembly SIMD backend. Tensors stay in ordinary typed arrays; a kernel copies its inputs
 * into one WebAssembly.Memory (grown as needed, reused across calls, so steady state allocates
 * nothing), runs there and copies the result out. That copy is O(inputs + output), so only kernels
 * with more work than data pay for it: GEMM (O(MNK) work on O(MK + KN + MN) data). Everything the
 * WASM path does not take (small sizes, int32, kernels where the copies cost more than they save)
 * falls through to the pure-TS kernels. See README "Backends and performance" for the measurements.
 */

/** Bytes of a one-function module that uses v128: validates only where WebAssembly SIMD exists. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 127, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 32, 0, 253, 15, 11]);

/** Whether this runtime supports WebAssembly with the SIMD (v128) proposal. */
export function hasWasmSimd(): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The assembled kernels module (see scripts/build-wasm.mjs). */
export function kernelsWasmBytes(): Uint8Array<ArrayBuffer> {
  return decodeBase64(KERNELS_WASM_BASE64);
}

type GemmFn = (a: number, b: number, c: number, M: number, N: number, K: number, ta: number, tb: number,
  pa: number, pb: number, tile: number, KC: number, MC: number, NC: number, direct: number) => void;

type BinFn = (a: number, ra: number, ca: number, b: number, rb: number, cb: number, out: number, R: number, m: number) => void;
type UnFn = (x: number, out: number, n: number, param: number) => void;
type AdamFn = (m: number, v: number, g: number, mo: number, vo: number, uo: number, c1: number, c2: number, n: number,
  b1: number, ob1: number, b2: number, ob2: number, eps: number, epsRoot: number) => void;
type ColSumFn = (x: number, out: number, R: number, m: number) => void;
type UnfoldFn = (x: number, N: number, C: number, L: number, K: number, stride: number, padding: number, dilation: number, Lo: number, out: number, pad: number) => void;
type FoldFn = (src: number, N: number, C: number, L: number, K: number, stride: number, padding: number, dilation: number, Lo: number, acc: number) => void;
type BiasActFn = (c: number, R: number, m: number, b: number, hasBias: number, relu: number) => void;
type SumFn = (x: number, n: number) => number;
type ThreefryFn = (k0: number, k1: number, c0: number, x1: number, n: number, out: number) => void;
type NormalFn = (key: number, scale: number, std: number, g: number, out: number, tab: number, n: number) => void;
type BernoulliFn = (k0: number, k1: number, c0: number, x1: number, n: number, out: number, h: number, l: number) => void;
type BernoulliMaskFn = (k0: number, k1: number, c0: number, x1: number, n: number, out: number, cut: number, val: number) => void;

/** Binary ops with a SIMD kernel (bit-identical to the reference in both dtypes). */
const WASM_BINARY = new Set<BinaryOp>(["add", "sub", "mul", "div", "maximum", "minimum"]);
/** Unary ops with a SIMD kernel; leakyRelu only in float64 (its float64 slope is not a float32). */
const WASM_UNARY = new Set<UnaryOp>(["neg", "abs", "sqrt", "square", "relu", "step", "leakyRelu"]);

type KernelExports = {
  readonly [K in `${BinaryOp | UnaryOp | "colsum"}_${"f32" | "f64"}`]: BinFn | UnFn | ColSumFn;
} & {
  readonly memory: WebAssembly.Memory;
  readonly mr_f32: WebAssembly.Global;
  readonly nr_f32: WebAssembly.Global;
  readonly mr_f64: WebAssembly.Global;
  readonly nr_f64: WebAssembly.Global;
  readonly gemm_f32: GemmFn;
  readonly gemm_f64: GemmFn;
  readonly unfold_f32: UnfoldFn;
  readonly unfold_f64: UnfoldFn;
  readonly fold_f32: FoldFn;
  readonly fold_f64: FoldFn;
  readonly bias_act_f32: BiasActFn;
  readonly bias_act_f64: BiasActFn;
  readonly adam_f32: AdamFn;
  readonly adam_f64: AdamFn;
  readonly sumsq_f32: SumFn;
  readonly sumsq_f64: SumFn;
  readonly sum_f32: SumFn;
  readonly sum_f64: SumFn;
  readonly threefry: ThreefryFn;
  readonly normal_f64_normal_20: NormalFn;
  readonly normal_f64_axpy_20: NormalFn;
  readonly normal_f32_normal_20: NormalFn;
  readonly normal_f32_axpy_20: NormalFn;
  readonly normal_f64_normal_13: NormalFn;
  readonly normal_f64_axpy_13: NormalFn;
  readonly normal_f32_normal_13: NormalFn;
  readonly normal_f32_axpy_13: NormalFn;
  readonly zig_slow_20: (k0: number, k1: number, i: number, w: number, tab: number) => number;
  readonly zig_slow_13: (k0: number, k1: number, i: number, w: number, tab: number) => number;
  readonly bernoulli_f32: BernoulliFn;
  readonly bernoulli_f64: BernoulliFn;
  readonly bernoulli_mask_f32: BernoulliMaskFn;
  readonly bernoulli_mask_f64: BernoulliMaskFn;
};

/** Cache-blocking parameters of the GEMM (MC a multiple of 4, NC a multiple of 8). */
export interface GemmBlocking {
  readonly KC: number;
  readonly MC: number;
  readonly NC: number;
}

/** Size thresholds below which a kernel runs in TS (measured on a 2-core x86-64, Node 20; see README). */
export interface WasmThresholds {
  /** GEMMs with M·N·K below this run in TS. */
  readonly gemmMinWork: number;
  /** Up to this many rows of C, an untransposed B is read in place instead of packed (packing B only pays back over many row panels). */
  readonly gemmDirectMaxM: number;
  /** Elementwise ops with fewer output elements than this run in TS. */
  readonly elementwiseMin: number;
  /** Leading-axes sums with fewer input elements than this run in TS. */
  readonly colSumMin: number;
  /** unfold1d / fold1d with fewer window elements (N·Lout·C·K) than this run in TS. */
  readonly windowMin: number;
  /**
   * Full sums (to one number) of fewer elements than this run in TS. Default: all of them (the
   * reference's in-order float64 loop is latency-bound at ~0.6 ns/element in TS and WASM alike, and
   * copying the operand in costs what the call saves); jit's resident plans, with no copy, use it.
   */
  readonly sumMin: number;
  /** Random draws of fewer Threefry blocks than this run in TS (JS ~15 ns/block, WASM ~0.1 µs/call + ~4 ns/block). */
  readonly threefryMin: number;
}

/** Options of createWasmBackend. */
export interface WasmBackendOptions {
  readonly thresholds?: Partial<WasmThresholds>;
  readonly blocking?: { readonly f32?: GemmBlocking; readonly f64?: GemmBlocking };
}

// measured (README "Backends and performance"): the copies in and out cost ~0.1 ns/element, the TS
// loops 1–2 ns/element; break-even ~256 elements for float64 binary ops, ~64 for column sums
export const DEFAULT_THRESHOLDS: WasmThresholds = { gemmMinWork: 64, gemmDirectMaxM: 20, elementwiseMin: 512, colSumMin: 64, windowMin: 1024, sumMin: Infinity, threefryMin: 16 };
const DEFAULT_BLOCKING = {
  f32: { KC: 256, MC: 96, NC: 1024 },
  f64: { KC: 256, MC: 48, NC: 512 },
} as const satisfies Record<string, GemmBlocking>;

const PAGE = 65536;
const align = (n: number, a: number): number => Math.ceil(n / a) * a;

/** One instance of the kernels and its memory (views refreshed after every grow). */
class Heap {
  private f32v: Float32Array;
  private f64v: Float64Array;

  constructor(readonly ex: KernelExports) {
    this.f32v = new Float32Array(ex.memory.buffer);
    this.f64v = new Float64Array(ex.memory.buffer);
  }

  /** Make sure `bytes` bytes are addressable. */
  ensure(bytes: number): void {
    const have = this.ex.memory.buffer.byteLength;
    if (bytes > have) this.ex.memory.grow(Math.ceil((bytes - have) / PAGE));
    if (this.f64v.buffer !== this.ex.memory.buffer) {
      this.f32v = new Float32Array(this.ex.memory.buffer);
      this.f64v = new Float64Array(this.ex.memory.buffer);
    }
  }

  view(f64: boolean): Float64Array | Float32Array {
    return f64 ? this.f64v : this.f32v;
  }
}

function instantiate(bytes: Uint8Array<ArrayBuffer>): KernelExports {
  const mod = new WebAssembly.Module(bytes);
  return new WebAssembly.Instance(mod, {}).exports as unknown as KernelExports;
}

/**
 * A backend running GEMM in WebAssembly SIMD (f32x4 4×8 and f64x2 4×4 register tiles over packed
 * panels) and every other kernel in `base` (the TS reference). Returns null where WebAssembly SIMD
 * is missing or synchronous compilation is refused.
 */
export function createWasmBackend(base: Backend, opts: WasmBackendOptions = {}): Backend | null {
  wasmArgs("createWasmBackend", base, opts);
  if (!hasWasmSimd()) return null;
  let ex: KernelExports;
  try {
    ex = instantiate(kernelsWasmBytes());
  } catch {
    return null;
  }
  return wasmBackendFrom(ex, base, opts);
}

/** Like createWasmBackend, compiling asynchronously (for a browser main thread). */
export function createWasmBackendAsync(base: Backend, opts: WasmBackendOptions = {}): Promise<Backend | null> {
  // bad arguments throw here, synchronously, like every other op (not as a rejected promise)
  wasmArgs("createWasmBackendAsync", base, opts);
  return compileWasmBackend(base, opts);
}

async function compileWasmBackend(base: Backend, opts: WasmBackendOptions): Promise<Backend | null> {
  if (!hasWasmSimd()) return null;
  try {
    const mod = await WebAssembly.compile(kernelsWasmBytes());
    cachedModule ??= mod;
    const instance = await WebAssembly.instantiate(mod, {});
    return wasmBackendFrom(instance.exports as unknown as KernelExports, base, opts);
  } catch {
    return null;
  }
}

export type { GemmShape, ResidentKernels };

const LOWER = Symbol("lower");

let cachedModule: WebAssembly.Module | null = null;

/**
 * @internal A private instance of the kernels with `arenaBytes` of operand memory after the
 * packing scratch the listed GEMMs need, deciding as `createWasmBackend(base, opts)` does (so
 * results are bit-identical to it). Null where WebAssembly SIMD or synchronous compilation is missing.
 */
export function createResidentKernels(base: Backend, opts: WasmBackendOptions, arenaBytes: number, gemms: readonly GemmShape[]): ResidentKernels | null {
  if (!hasWasmSimd()) return null;
  let ex: KernelExports;
  try {
    cachedModule ??= new WebAssembly.Module(kernelsWasmBytes());
    ex = new WebAssembly.Instance(cachedModule, {}).exports as unknown as KernelExports;
  } catch {
    return null;
  }
  const scratch = align(Math.max(64, ...gemms.map((g) => gemmScratch(ex, opts, g))), 64);
  try {
    new Heap(ex).ensure(scratch + arenaBytes);
  } catch {
    return null; // beyond what WebAssembly memory can grow to: the caller replays on JS arrays
  }
  // no copies to amortise: every elementwise, column-sum and window kernel runs in WASM (these are
  // bit-identical to the TS ones); GEMMs keep the eager thresholds (float32 GEMMs differ from TS's)
  const thresholds = { ...opts.thresholds, elementwiseMin: 0, colSumMin: 0, windowMin: 0, sumMin: 0 };
  const backend = wasmBackendFrom(ex, base, { ...opts, thresholds }, scratch);
  return { backend, memory: ex.memory, arenaStart: scratch, lower: (backend as unknown as { [LOWER]: ResidentKernels["lower"] })[LOWER] };
}

function tilesOf(ex: KernelExports) {
  return { f32: { MR: ex.mr_f32.value as number, NR: ex.nr_f32.value as number }, f64: { MR: ex.mr_f64.value as number, NR: ex.nr_f64.value as number } };
}

/** Packing layout of one GEMM: byte offsets of the packed A, packed B and edge tile from `at`, and the end. */
function packLayout(ex: KernelExports, opts: WasmBackendOptions, M: number, N: number, K: number, f64: boolean, at: number) {
  const S = f64 ? 8 : 4;
  const { KC, MC: mc0, NC: nc0 } = f64 ? opts.blocking?.f64 ?? DEFAULT_BLOCKING.f64 : opts.blocking?.f32 ?? DEFAULT_BLOCKING.f32;
  const { MR, NR: nr } = tilesOf(ex)[f64 ? "f64" : "f32"];
  const MC = Math.max(MR, mc0 - (mc0 % MR)), NC = Math.max(nr, nc0 - (nc0 % nr));
  const pPA = align(at, 16);
  const pPB = pPA + align(Math.min(MC, M), MR) * Math.min(KC, K) * S;
  const pTile = pPB + align(Math.min(NC, N), nr) * Math.min(KC, K) * S;
  return { KC, MC, NC, pPA, pPB, pTile, end: align(pTile + MR * nr * S, 16) };
}

function gemmScratch(ex: KernelExports, opts: WasmBackendOptions, g: GemmShape): number {
  return packLayout(ex, opts, g.M, g.N, g.K, g.f64, 0).end;
}

type Kind = "f32" | "f64";
const kind = (x: DataArray): Kind | null => (x instanceof Float64Array ? "f64" : x instanceof Float32Array ? "f32" : null);
type GemmArgs = Parameters<Backend["gemm"]>;

/** The WASM kernels of one instance, each falling back to `base` where WASM does not pay or apply. */
class WasmKernels {
  private readonly heap: Heap;
  private readonly th: WasmThresholds;
  /** Resident mode: operands already live in this instance's memory (jit's replays). */
  private readonly resident: boolean;

  constructor(private readonly ex: KernelExports, private readonly base: Backend, private readonly opts: WasmBackendOptions, residentScratch: number | null) {
    this.heap = new Heap(ex);
    this.th = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
    this.resident = residentScratch !== null;
  }

  /** Byte address of element `off` of a view into this instance's memory (resident mode). */
  private ptr(x: DataArray, off = 0): number {
    if (x.buffer !== this.ex.memory.buffer) throw new Error("internal error: a resident kernel got an array outside its memory");
    return x.byteOffset + off * x.BYTES_PER_ELEMENT;
  }

  private gemmOk(a: DataArray, b: DataArray, c: DataArray, M: number, N: number, K: number): boolean {
    return M * N * K >= this.th.gemmMinWork && K > 0 && (a instanceof Float64Array || a instanceof Float32Array) && a.constructor === b.constructor && a.constructor === c.constructor;
  }

  readonly gemm: Backend["gemm"] = (a, aOff, b, bOff, c, cOff, M, N, K, transA, transB) => {
    if (!this.gemmOk(a, b, c, M, N, K)) this.base.gemm(a, aOff, b, bOff, c, cOff, M, N, K, transA, transB);
    else this.runGemm([a, aOff, b, bOff, c, cOff, M, N, K, transA, transB], undefined, false);
  };

  /** Resident mode: the WASM GEMM (then bias + relu in place) on operands in this memory, as a closure over their addresses. */
  private residentGemm([a, aOff, b, bOff, c, cOff, M, N, K, transA, transB]: GemmArgs, bias: DataArray | null | undefined, relu: boolean): () => void {
    const { ex } = this;
    const f64 = a instanceof Float64Array;
    const { KC, MC, NC, pPA, pPB, pTile } = packLayout(ex, this.opts, M, N, K, f64, 0);
    const direct = !transB && M <= this.th.gemmDirectMaxM ? 1 : 0;
    const gemmFn = f64 ? ex.gemm_f64 : ex.gemm_f32;
    const pa = this.ptr(a, aOff), pb = this.ptr(b, bOff), pc = this.ptr(c, cOff), ta = transA ? 1 : 0, tb = transB ? 1 : 0;
    if (bias === undefined) return () => gemmFn(pa, pb, pc, M, N, K, ta, tb, pPA, pPB, pTile, KC, MC, NC, direct);
    const biasAct = f64 ? ex.bias_act_f64 : ex.bias_act_f32;
    const pbias = bias !== null ? this.ptr(bias) : 0, has = bias !== null ? 1 : 0, r = relu ? 1 : 0;
    return () => { gemmFn(pa, pb, pc, M, N, K, ta, tb, pPA, pPB, pTile, KC, MC, NC, direct); biasAct(pc, M, N, pbias, has, r); };
  }

  /** The WASM GEMM, optionally followed in place by bias + relu before the result is copied out. */
  private runGemm(args: GemmArgs, bias: DataArray | null | undefined, relu: boolean): void {
    if (this.resident) {
      this.residentGemm(args, bias, relu)();
      return;
    }
    const [a, aOff, b, bOff, c, cOff, M, N, K, transA, transB] = args;
    const { ex, heap } = this;
    const f64 = a instanceof Float64Array;
    const S = f64 ? 8 : 4;
    const direct = !transB && M <= this.th.gemmDirectMaxM ? 1 : 0;
    const gemmFn = f64 ? ex.gemm_f64 : ex.gemm_f32;
    const pA = 0;
    const pB = align(pA + M * K * S, 16);
    const pC = align(pB + K * N * S, 16);
    const { KC, MC, NC, pPA, pPB, pTile, end: pBias } = packLayout(ex, this.opts, M, N, K, f64, pC + M * N * S);
    heap.ensure(pBias + N * S);
    const h = heap.view(f64);
    h.set(sub(a, aOff, M * K), pA / S);
    h.set(sub(b, bOff, K * N), pB / S);
    gemmFn(pA, pB, pC, M, N, K, transA ? 1 : 0, transB ? 1 : 0, pPA, pPB, pTile, KC, MC, NC, direct);
    if (bias !== undefined) {
      if (bias !== null) h.set(bias, pBias / S);
      (f64 ? ex.bias_act_f64 : ex.bias_act_f32)(pC, M, N, pBias, bias !== null ? 1 : 0, relu ? 1 : 0);
    }
    c.set(h.subarray(pC / S, pC / S + M * N), cOff);
  }

  readonly gemmBiasAct: NonNullable<Backend["gemmBiasAct"]> = (a, b, bias, c, M, N, K, relu) => {
    if (this.gemmOk(a, b, c, M, N, K) && (bias === null || bias.constructor === a.constructor)) {
      this.runGemm([a, 0, b, 0, c, 0, M, N, K, false, false], bias, relu);
      return;
    }
    this.base.gemm(a, 0, b, 0, c, 0, M, N, K, false, false);
    if (bias !== null) for (let r = 0, o = 0; r < M; r++, o += N) for (let j = 0; j < N; j++) c[o + j] = c[o + j]! + bias[j]!;
    if (relu) for (let i = 0; i < M * N; i++) { const v = c[i]!; c[i] = v > 0 || v !== v ? v : 0; }
  };

  /**
   * Copy the float operands in, from byte 0 on, 16-byte aligned; returns their byte offsets and
   * where the output goes (resident: the operands' and the output's own addresses).
   */
  private stage(f64: boolean, xs: readonly DataArray[], out: DataArray): number[] {
    if (this.resident) return [...xs.map((x) => this.ptr(x)), this.ptr(out)];
    const outLen = out === xs[xs.length - 1] ? 0 : out.length;
    const S = f64 ? 8 : 4;
    const offs: number[] = [];
    let at = 0;
    for (const x of xs) { offs.push(at); at = align(at + x.length * S, 16); }
    offs.push(at);
    this.heap.ensure(at + outLen * S);
    const h = this.heap.view(f64);
    xs.forEach((x, i) => h.set(x, (offs[i] ?? 0) / S));
    return offs;
  }

  /** Copy a result out of the staging area (nothing to do when resident). */
  private unstage(f64: boolean, at: number, out: DataArray): void {
    if (this.resident) return;
    const S = f64 ? 8 : 4;
    out.set(this.heap.view(f64).subarray(at / S, at / S + out.length));
  }

  /** How the WASM binary kernel runs `op` (null: the TS kernel does). */
  private binaryPlan(...[op, a, aShape, b, bShape, out, outShape]: Parameters<Backend["binary"]>) {
    const n = out.length;
    const t = kind(out);
    if (n < this.th.elementwiseMin || t === null || kind(a) !== t || kind(b) !== t || !WASM_BINARY.has(op)) return null;
    // the patterns of the training hot path: equal sizes, a scalar on either side, a row [m] over [R, m]
    const m = outShape[outShape.length - 1] ?? 1;
    let R = 1, cols = n, ra = 0, ca = 1, rb = 0, cb = 1;
    if (a.length === n && b.length === n) { /* elementwise */ }
    else if (a.length === n && b.length === 1) cb = 0;
    else if (b.length === n && a.length === 1) ca = 0;
    else if (a.length === n && b.length === m && bShape[bShape.length - 1] === m) { R = n / m; cols = m; ra = m; }
    else if (b.length === n && a.length === m && aShape[aShape.length - 1] === m) { R = n / m; cols = m; rb = m; }
    // a column [..., R, 1] along the rows of [..., R, m] (crossEntropy's backward: g[:, None] · slope)
    else if (b.length === n && isColumn(aShape, outShape)) { R = n / m; cols = m; ra = 1; ca = 0; rb = m; }
    else if (a.length === n && isColumn(bShape, outShape)) { R = n / m; cols = m; ra = m; rb = 1; cb = 0; }
    else return null;
    return { fn: this.ex[`${op}_${t}`] as BinFn, f64: t === "f64", R, cols, ra, ca, rb, cb };
  }

  readonly binary: Backend["binary"] = (op, a, aShape, b, bShape, out, outShape) => {
    const p = this.binaryPlan(op, a, aShape, b, bShape, out, outShape);
    if (p === null) { this.base.binary(op, a, aShape, b, bShape, out, outShape); return; }
    const [pa = 0, pb = 0, po = 0] = this.stage(p.f64, [a, b], out);
    p.fn(pa, p.ra, p.ca, pb, p.rb, p.cb, po, p.R, p.cols);
    this.unstage(p.f64, po, out);
  };

  private unaryFn(op: UnaryOp, x: DataArray, out: DataArray): UnFn | null {
    const t = kind(out);
    if (out.length < this.th.elementwiseMin || t === null || kind(x) !== t || !WASM_UNARY.has(op) || (op === "leakyRelu" && t === "f32")) return null;
    return this.ex[`${op}_${t}`] as UnFn;
  }

  readonly unary: Backend["unary"] = (op, x, out, param = 0) => {
    const fn = this.unaryFn(op, x, out);
    if (fn === null) { this.base.unary(op, x, out, param); return; }
    const f64 = out instanceof Float64Array;
    const [px = 0, po = 0] = this.stage(f64, [x], out);
    fn(px, po, out.length, param);
    this.unstage(f64, po, out);
  };

  /**
   * Sums over leading axes (bias gradients: [R, m] → [m]) run as SIMD column sums. Not when one
   * number remains ([R, 1]): the reference then sums in float64 and rounds once, as `sumFn` does.
   */
  private colsumFn(op: ReduceOp, x: DataArray, shape: readonly number[], axes: readonly number[], out: DataArray): ColSumFn | null {
    const t = kind(x);
    const k = axes.length;
    let leading = op === "sum" && t !== null && kind(out) === t && out.length > 1 && k > 0 && k < shape.length && x.length >= this.th.colSumMin;
    for (let i = 0; leading && i < k; i++) if (axes[i] !== i) leading = false;
    return leading && t !== null ? (this.ex[`colsum_${t}`] as ColSumFn) : null;
  }

  /** Sums to one number (the l2 penalty's Σφ², losses' means) as the reference's in-order float64 loop. */
  private sumFn(op: ReduceOp, x: DataArray, out: DataArray): SumFn | null {
    const t = kind(x);
    if (op !== "sum" || t === null || kind(out) !== t || out.length !== 1 || x.length < this.th.sumMin || x.length === 0) return null;
    return t === "f64" ? this.ex.sum_f64 : this.ex.sum_f32;
  }

  readonly reduce: Backend["reduce"] = (op, x, shape, axes, out) => {
    const sum = this.sumFn(op, x, out);
    if (sum !== null) {
      const [px = 0] = this.stage(x instanceof Float64Array, [x], out);
      out[0] = sum(px, x.length);
      return;
    }
    const fn = this.colsumFn(op, x, shape, axes, out);
    if (fn === null) { this.base.reduce(op, x, shape, axes, out); return; }
    const f64 = x instanceof Float64Array;
    const [px = 0, po = 0] = this.stage(f64, [x], out);
    fn(px, po, x.length / out.length, out.length);
    this.unstage(f64, po, out);
  };

  /**
   * Threefry-2x32 blocks (c0 + j, x1) under (k0, k1), j < n, as 2n words: a view into this
   * instance's memory, valid until its next kernel call. Null below the threshold (the caller's
   * JS loop is cheaper than the call there) and in resident mode (its memory belongs to a plan).
   */
  readonly threefry = (k0: number, k1: number, c0: number, x1: number, n: number): Uint32Array | null => {
    if (this.resident || n < this.th.threefryMin) return null;
    this.heap.ensure(align(n, 8) * 8);
    this.ex.threefry(k0 | 0, k1 | 0, c0 | 0, x1 | 0, n, 0);
    return new Uint32Array(this.ex.memory.buffer, 0, 2 * n);
  };

  /** The rare path alone (tests): the table is copied to byte 0. */
  readonly zigSlow = (k0: number, k1: number, i: number, w: number, rounds: 13 | 20 = 20): number => {
    this.heap.ensure(ZIG_KERNEL_LENGTH * 8);
    this.heap.view(true).set(ZIG_KERNEL_TABLE);
    return (rounds === 13 ? this.ex.zig_slow_13 : this.ex.zig_slow_20)(k0 | 0, k1 | 0, i | 0, w | 0, 0);
  };

  /** The fused kernel for `normal` (see kernels.wat), or null where the reference loop runs. */
  private normalFn(key: DataArray, scale: DataArray, std: DataArray, g: DataArray | null, out: DataArray, table: DataArray, rounds: 13 | 20): NormalFn | null {
    const t = kind(out);
    if (t === null || !(key instanceof Int32Array) || key.length !== 2 || !(scale instanceof Float64Array) || !(std instanceof Float64Array)
      || !(table instanceof Float64Array) || table.length !== ZIG_KERNEL_LENGTH || (g !== null && (kind(g) !== t || g.length !== out.length))) return null;
    return rounds === 13 || rounds === 20 ? this.ex[`normal_${t}_${g === null ? "normal" : "axpy"}_${rounds}`] : null;
  }

  /**
   * Normals fused with Threefry and their affine map, rare path included (kernels.wat); the
   * reference loop below (n + 1)/2 < threefryMin blocks. Memory: table | key | scale | std | g | out.
   */
  readonly normal: NonNullable<Backend["normal"]> = (key, scale, std, g, out, table, rounds = 20) => {
    const fn = this.normalFn(key, scale, std, g, out, table, rounds), n = out.length;
    if (fn === null || (!this.resident && (n + 1) >>> 1 < this.th.threefryMin)) { normalKernel(key, scale, std, g, out, table, rounds); return; }
    if (this.resident) { fn(this.ptr(key), this.ptr(scale), this.ptr(std), g === null ? 0 : this.ptr(g), this.ptr(out), this.ptr(table), n); return; }
    const f64 = out instanceof Float64Array, S = f64 ? 8 : 4;
    const pKey = table.length * 8, pG = pKey + 32, pOut = pG + (g === null ? 0 : align(n * S, 16));
    this.heap.ensure(pOut + n * S);
    const h = this.heap.view(true);
    h.set(table);
    new Int32Array(this.ex.memory.buffer, pKey, 2).set(key);
    h[pKey / 8 + 2] = scale[0]!;
    h[pKey / 8 + 3] = std[0]!;
    const v = this.heap.view(f64);
    if (g !== null) v.set(g, pG / S);
    fn(pKey, pKey + 16, pKey + 24, pG, pOut, 0, n);
    out.set(v.subarray(pOut / S, pOut / S + n));
  };

  /**
   * Bernoulli 0/1 values of the blocks (j, x1), j < n, under (k0, k1) into `out`: 1 where
   * (w0 >>> 5)·2²⁶ + (w1 >>> 6) < h·2²⁶ + l (random.ts's integer compare); false where the caller's JS loop runs.
   */
  readonly bernoulli = (k0: number, k1: number, x1: number, out: Float64Array | Float32Array, h: number, l: number): boolean => {
    const n = out.length;
    if (this.resident || n < this.th.threefryMin) return false;
    const f64 = out instanceof Float64Array;
    this.heap.ensure(align(n, 8) * (f64 ? 8 : 4));
    (f64 ? this.ex.bernoulli_f64 : this.ex.bernoulli_f32)(k0 | 0, k1 | 0, 0, x1 | 0, n, 0, h | 0, l | 0);
    out.set(this.heap.view(f64).subarray(0, n));
    return true;
  };

  /**
   * Scaled Bernoulli mask of the blocks (j, x1), j < ⌈n/2⌉, under (k0, k1) into `out`: element i is
   * `val` where word i (word i mod 2 of block ⌊i/2⌋) < cut (unsigned), else 0; false where the caller's JS loop runs.
   */
  readonly bernoulliMask = (k0: number, k1: number, x1: number, out: Float64Array | Float32Array, cut: number, val: number): boolean => {
    const n = out.length;
    if (this.resident || (n + 1) >>> 1 < this.th.threefryMin) return false;
    const f64 = out instanceof Float64Array;
    this.heap.ensure(align(n, 32) * (f64 ? 8 : 4));
    (f64 ? this.ex.bernoulli_mask_f64 : this.ex.bernoulli_mask_f32)(k0 | 0, k1 | 0, 0, x1 | 0, n, 0, cut | 0, val);
    out.set(this.heap.view(f64).subarray(0, n));
    return true;
  };

  readonly unfold: Backend["unfold"] = (x, N, C, L, w, out, padValue = 0) => {
    const t = kind(x);
    if (out.length < this.th.windowMin || t === null || kind(out) !== t) { this.base.unfold(x, N, C, L, w, out, padValue); return; }
    const f64 = t === "f64";
    const [px = 0, po = 0] = this.stage(f64, [x], out);
    (f64 ? this.ex.unfold_f64 : this.ex.unfold_f32)(px, N, C, L, w.kernel, w.stride, w.padding, w.dilation, w.outLength, po, padValue);
    this.unstage(f64, po, out);
  };

  readonly fold: Backend["fold"] = (src, N, C, L, w, acc) => {
    const t = kind(src);
    if (src.length < this.th.windowMin || t === null || kind(acc) !== t) { this.base.fold(src, N, C, L, w, acc); return; }
    const f64 = t === "f64";
    const [ps = 0, pa = 0] = this.stage(f64, [src, acc], acc);
    (f64 ? this.ex.fold_f64 : this.ex.fold_f32)(ps, N, C, L, w.kernel, w.stride, w.padding, w.dilation, w.outLength, pa);
    this.unstage(f64, pa, acc);
  };

  /**
   * Resident mode: one recorded kernel call as a closure over precomputed addresses (no checks
   * or dispatch left per call), or null to call the kernel itself.
   */
  readonly lower = (kernel: string, args: readonly unknown[]): (() => void) | null => {
    switch (kernel) {
      case "binary": return this.lowerBinary(args as Parameters<Backend["binary"]>);
      case "unary": return this.lowerUnary(args as Parameters<Backend["unary"]>);
      case "reduce": return this.lowerReduce(args as Parameters<Backend["reduce"]>);
      case "sumSquares": return this.lowerSumSquares(args as Parameters<NonNullable<Backend["sumSquares"]>>);
      case "adam": return this.lowerAdam(args as Parameters<Backend["adam"]>);
      case "normal": return this.lowerNormal(args as Parameters<NonNullable<Backend["normal"]>>);
      case "gemm": return this.lowerGemm(args as GemmArgs, undefined, false);
      case "gemmBiasAct": {
        const [a, b, bias, c, M, N, K, relu] = args as Parameters<NonNullable<Backend["gemmBiasAct"]>>;
        return this.lowerGemm([a, 0, b, 0, c, 0, M, N, K, false, false], bias, relu);
      }
      default: return null;
    }
  };

  private lowerBinary(args: Parameters<Backend["binary"]>): (() => void) | null {
    const p = this.binaryPlan(...args);
    if (p === null) return null;
    const [, a, , b, , out] = args;
    const pa = this.ptr(a), pb = this.ptr(b), po = this.ptr(out);
    return () => p.fn(pa, p.ra, p.ca, pb, p.rb, p.cb, po, p.R, p.cols);
  }

  private lowerUnary([op, x, out, param = 0]: Parameters<Backend["unary"]>): (() => void) | null {
    const fn = this.unaryFn(op, x, out);
    if (fn === null) return null;
    const px = this.ptr(x), po = this.ptr(out), n = out.length;
    return () => fn(px, po, n, param);
  }

  private lowerReduce([op, x, shape, axes, out]: Parameters<Backend["reduce"]>): (() => void) | null {
    const sum = this.sumFn(op, x, out);
    if (sum !== null) {
      const px = this.ptr(x), n = x.length;
      return () => { out[0] = sum(px, n); };
    }
    const fn = this.colsumFn(op, x, shape, axes, out);
    if (fn === null) return null;
    const px = this.ptr(x), po = this.ptr(out), R = x.length / out.length, m = out.length;
    return () => fn(px, po, R, m);
  }

  /** Resident only (eager Σx² stays in TS, like eager full sums): the SIMD kernel, same order and bits as kernels/reduce.ts. */
  private lowerSumSquares([x, out]: Parameters<NonNullable<Backend["sumSquares"]>>): (() => void) | null {
    const t = kind(x);
    if (t === null || kind(out) !== t || out.length !== 1) return null;
    const fn = t === "f64" ? this.ex.sumsq_f64 : this.ex.sumsq_f32;
    const px = this.ptr(x), n = x.length;
    return () => { out[0] = fn(px, n); };
  }

  /** Resident only: eager Adam stays in TS (staging 6 leaves in and 3 out costs what it saves). */
  private lowerAdam([m, v, g, mo, vo, uo, c1, c2, b1, b2, eps, epsRoot]: Parameters<Backend["adam"]>): (() => void) | null {
    const t = kind(g);
    if (t === null || [m, v, mo, vo, uo].some((x) => kind(x) !== t) || !(c1 instanceof Float64Array) || !(c2 instanceof Float64Array)) return null;
    const fn = t === "f64" ? this.ex.adam_f64 : this.ex.adam_f32;
    const [pm, pv, pg, pmo, pvo, puo, p1, p2] = [m, v, g, mo, vo, uo, c1, c2].map((x) => this.ptr(x)) as [number, number, number, number, number, number, number, number];
    const n = g.length;
    return () => fn(pm, pv, pg, pmo, pvo, puo, p1, p2, n, b1, 1 - b1, b2, 1 - b2, eps, epsRoot);
  }

  private lowerNormal([key, scale, std, g, out, table, rounds = 20]: Parameters<NonNullable<Backend["normal"]>>): (() => void) | null {
    const fn = this.normalFn(key, scale, std, g, out, table, rounds);
    if (fn === null) return null;
    const pk = this.ptr(key), ps = this.ptr(scale), psd = this.ptr(std), pg = g === null ? 0 : this.ptr(g), po = this.ptr(out), pt = this.ptr(table), n = out.length;
    return () => fn(pk, ps, psd, pg, po, pt, n);
  }

  private lowerGemm(args: GemmArgs, bias: DataArray | null | undefined, relu: boolean): (() => void) | null {
    const [a, , b, , c, , M, N, K] = args;
    if (!this.gemmOk(a, b, c, M, N, K) || (bias != null && bias.constructor !== a.constructor)) return null;
    return this.residentGemm(args, bias, relu);
  }
}

function wasmBackendFrom(ex: KernelExports, base: Backend, opts: WasmBackendOptions, residentScratch: number | null = null): Backend {
  const k = new WasmKernels(ex, base, opts, residentScratch);
  const backend: Backend = { ...base, name: "wasm", gemm: k.gemm, gemmBiasAct: k.gemmBiasAct, binary: k.binary, unary: k.unary, reduce: k.reduce, unfold: k.unfold, fold: k.fold, normal: k.normal };
  if (residentScratch !== null) return Object.assign(backend, { [LOWER]: k.lower });
  const copying: Backend = { ...backend, resident: (arenaBytes: number, gemms: readonly GemmShape[]) => createResidentKernels(base, opts, arenaBytes, gemms) };
  threefryOf.set(copying, k.threefry);
  bernoulliOf.set(copying, k.bernoulli);
  bernoulliMaskOf.set(copying, k.bernoulliMask);
  zigSlowOf.set(copying, k.zigSlow);
  return copying;
}

/** Threefry blocks (c0 + j, x1), j < n, under (k0, k1): 2n words, or null where the caller's JS loop runs. */
export type ThreefryBlocks = (k0: number, k1: number, c0: number, x1: number, n: number) => Uint32Array | null;

// not a Backend member: random draws are host kernels (jit replays them as recorded), only their
// bulk bit generation asks the current backend for a faster loop
const threefryOf = new WeakMap<Backend, ThreefryBlocks>();

/** @internal The WASM Threefry kernel of a backend made here (null for any other backend, e.g. the TS one). */
export function wasmThreefry(b: Backend): ThreefryBlocks | null {
  return threefryOf.get(b) ?? null;
}

/** @internal The WASM rare path of the ziggurat (for tests: it must equal ziggurat.ts's `zigguratSlow` bit for bit), or null. */
export function wasmZigguratSlow(b: Backend): ((k0: number, k1: number, i: number, w: number, rounds?: 13 | 20) => number) | null {
  return zigSlowOf.get(b) ?? null;
}

const zigSlowOf = new WeakMap<Backend, (k0: number, k1: number, i: number, w: number, rounds?: 13 | 20) => number>();

/** Bernoulli 0/1 values of blocks (j, x1) under (k0, k1) into `out` for U < h·2²⁶ + l; false where the caller's JS loop runs. */
export type BernoulliDraw = (k0: number, k1: number, x1: number, out: Float64Array | Float32Array, h: number, l: number) => boolean;

const bernoulliOf = new WeakMap<Backend, BernoulliDraw>();

/** @internal The WASM Bernoulli kernel of a backend made here (null for any other backend). */
export function wasmBernoulli(b: Backend): BernoulliDraw | null {
  return bernoulliOf.get(b) ?? null;
}

/** Scaled Bernoulli mask from one word per element (see `WasmKernels.bernoulliMask`); false where the caller's JS loop runs. */
export type BernoulliMaskDraw = (k0: number, k1: number, x1: number, out: Float64Array | Float32Array, cut: number, val: number) => boolean;

const bernoulliMaskOf = new WeakMap<Backend, BernoulliMaskDraw>();

/** @internal The WASM scaled-Bernoulli-mask kernel of a backend made here (null for any other backend). */
export function wasmBernoulliMask(b: Backend): BernoulliMaskDraw | null {
  return bernoulliMaskOf.get(b) ?? null;
}

/** Whether `shape` is `outShape` with its last axis 1 (one value per row). */
function isColumn(shape: readonly number[], outShape: readonly number[]): boolean {
  const k = outShape.length;
  if (k === 0 || shape.length !== k || shape[k - 1] !== 1) return false;
  for (let i = 0; i < k - 1; i++) if (shape[i] !== outShape[i]) return false;
  return true;
}

function sub(x: DataArray, off: number, n: number): DataArray {
  return off === 0 && x.length === n ? x : x.subarray(off, off + n);
}
