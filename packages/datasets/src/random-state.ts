import { DatasetArgumentError, assertFinite, assertInteger, describe, ownOptions } from "./errors.js";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TWO_32 = 4294967296;
const MAX_SIZE = 2 ** 31 - 1;

/** Exact copy of a {@link RandomState}'s internal state, mirroring NumPy's `RandomState.get_state()` tuple. */
export interface RandomStateSnapshot {
  /** Always `"MT19937"`, as in NumPy. */
  readonly kind: "MT19937";
  /** The 624 state words. */
  readonly key: Uint32Array;
  /** Position in `key` of the next word to temper (624 means "regenerate first"). */
  readonly pos: number;
  /** Whether a second polar-method normal is cached. */
  readonly hasGauss: boolean;
  /** The cached normal (0 when none is cached, as NumPy reports it). */
  readonly cachedGaussian: number;
}

/** Options of {@link RandomState.choice}. */
export interface ChoiceOptions {
  /** Sample with replacement (NumPy's default, `true`). */
  readonly replace?: boolean;
  /** Probabilities of each of the `n` outcomes; must be non-negative and sum to 1 (±√ε). */
  readonly p?: ArrayLike<number>;
}

/** A seed accepted by {@link RandomState}: one 32-bit integer, or a non-empty array of them. */
export type Seed = number | ArrayLike<number>;

/**
 * Port of NumPy's legacy `numpy.random.RandomState` (MT19937), reproducing its streams exactly.
 *
 * An integer seed uses `init_genrand`, an array seed `init_by_array` (so `new RandomState([s])`
 * is also the stream of Python's `random.seed(s)`, whose `random()` equals {@link randomSample}).
 * Normals use the legacy polar method with its cached second value; bounded integers use masked
 * rejection; doubles take 53 bits from two 32-bit words. Only `Math.log`/`Math.sqrt` can differ
 * from a C build of NumPy, and only in the last ulp of a normal, on rare inputs.
 */
export class RandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;
  private hasGauss = false;
  private gauss = 0;

  /** Creates a generator seeded like `np.random.RandomState(seed)`. */
  constructor(seed: Seed) {
    this.seed(seed);
  }

  /** Re-seeds exactly like NumPy's legacy `seed(seed)`; also clears the cached normal. */
  seed(seed: Seed): void {
    if (typeof seed === "number") {
      assertInteger("seed", seed, 0, 0xffffffff);
      this.initGenrand(seed);
    } else {
      const words = validateSeedArray(seed);
      this.initByArray(words);
    }
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** Copies the full state (like `get_state()`), so a stream can be resumed exactly with {@link setState}. */
  getState(): RandomStateSnapshot {
    return {
      kind: "MT19937",
      key: this.key.slice(),
      pos: this.pos,
      hasGauss: this.hasGauss,
      cachedGaussian: this.gauss,
    };
  }

  /** Restores a state captured by {@link getState} (or built from NumPy's `get_state()`). */
  setState(state: RandomStateSnapshot): void {
    if (state === null || typeof state !== "object") {
      throw new DatasetArgumentError("state", `must be a RandomStateSnapshot, got ${describe(state)}`);
    }
    if (state.kind !== "MT19937") {
      throw new DatasetArgumentError("state.kind", `must be "MT19937", got ${describe(state.kind)}`);
    }
    if (state.key == null || state.key.length !== N) {
      throw new DatasetArgumentError("state.key", `must hold ${N} words`);
    }
    for (let i = 0; i < N; i++) {
      assertInteger(`state.key[${i}]`, state.key[i], 0, 0xffffffff);
    }
    assertInteger("state.pos", state.pos, 0, N);
    if (typeof state.hasGauss !== "boolean") {
      throw new DatasetArgumentError("state.hasGauss", `must be a boolean, got ${describe(state.hasGauss)}`);
    }
    assertFinite("state.cachedGaussian", state.cachedGaussian);
    this.key.set(state.key);
    this.pos = state.pos;
    this.hasGauss = state.hasGauss;
    this.gauss = state.cachedGaussian;
  }

  /** Next raw tempered 32-bit output (what `randint(0, 2**32, dtype=np.uint32)` returns). */
  nextUint32(): number {
    if (this.pos === N) this.generate();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform double in [0, 1) from 53 random bits; with `n`, an array of `n` draws (NumPy `random_sample`). */
  randomSample(): number;
  randomSample(n: number): Float64Array;
  randomSample(n?: number): number | Float64Array;
  randomSample(n?: number): number | Float64Array {
    if (n === undefined) return this.nextDouble();
    const out = new Float64Array(checkSize(n));
    for (let i = 0; i < out.length; i++) out[i] = this.nextDouble();
    return out;
  }

  /** Alias of {@link randomSample} (NumPy `rand`, one-dimensional). */
  rand(): number;
  rand(n: number): Float64Array;
  rand(n?: number): number | Float64Array;
  rand(n?: number): number | Float64Array {
    return this.randomSample(n);
  }

  /** Standard normal by the legacy polar method (NumPy `standard_normal`). */
  standardNormal(): number;
  standardNormal(n: number): Float64Array;
  standardNormal(n?: number): number | Float64Array;
  standardNormal(n?: number): number | Float64Array {
    if (n === undefined) return this.nextGauss();
    const out = new Float64Array(checkSize(n));
    for (let i = 0; i < out.length; i++) out[i] = this.nextGauss();
    return out;
  }

  /** Alias of {@link standardNormal} (NumPy `randn`, one-dimensional). */
  randn(): number;
  randn(n: number): Float64Array;
  randn(n?: number): number | Float64Array;
  randn(n?: number): number | Float64Array {
    return this.standardNormal(n);
  }

  /** Normal with mean `loc` and standard deviation `scale`: `loc + scale·z` (NumPy legacy `normal`). */
  normal(loc: number, scale: number): number;
  normal(loc: number, scale: number, n: number): Float64Array;
  normal(loc: number, scale: number, n?: number): number | Float64Array;
  normal(loc: number, scale: number, n?: number): number | Float64Array {
    assertFinite("loc", loc);
    assertFinite("scale", scale);
    if (scale < 0) throw new DatasetArgumentError("scale", `must be non-negative, got ${scale}`);
    if (n === undefined) return loc + scale * this.nextGauss();
    const out = new Float64Array(checkSize(n));
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * this.nextGauss();
    return out;
  }

  /** Uniform on [low, high): `low + (high − low)·u` (NumPy legacy `uniform`). */
  uniform(low: number, high: number): number;
  uniform(low: number, high: number, n: number): Float64Array;
  uniform(low: number, high: number, n?: number): number | Float64Array;
  uniform(low: number, high: number, n?: number): number | Float64Array {
    assertFinite("low", low);
    assertFinite("high", high);
    const range = high - low;
    if (!Number.isFinite(range)) throw new DatasetArgumentError("high", "high − low overflows");
    if (n === undefined) return low + range * this.nextDouble();
    const out = new Float64Array(checkSize(n));
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.nextDouble();
    return out;
  }

  /**
   * Integers in [low, high) by masked rejection (NumPy legacy `randint`); `randint(n)` means [0, n).
   * Bounds must be safe integers; with `n`, returns a Float64Array of exact integers (NumPy's int64).
   */
  randint(low: number, high?: number): number;
  randint(low: number, high: number | undefined, n: number): Float64Array;
  randint(low: number, high?: number, n?: number): number | Float64Array;
  randint(low: number, high?: number, n?: number): number | Float64Array {
    let lo = low;
    let hi = high;
    if (hi === undefined) {
      hi = lo;
      lo = 0;
    }
    assertInteger("low", lo);
    assertInteger("high", hi);
    if (lo >= hi) throw new DatasetArgumentError("high", `must exceed low (low = ${lo}, high = ${hi})`);
    if (hi - lo > Number.MAX_SAFE_INTEGER) {
      throw new DatasetArgumentError("high", "high − low must not exceed 2^53 − 1");
    }
    const rng = hi - lo - 1;
    if (n === undefined) return lo + this.boundedInterval(rng);
    const out = new Float64Array(checkSize(n));
    for (let i = 0; i < out.length; i++) out[i] = lo + this.boundedInterval(rng);
    return out;
  }

  /**
   * Samples from `0..n−1` like NumPy legacy `choice(n, size, replace, p)`.
   *
   * Without `size` it returns one integer. With replacement and no `p` each draw is `randint(0, n)`;
   * without replacement it is the first `size` entries of `permutation(n)`; with `p` it inverts the
   * cumulative sum, as NumPy does, so seeded streams match draw for draw.
   */
  choice(n: number): number;
  choice(n: number, size: undefined, options?: ChoiceOptions): number;
  choice(n: number, size: number, options?: ChoiceOptions): Int32Array;
  choice(n: number, size?: number, options?: ChoiceOptions): number | Int32Array;
  choice(n: number, size?: number, options: ChoiceOptions = {}): number | Int32Array {
    assertInteger("n", n, 0, MAX_SIZE);
    if (size !== undefined) checkSize(size);
    // a misspelled key ({ replce: false }) would otherwise sample with the defaults without a word
    ownOptions(options, ["replace", "p"]);
    const replace = options.replace ?? true;
    if (typeof replace !== "boolean") {
      throw new DatasetArgumentError("replace", `must be a boolean, got ${describe(replace)}`);
    }
    if (n === 0 && size !== 0) {
      throw new DatasetArgumentError("n", "must be greater than 0 unless no samples are taken");
    }
    const p = options.p === undefined ? undefined : validateProbabilities(options.p, n);
    const count = size ?? 1;
    if (!replace && count > n) {
      throw new DatasetArgumentError("size", `cannot take ${count} samples from ${n} without replacement`);
    }

    let idx: Int32Array;
    if (replace) {
      idx = new Int32Array(count);
      if (p === undefined) {
        for (let i = 0; i < count; i++) idx[i] = this.boundedInterval(n - 1);
      } else {
        const cdf = cumulative(p);
        for (let i = 0; i < count; i++) idx[i] = searchRight(cdf, this.nextDouble());
      }
    } else if (p === undefined) {
      idx = this.permutation(n).slice(0, count);
    } else {
      idx = this.choiceWeightedWithoutReplacement(p, count);
    }
    return size === undefined ? idx[0]! : idx;
  }

  /** A random permutation of `0..n−1` by Fisher–Yates from the top (NumPy legacy `permutation(n)`). */
  permutation(n: number): Int32Array {
    assertInteger("n", n, 0, MAX_SIZE);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    this.shuffle(out);
    return out;
  }

  /** Shuffles a one-dimensional array in place, consuming the stream as NumPy legacy `shuffle` does. */
  shuffle<T>(x: { length: number; [index: number]: T }): void {
    if (!Array.isArray(x) && !(ArrayBuffer.isView(x) && !(x instanceof DataView))) throw new DatasetArgumentError("x", `must be an array or a typed array to shuffle in place, got ${describe(x)}`);
    for (let i = x.length - 1; i >= 1; i--) {
      const j = this.boundedInterval(i);
      const tmp = x[i]!;
      x[i] = x[j]!;
      x[j] = tmp;
    }
  }

  private nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  private nextGauss(): number {
    if (this.hasGauss) {
      const cached = this.gauss;
      this.hasGauss = false;
      this.gauss = 0;
      return cached;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.nextDouble() - 1;
      x2 = 2 * this.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  // NumPy's random_interval / bounded masked uint64: draws until (word & mask) <= max; max = 0 draws nothing.
  private boundedInterval(max: number): number {
    if (max === 0) return 0;
    if (max <= 0xffffffff) {
      const mask = smearRight(max);
      let v: number;
      do {
        v = (this.nextUint32() & mask) >>> 0;
      } while (v > max);
      return v;
    }
    // Ranges beyond 32 bits take a 64-bit word built high word first, as mt19937_next64 does.
    const maskHi = smearRight(Math.floor(max / TWO_32));
    let v: number;
    do {
      const hi = (this.nextUint32() & maskHi) >>> 0;
      const lo = this.nextUint32();
      v = hi * TWO_32 + lo;
    } while (v > max);
    return v;
  }

  private choiceWeightedWithoutReplacement(p: Float64Array, size: number): Int32Array {
    let nonZero = 0;
    for (let i = 0; i < p.length; i++) if (p[i]! > 0) nonZero++;
    if (nonZero < size) throw new DatasetArgumentError("p", "has fewer non-zero entries than size");
    const weights = p.slice();
    const found = new Int32Array(size);
    let nUniq = 0;
    while (nUniq < size) {
      const draws = this.randomSample(size - nUniq);
      for (let i = 0; i < nUniq; i++) weights[found[i]!] = 0;
      const cdf = cumulative(weights);
      // NumPy keeps the first occurrence of each new index, in draw order.
      const seen = new Set<number>();
      for (let i = 0; i < draws.length; i++) {
        const k = searchRight(cdf, draws[i]!);
        if (!seen.has(k)) {
          seen.add(k);
          found[nUniq++] = k;
        }
      }
    }
    return found;
  }

  private initGenrand(seed: number): void {
    const key = this.key;
    key[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = key[i - 1]!;
      key[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.pos = N;
  }

  private initByArray(initKey: Uint32Array): void {
    this.initGenrand(19650218);
    const mt = this.key;
    const len = initKey.length;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, len); k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) >>> 0) + initKey[j]! + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= len) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) >>> 0) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = N;
  }

  private generate(): void {
    const key = this.key;
    let i = 0;
    let y: number;
    for (; i < N - M; i++) {
      y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + M]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; i < N - 1; i++) {
      y = (key[i]! & UPPER_MASK) | (key[i + 1]! & LOWER_MASK);
      key[i] = key[i + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    y = (key[N - 1]! & UPPER_MASK) | (key[0]! & LOWER_MASK);
    key[N - 1] = key[M - 1]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.pos = 0;
  }
}

/** Smallest 2^k − 1 that is ≥ x, for 0 ≤ x < 2^32. */
function smearRight(x: number): number {
  let m = x >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

function checkSize(n: number): number {
  assertInteger("size", n, 0, MAX_SIZE);
  return n;
}

function validateSeedArray(seed: ArrayLike<number>): Uint32Array {
  if (seed == null || typeof seed !== "object" || typeof seed.length !== "number") {
    throw new DatasetArgumentError("seed", `must be an integer or an array of integers, got ${describe(seed)}`);
  }
  if (seed.length === 0) throw new DatasetArgumentError("seed", "array must be non-empty");
  const words = new Uint32Array(seed.length);
  for (let i = 0; i < seed.length; i++) {
    assertInteger(`seed[${i}]`, seed[i], 0, 0xffffffff);
    words[i] = seed[i]!;
  }
  return words;
}

function validateProbabilities(p: ArrayLike<number>, n: number): Float64Array {
  if (p == null || typeof p !== "object" || p.length !== n) {
    throw new DatasetArgumentError("p", `must have the same length as the population (${n})`);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = p[i];
    assertFinite(`p[${i}]`, v);
    if (v < 0) throw new DatasetArgumentError("p", "probabilities must be non-negative");
    out[i] = v;
  }
  // NumPy's tolerance: |Σp − 1| ≤ √ε, with Σ computed by Kahan summation.
  if (Math.abs(kahanSum(out) - 1) > Math.sqrt(Number.EPSILON)) {
    throw new DatasetArgumentError("p", "probabilities must sum to 1");
  }
  return out;
}

function kahanSum(a: Float64Array): number {
  if (a.length === 0) return 0;
  let sum = a[0]!;
  let c = 0;
  for (let i = 1; i < a.length; i++) {
    const y = a[i]! - c;
    const t = sum + y;
    c = t - sum - y;
    sum = t;
  }
  return sum;
}

/** NumPy's `cdf = cumsum(p); cdf /= cdf[-1]` (a sequential running sum). */
function cumulative(p: Float64Array): Float64Array {
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i]!;
    cdf[i] = acc;
  }
  const last = cdf[cdf.length - 1]!;
  for (let i = 0; i < cdf.length; i++) cdf[i] = cdf[i]! / last;
  return cdf;
}

/** `searchsorted(cdf, u, side="right")`: the first index whose value exceeds u. */
function searchRight(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
