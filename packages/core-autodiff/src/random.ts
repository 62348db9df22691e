import { type DataArray, type FloatDType, alloc } from "./dtype.js";
import { ArgumentError, ValueError } from "./errors.js";
import { getBackend } from "./backend.js";
import { Access, guardRead, hostKernel } from "./kernel-trace.js";
import { MAX_SIZE, checkShape, sizeOf } from "./shape.js";
import { Tensor } from "./tensor.js";
import { describe, floatDTypeArg, intArg, numberArg, optionsArg } from "./validate.js";
import { wasmBernoulli, wasmBernoulliMask, wasmThreefry } from "./wasm/wasm-backend.js";
import { ZIG_KERNEL_TABLE } from "./ziggurat.js";
import { threefry } from "./threefry.js";
import { normalKernel } from "./kernels/normal.js";
import { isRecording } from "./tape.js";
import { add, astype, mul } from "./ops/elementwise.js";
import { reshape } from "./ops/shape.js";

/**
 * An explicit PRNG key (two uint32 words), JAX style: consumers `split` it instead of sharing state,
 * so results never depend on call order. Streams come from Threefry-2x32 (20 rounds) on 32-bit
 * integer arithmetic only, hence bit-identical on every platform and JS engine.
 *
 * The words live in a typed array and every derivation (`split`, `foldIn`) and draw runs as a
 * kernel on it, so a key passed to a `jit`-compiled function is a runtime input like a tensor:
 * a replay with another key draws other numbers without recording again.
 */
export class PRNGKey {
  /** @internal The two words (uint32 bit patterns stored as int32). */
  readonly data: Int32Array;
  /** @internal */
  constructor(k0: number, k1: number);
  /** @internal */
  constructor(data: Int32Array);
  constructor(a: number | Int32Array, k1 = 0) {
    if (typeof a === "number") {
      intArg("PRNGKey", "k0", a, -(2 ** 31), 2 ** 32 - 1);
      intArg("PRNGKey", "k1", k1, -(2 ** 31), 2 ** 32 - 1);
      this.data = new Int32Array(2);
      this.data[0] = a;
      this.data[1] = k1;
    } else {
      if (!(a instanceof Int32Array) || a.length !== 2) throw new ArgumentError("PRNGKey", `needs two words (numbers, or an Int32Array of 2), got ${describe(a)}`);
      this.data = a;
    }
  }
  /** First word (reading it inside a `jit` recording of a traced key throws: it would freeze the key). */
  get k0(): number {
    guardRead("PRNGKey.k0", this.data);
    return this.data[0]! >>> 0;
  }
  /** Second word. */
  get k1(): number {
    guardRead("PRNGKey.k1", this.data);
    return this.data[1]! >>> 0;
  }
  toString(): string {
    return `PRNGKey(${this.k0}, ${this.k1})`;
  }
}

const { Read: R, Write: W } = Access;
const RW = [R, W];

/**
 * @internal One Threefry-2x32-20 block on (counter0, counter1) under (key0, key1), as Random123's
 * `threefry2x32` (exported for the known-answer test; not part of the public index).
 */
export function threefry2x32(key: readonly [number, number], counter: readonly [number, number]): [number, number] {
  for (const [name, v] of [["key", key], ["counter", counter]] as const) {
    if (!Array.isArray(v) || v.length !== 2) throw new ArgumentError("threefry2x32", `${name} must be a pair of integers, got ${describe(v)}`);
    v.forEach((w, i) => intArg("threefry2x32", `${name}[${i}]`, w));
  }
  const out = new Uint32Array(2);
  threefry(key[0] >>> 0, key[1] >>> 0, counter[0] >>> 0, counter[1] >>> 0, out, 0);
  return [out[0]!, out[1]!];
}

/** A key from an integer seed (0 ≤ seed < 2⁵³). */
export function prngKey(seed: number): PRNGKey {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new ValueError("prngKey", `seed must be a non-negative safe integer, got ${typeof seed === "number" ? seed : describe(seed)}`);
  return new PRNGKey(Math.floor(seed / 4294967296) >>> 0, seed >>> 0);
}

/** `n` new independent keys derived from `key`. */
export function split(key: PRNGKey, n = 2): PRNGKey[] {
  keyArg("split", key);
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) throw new ValueError("split", `n must be a positive integer, got ${describe(n)}`);
  intArg("split", "n", n, 1, MAX_SIZE);
  const outs: Int32Array[] = Array.from({ length: n }, () => new Int32Array(2));
  hostKernel("split", splitKernel, [key.data, ...outs], [R, ...outs.map(() => W)]);
  return outs.map((o) => new PRNGKey(o));
}

const BUF = new Uint32Array(2);

function splitKernel(kw: DataArray, ...outs: DataArray[]): void {
  writeKeys(kw, 0x5eed, outs);
}

/** outs[i] = threefry(key, (tag, i)): split's and foldInRange's keys (module level, nothing captured). */
function writeKeys(kw: DataArray, tag: number, outs: DataArray[]): void {
  const k0 = kw[0]! >>> 0, k1 = kw[1]! >>> 0;
  for (let i = 0; i < outs.length; i++) {
    threefry(k0, k1, tag, i, BUF, 0);
    outs[i]![0] = BUF[0]! | 0;
    outs[i]![1] = BUF[1]! | 0;
  }
}

/** A key derived from `key` and an integer (step number, example index, stream name hash...). */
export function foldIn(key: PRNGKey, data: number): PRNGKey {
  keyArg("foldIn", key);
  if (typeof data !== "number") throw new ArgumentError("foldIn", `data must be an integer, got ${describe(data)}`);
  if (!Number.isInteger(data)) throw new ValueError("foldIn", `data must be an integer, got ${data}`);
  const d = data >>> 0;
  const out = new Int32Array(2);
  hostKernel("foldIn", (kw: DataArray, o: DataArray) => {
    threefry(kw[0]! >>> 0, kw[1]! >>> 0, 0xf01d, d, BUF, 0);
    o[0] = BUF[0]! | 0;
    o[1] = BUF[1]! | 0;
  }, [key.data, out], RW);
  return new PRNGKey(out);
}

/**
 * `[foldIn(key, 0), …, foldIn(key, n − 1)]`, the same keys, in one kernel (one recorded op instead of
 * n: e.g. one key per parameter leaf in a compiled step).
 */
export function foldInRange(key: PRNGKey, n: number): PRNGKey[] {
  keyArg("foldInRange", key);
  intArg("foldInRange", "n", n, 1, MAX_SIZE);
  const outs: Int32Array[] = Array.from({ length: n }, () => new Int32Array(2));
  hostKernel("foldInRange", foldInRangeKernel, [key.data, ...outs], [R, ...outs.map(() => W)]);
  return outs.map((o) => new PRNGKey(o));
}

function foldInRangeKernel(kw: DataArray, ...outs: DataArray[]): void {
  writeKeys(kw, 0xf01d, outs);
}

/** A key derived from `key` and a string (e.g. a plugin name), via FNV-1a. */
export function foldInString(key: PRNGKey, name: string): PRNGKey {
  keyArg("foldInString", key);
  if (typeof name !== "string") throw new ArgumentError("foldInString", `name must be a string, got ${describe(name)}`);
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return foldIn(key, h);
}

/** `n` raw 32-bit words from `key` (counter mode). */
export function randomBits(key: PRNGKey, n: number): Uint32Array {
  keyArg("randomBits", key);
  intArg("randomBits", "n", n, 0, MAX_SIZE);
  return bitsOf(key.k0, key.k1, n);
}

function bitsOf(k0: number, k1: number, n: number): Uint32Array {
  const w = wasmBlocks(k0, k1, (n + 1) >>> 1);
  if (w !== null) return w.slice(0, n);
  const out = new Uint32Array(n + (n & 1));
  for (let i = 0; i < out.length; i += 2) threefry(k0, k1, i >>> 1, 0x3a11, out, i);
  return n & 1 ? out.subarray(0, n) : out;
}

/**
 * Blocks (i, 0x3a11), i < n, as 2n words from the current backend's WASM kernel (bit-identical to
 * `threefry`; a view valid until the next kernel call), or null: the JS loop runs (TS backend,
 * short runs).
 */
function wasmBlocks(k0: number, k1: number, n: number): Uint32Array | null {
  const fill = wasmThreefry(getBackend());
  return fill === null ? null : fill(k0, k1, 0, 0x3a11, n);
}

/** `n` uniform doubles in [0, 1) with 53 random bits each, from the key words `kw` (inside a kernel). */
function uniform01(kw: DataArray, n: number): Float64Array {
  const k0 = kw[0]! >>> 0, k1 = kw[1]! >>> 0;
  const bits = wasmBlocks(k0, k1, n) ?? bitsOf(k0, k1, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((bits[2 * i]! >>> 5) * 67108864 + (bits[2 * i + 1]! >>> 6)) / 9007199254740992;
  return out;
}

/** Options of random draws. */
export interface RandomOptions {
  readonly dtype?: FloatDType;
}

/** Uniform samples in [minval, maxval). */
export function uniform(key: PRNGKey, shape: readonly number[], opts: RandomOptions & { minval?: number; maxval?: number } = {}): Tensor {
  keyArg("uniform", key);
  const s = checkShape("uniform", shape);
  optionsArg("uniform", opts, ["dtype", "minval", "maxval"]);
  const lo = opts.minval === undefined ? 0 : numberArg("uniform", "minval", opts.minval), hi = opts.maxval === undefined ? 1 : numberArg("uniform", "maxval", opts.maxval);
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new ValueError("uniform", `need finite minval ≤ maxval, got ${lo}, ${hi}`);
  const dtype = floatDTypeArg("uniform", "dtype", opts.dtype, "float64");
  const out = alloc(dtype, sizeOf(s));
  // lo + (hi − lo)·u can round up to hi (always possible in float32, rarely in float64); such
  // values become the largest representable number below hi so the interval stays half-open
  const top = hi > lo ? nextBelow(hi, dtype) : lo;
  hostKernel("uniform", (kw: DataArray, o: DataArray) => {
    const u = uniform01(kw, o.length);
    for (let i = 0; i < u.length; i++) {
      o[i] = lo + (hi - lo) * u[i]!;
      if (o[i]! >= hi && hi > lo) o[i] = top;
    }
  }, [key.data, out], RW);
  return new Tensor(out, s, dtype);
}

/** The largest float64 (or float32) strictly below x. */
function nextBelow(x: number, dtype: FloatDType): number {
  if (dtype === "float32") {
    const f = new Float32Array([x]), b = new Int32Array(f.buffer);
    if (f[0]! >= x) b[0] = f[0] === 0 ? -2147483647 : f[0]! > 0 ? b[0]! - 1 : b[0]! + 1; // 0 → −(smallest subnormal)
    return f[0]!;
  }
  const f = new Float64Array([x]), b = new BigInt64Array(f.buffer);
  b[0] = x === 0 ? -9223372036854775807n : x > 0 ? b[0]! - 1n : b[0]! + 1n;
  return f[0]!;
}

/**
 * Standard normal samples, scaled by `std` and shifted by `mean`: a 256-layer ziggurat, counter-based
 * (sample i starts from word i of `randomBits`, its rare rejections draw blocks of their own) with the
 * package's own ln and exp, so every machine and backend gives the same bits (see README "How `normal` draws").
 */
export function normal(key: PRNGKey, shape: readonly number[], opts: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  keyArg("normal", key);
  const s = checkShape("normal", shape);
  optionsArg("normal", opts, ["dtype", "mean", "std"]);
  const m = opts.mean === undefined ? 0 : numberArg("normal", "mean", opts.mean), sd = opts.std === undefined ? 1 : numberArg("normal", "std", opts.std, { min: 0 });
  const dtype = floatDTypeArg("normal", "dtype", opts.dtype, "float64");
  const out = alloc(dtype, sizeOf(s));
  runNormal(key.data, Float64Array.of(m), Float64Array.of(sd), null, out);
  return new Tensor(out, s, dtype);
}

/** The backend's `normal` kernel (recorded by jit as one), or the reference loop as a host kernel. */
function runNormal(kw: Int32Array, scale: Float64Array, std: Float64Array, g: DataArray | null, out: DataArray, rounds: 13 | 20 = 20): void {
  const b = getBackend();
  if (b.normal !== undefined) b.normal(kw, scale, std, g, out, ZIG_KERNEL_TABLE, rounds);
  else if (g === null) hostKernel("normal", (k: DataArray, a: DataArray, sd: DataArray, o: DataArray) => normalKernel(k, a, sd, null, o, ZIG_KERNEL_TABLE, rounds), [kw, scale, std, out], [R, R, R, W]);
  else hostKernel("normal", (k: DataArray, a: DataArray, sd: DataArray, x: DataArray, o: DataArray) => normalKernel(k, a, sd, x, o, ZIG_KERNEL_TABLE, rounds), [kw, scale, std, g, out], [R, R, R, R, W]);
}

/** Options of {@link addScaledNormal}. */
export interface AddScaledNormalOptions {
  /**
   * Rounds of the Threefry-2x32 generator under the draw: 20 (default: the library's, z is exactly
   * `normal`'s draw) or 13 (Threefry-2x32-13, Random123's "Crush-resistant" variant: ~35% cheaper words,
   * without the 20 rounds' safety margin; other numbers from the same key).
   */
  readonly rounds?: 13 | 20;
}

/**
 * scale·x + std·z with z = `normal(key, x.shape, { dtype: x.dtype })`, in one pass that never stores
 * z: bit for bit `add(mul(x, scale), mul(z, std))` (float32: scale, std and z rounded to float32, every
 * product and the sum rounded as those ops round them). `scale` and `std` are numbers or float64 scalar
 * tensors (runtime values of a `jit` replay, e.g. from `pureCallback`); `opts.rounds` picks the generator. Langevin-type updates
 * (a gradient step plus injected noise) use it; differentiable in x (it then runs the composed ops).
 * @example const noisy = addScaledNormal(prngKey(0), grad, -0.01, Math.sqrt(2 * 0.01));
 */
export function addScaledNormal(key: PRNGKey, x: Tensor, scale: number | Tensor, std: number | Tensor, opts: AddScaledNormalOptions = {}): Tensor {
  const op = "addScaledNormal";
  keyArg(op, key);
  optionsArg(op, opts, ["rounds"]);
  const rounds = opts.rounds ?? 20;
  if (rounds !== 13 && rounds !== 20) throw new ValueError(op, `rounds must be 13 or 20, got ${describe(rounds)}`);
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `x must be a Tensor, got ${describe(x)}`);
  if (x.dtype !== "float32" && x.dtype !== "float64") throw new ValueError(op, `x must be a float32 or float64 tensor, got ${x.dtype}`);
  const arr = (name: string, v: number | Tensor): Float64Array => {
    if (v instanceof Tensor) {
      if (v.size !== 1 || v.dtype !== "float64") throw new ValueError(op, `${name} as a tensor must be a float64 scalar, got ${v.dtype} [${v.shape.join(", ")}]`);
      return v.data as Float64Array;
    }
    return Float64Array.of(numberArg(op, name, v));
  };
  const a = arr("scale", scale), sd = arr("std", std);
  if (isRecording() && x.node !== null) {
    const k = (v: number | Tensor): number | Tensor => (v instanceof Tensor ? astype(reshape(v, []), x.dtype) : v);
    const z = alloc(x.dtype, x.size);
    runNormal(key.data, Float64Array.of(0), Float64Array.of(1), null, z, rounds);
    return add(mul(x, k(scale)), mul(new Tensor(z, x.shape, x.dtype), k(std)));
  }
  const out = alloc(x.dtype, x.size);
  runNormal(key.data, a, sd, x.data, out, rounds);
  return new Tensor(out, x.shape, x.dtype);
}

// uniform01's draws without its arrays: sample i is block (i, 0x3a11)'s two words
function bernoulliKernel(kw: DataArray, o: DataArray, p: number): void {
  const k0 = kw[0]! >>> 0, k1 = kw[1]! >>> 0, n = o.length;
  // the WASM kernel compares integers inside its Threefry loop and writes the values: u = U / 2⁵³ < p
  // ⇔ U < C = ⌈p·2⁵³⌉ (U an integer; the scaling is exact); with U = hi·2²⁶ + lo and C = H·2²⁶ + L,
  // hi < H, or hi = H and lo < L
  const draw = wasmBernoulli(getBackend());
  if (draw !== null && (o instanceof Float32Array || o instanceof Float64Array)) {
    const C = Math.ceil(p * 9007199254740992), H = Math.floor(C / 67108864);
    if (draw(k0, k1, 0x3a11, o, H, C - H * 67108864)) return;
  }
  for (let i = 0; i < n; i++) {
    threefry(k0, k1, i, 0x3a11, BUF, 0);
    o[i] = ((BUF[0]! >>> 5) * 67108864 + (BUF[1]! >>> 6)) / 9007199254740992 < p ? 1 : 0;
  }
}

/** 1 with probability p, else 0 (float). */
export function bernoulli(key: PRNGKey, p: number, shape: readonly number[], opts: RandomOptions = {}): Tensor {
  keyArg("bernoulli", key);
  numberArg("bernoulli", "p", p, { min: 0, max: 1 });
  const s = checkShape("bernoulli", shape);
  optionsArg("bernoulli", opts, ["dtype"]);
  const dtype = floatDTypeArg("bernoulli", "dtype", opts.dtype, "float64");
  const out = alloc(dtype, sizeOf(s));
  hostKernel("bernoulli", (kw: DataArray, o: DataArray) => bernoulliKernel(kw, o, p), [key.data, out], RW);
  return new Tensor(out, s, dtype);
}

/**
 * `value` with probability p, else 0: a scaled Bernoulli mask (inverted dropout's m/(1 − rate) with
 * value 1/(1 − rate)). Element i is `value` where word i of `randomBits(key, n)` is < p·2³²: one
 * 32-bit word per element, half the Threefry blocks of {@link bernoulli} (53 bits per element), p
 * resolved to 2⁻³². `value` is rounded to the dtype; the zeros are +0.
 * @example bernoulliMask(prngKey(0), 0.9, [10, 100], { dtype: "float32", value: 1 / 0.9 })
 */
export function bernoulliMask(key: PRNGKey, p: number, shape: readonly number[], opts: RandomOptions & { value?: number } = {}): Tensor {
  keyArg("bernoulliMask", key);
  numberArg("bernoulliMask", "p", p, { min: 0, max: 1 });
  const s = checkShape("bernoulliMask", shape);
  optionsArg("bernoulliMask", opts, ["dtype", "value"]);
  const value = opts.value === undefined ? 1 : numberArg("bernoulliMask", "value", opts.value);
  const dtype = floatDTypeArg("bernoulliMask", "dtype", opts.dtype, "float64");
  const out = alloc(dtype, sizeOf(s));
  hostKernel("bernoulliMask", (kw: DataArray, o: DataArray) => bernoulliMaskKernel(kw, o as Float64Array | Float32Array, p, value), [key.data, out], RW);
  return new Tensor(out, s, dtype);
}

// word w (uniform on 0…2³²−1) keeps when w < p·2³² ⇔ w < ⌈p·2³²⌉ (the scaling is exact); a cut of 2³² keeps all
function bernoulliMaskKernel(kw: DataArray, o: Float64Array | Float32Array, p: number, value: number): void {
  const k0 = kw[0]! >>> 0, k1 = kw[1]! >>> 0, n = o.length;
  const cut = Math.ceil(p * 4294967296);
  if (cut >= 4294967296) {
    o.fill(value);
    return;
  }
  const draw = wasmBernoulliMask(getBackend());
  if (draw !== null && draw(k0, k1, 0x3a11, o, cut, value)) return;
  for (let j = 0; 2 * j < n; j++) {
    threefry(k0, k1, j, 0x3a11, BUF, 0);
    o[2 * j] = BUF[0]! < cut ? value : 0;
    if (2 * j + 1 < n) o[2 * j + 1] = BUF[1]! < cut ? value : 0;
  }
}

/** Uniform integers in [lo, hi) as int32. */
export function randint(key: PRNGKey, shape: readonly number[], lo: number, hi: number): Tensor {
  keyArg("randint", key);
  // int32 results: the range must fit, or values would wrap around to negative numbers
  intArg("randint", "lo", lo, -2147483648, 2147483647);
  intArg("randint", "hi", hi, -2147483647, 2147483648);
  if (hi <= lo) throw new ValueError("randint", `need integers lo < hi, got ${lo}, ${hi}`);
  const s = checkShape("randint", shape);
  const out = new Int32Array(sizeOf(s));
  hostKernel("randint", (kw: DataArray, o: DataArray) => {
    const u = uniform01(kw, o.length);
    for (let i = 0; i < u.length; i++) o[i] = lo + Math.floor(u[i]! * (hi - lo));
  }, [key.data, out], RW);
  return new Tensor(out, s, "int32");
}

/** A uniformly random permutation of 0…n−1 (int32), by Fisher–Yates. */
export function permutation(key: PRNGKey, n: number): Tensor {
  keyArg("permutation", key);
  intArg("permutation", "n", n, 0, MAX_SIZE);
  const out = new Int32Array(n);
  hostKernel("permutation", (kw: DataArray, o: DataArray) => {
    const u = uniform01(kw, n);
    for (let i = 0; i < n; i++) o[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(u[i]! * (i + 1));
      const t = o[i]!;
      o[i] = o[j]!;
      o[j] = t;
    }
  }, [key.data, out], RW);
  return new Tensor(out, [n], "int32");
}

/** `v` as a PRNGKey, or an ArgumentError naming `op`. */
function keyArg(op: string, v: unknown): PRNGKey {
  if (v instanceof PRNGKey) return v;
  throw new ArgumentError(op, `key must be a PRNGKey (from prngKey(seed)), got ${describe(v)}`);
}
