import { describe, expect, it } from "vitest";
import { EXP_C, LOG_C, ZIG_N, ZIG_R, ZIG_TABLE, ZIG_V, ZIG_X, expNeg, logOfWord, zigguratFirst, zigguratSlow } from "./ziggurat.js";
import { getBackend, setBackend, tsBackend } from "./backend.js";
import { normal, prngKey, randomBits, threefry2x32 } from "./random.js";
import { createWasmBackend, wasmZigguratSlow } from "./wasm/wasm-backend.js";
import { threefryRounds } from "./threefry.js";
import { normalKernel } from "./kernels/normal.js";
import { ZIG_KERNEL_TABLE } from "./ziggurat.js";
import "../test/matchers.js";

const f64 = new Float64Array(1), i64 = new BigInt64Array(f64.buffer);
/** Distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  f64[0] = a; const x = i64[0]!;
  f64[0] = b; const y = i64[0]!;
  return Number(x > y ? x - y : y - x);
}

// test inputs: our own generator's words (deterministic), plus edge words
const WORDS = randomBits(prngKey(2024), 200_000);
const EDGE = [0, 1, 2, 3, 0x1fffffff, 0x20000000, 0x20000001, 0x3fffffff, 0x40000000, 0x5fffffff, 0x60000000, 0x7fffffff, 0x80000000,
  0x9fffffff, 0xa0000000, 0xbfffffff, 0xc0000000, 0xdfffffff, 0xe0000000, 0xe0000001, 0xfffffffe, 0xffffffff];
const words = [...EDGE, ...WORDS];
const f = (x: number): number => Math.exp(-0.5 * x * x);

describe("the ziggurat's tables and its own ln and exp", () => {
  it("the layer edges satisfy Marsaglia–Tsang's recurrence: every layer has area v, the base strip v = r·f(r) + tail", () => {
    expect(ZIG_X.length).toBe(ZIG_N + 1);
    expect(ZIG_X[1]).toBe(ZIG_R);
    expect(ZIG_X[ZIG_N]).toBe(0);
    expect(ZIG_X[0]! * f(ZIG_R)).toBeAllclose(ZIG_V, { rtol: 1e-14, atol: 0 });
    for (let k = 1; k < ZIG_N; k++) {
      expect(ZIG_X[k]!).toBeGreaterThan(ZIG_X[k + 1]!);
      // the top layer (k = 255) closes at f(0) = 1 only as well as r and v are rounded
      expect(ZIG_X[k]! * (f(ZIG_X[k + 1]!) - f(ZIG_X[k]!))).toBeAllclose(ZIG_V, { rtol: k === ZIG_N - 1 ? 1e-8 : 1e-12, atol: 0 });
    }
    // tail mass ∫_r^∞ e^{−x²/2} dx = √(π/2)·erfc(r/√2)
    expect(ZIG_V - ZIG_R * f(ZIG_R)).toBeAllclose(Math.sqrt(Math.PI / 2) * erfc(ZIG_R / Math.SQRT2), { rtol: 1e-9, atol: 0 });
  });

  it("the kernel table holds x_j·2⁻²⁴ and x_{j+1}; the first word's value is odd·x_j·2⁻²⁴ with |value| < x_j", () => {
    for (let j = 0; j < ZIG_N; j++) {
      expect(ZIG_TABLE[2 * j]).toBe(ZIG_X[j]! / 2 ** 24);
      expect(ZIG_TABLE[2 * j + 1]).toBe(ZIG_X[j + 1]);
    }
    let bad = 0;
    for (const w of words) {
      const z = zigguratFirst(w | 0), j = w & 255, s = 2 * ((w | 0) >> 8) + 1;
      if (!(Math.abs(s) < 2 ** 24 && z === s * ZIG_TABLE[2 * j]! && Math.abs(z) < ZIG_X[j]!)) bad++;
    }
    expect(bad).toBe(0);
  });

  it("logOfWord is within 1 ulp of Math.log((w + ½)·2⁻³²) (200 000 words and the edges)", () => {
    let worst = 0;
    for (const w of words) worst = Math.max(worst, ulps(logOfWord(w), Math.log((w + 0.5) / 4294967296)));
    expect(worst).toBeLessThanOrEqual(1);
    expect(LOG_C.ln2Hi + LOG_C.ln2Lo).toBeAllclose(Math.LN2, { rtol: 1e-16, atol: 0 });
  });

  it("expNeg is within 1 ulp of Math.exp on [−40, 0], 0 below −700", () => {
    const pts = [0, -1e-300, -1e-9, -0.5 * Math.LN2, -Math.LN2, -1, -6.677, -40];
    for (let i = 0; i < 100_000; i++) pts.push(-(WORDS[i]! / 4294967296) * (i % 2 ? 8 : 40));
    let worst = 0;
    for (const x of pts) worst = Math.max(worst, ulps(expNeg(x), Math.exp(x)));
    expect(worst).toBeLessThanOrEqual(1);
    expect(expNeg(-800)).toBe(0);
    expect(EXP_C.invLn2).toBeAllclose(1 / Math.LN2, { rtol: 1e-16, atol: 0 });
  });
});

describe("normal draws: WASM kernel + rare path = JS loop, bit for bit", () => {
  const wasm = createWasmBackend(tsBackend, { thresholds: { threefryMin: 0 } });

  const bytes = (a: Float64Array | Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

  /** normal() on a given backend. */
  function on(b: typeof tsBackend, seed: number, len: number, opts: { mean?: number; std?: number; dtype?: "float32" | "float64" }) {
    const prev = getBackend();
    try {
      setBackend(b);
      return normal(prngKey(seed), [len], opts).data as Float64Array | Float32Array;
    } finally {
      setBackend(prev);
    }
  }

  it("on thousands of draws: both dtypes, odd and even lengths, mean and std; wedge, retry and tail paths all taken", () => {
    expect(wasm).not.toBeNull();
    expect(wasm!.normal).toBeDefined();
    const lengths = [1, 2, 3, 15, 16, 17, 31, 33, 64, 101, 1000, 4099, 20_000];
    let n = 0, tails = 0, slow = 0, retries = 0;
    for (let i = 0; i < 39; i++) {
      const len = lengths[i % lengths.length]!;
      const [m, sd] = i % 3 === 0 ? [0, 1] : i % 3 === 1 ? [1.5, 0.25] : [-3, 1e-3];
      for (const dtype of ["float64", "float32"] as const) {
        const got = on(wasm!, 1000 + i, len, { mean: m, std: sd, dtype }), ref = on(tsBackend, 1000 + i, len, { mean: m, std: sd, dtype });
        expect(got.length).toBe(len);
        expect(bytes(got).every((b, k) => b === bytes(ref)[k]), `seed ${1000 + i}, ${len} ${dtype}`).toBe(true);
        n += len;
        if (dtype === "float32") continue;
        const first = randomBits(prngKey(1000 + i), len);
        for (let k = 0; k < len; k++) {
          const w = first[k]! | 0, z0 = zigguratFirst(w);
          if (Math.abs((ref[k]! - m) / sd) > ZIG_R) tails++;
          if (Math.abs(z0) >= ZIG_X[(w & 255) + 1]!) {
            slow++;
            // the fast-path value was replaced: by a wedge value (same z), a retry, or a tail value
            if (Math.abs((ref[k]! - m) / sd - z0) > 1e-6 * Math.abs(z0) + 1e-9) retries++;
          }
        }
      }
    }
    expect(n).toBeGreaterThan(10_000);
    expect(tails).toBeGreaterThan(0);
    expect(slow).toBeGreaterThan(100);
    expect(retries).toBeGreaterThan(0);
  });

  it.each([20, 13] as const)("the WASM rare path equals zigguratSlow on 20 000 forced rejections (wedges, retries, tails; many keys), Threefry-%i", (rounds) => {
    const slowW = wasmZigguratSlow(wasm!)!;
    expect(slowW).not.toBeNull();
    const buf = new Uint32Array(2);
    let tails = 0, n = 0, diff = 0;
    for (let t = 0; t < 20_000; t++) {
      const k0 = WORDS[2 * t]!, k1 = WORDS[2 * t + 1]!;
      const block = (c0: number, c1: number): Uint32Array => { threefryRounds(rounds, k0, k1, c0, c1, buf, 0); return buf; };
      // a first word outside its layer's fast region: |s| = |2·hi + 1| ≥ 2²⁴·x_{j+1}/x_j (every fifth
      // one in layer 0, the base strip, whose rejections go to the tail)
      const u = WORDS[40_000 + t]!, j = t % 5 === 0 ? 0 : u & 255, lo = Math.ceil(2 ** 23 * (ZIG_X[j + 1]! / ZIG_X[j]!));
      const hi = lo + ((u >>> 8) % (2 ** 23 - lo)), w = ((u & 0x80000000 ? -hi - 1 : hi) << 8) | j;
      const z = zigguratFirst(w);
      expect(Math.abs(z)).toBeGreaterThanOrEqual(ZIG_X[j + 1]!);
      const i = WORDS[80_000 + t]! >>> 4;
      const ref = zigguratSlow(i, j, z, block), got = slowW(k0, k1, i, w, rounds);
      if (!Object.is(ref, got)) diff++;
      if (Math.abs(ref) > ZIG_R) tails++;
      n++;
    }
    expect(diff).toBe(0);
    expect(tails).toBeGreaterThan(500);
  });

  it("Threefry-2x32-13 draws (addScaledNormal's rounds: 13): WASM = the reference loop bit for bit, both modes and dtypes", () => {
    const lengths = [1, 15, 16, 17, 100, 1000, 4099, 20_000];
    for (const [t, len] of lengths.entries()) {
      for (const dtype of ["float64", "float32"] as const) {
        const mk = () => (dtype === "float64" ? new Float64Array(len) : new Float32Array(len));
        const g = mk().map((_, i) => Math.sin(i) * 3), key = Int32Array.of(5000 + t, -t);
        for (const gg of [null, g]) {
          const ref = mk(), got = mk();
          const [a, sd] = gg === null ? [0.5, 2] : [-1e-3, 0.03];
          normalKernel(key, Float64Array.of(a), Float64Array.of(sd), gg, ref, ZIG_KERNEL_TABLE, 13);
          wasm!.normal!(key, Float64Array.of(a), Float64Array.of(sd), gg, got, ZIG_KERNEL_TABLE, 13);
          expect(bytes(got).every((b, k) => b === bytes(ref)[k]), `${len} ${dtype} ${gg === null ? "normal" : "axpy"}`).toBe(true);
        }
      }
    }
    // another generator: other numbers than the 20-round draw
    const z20 = new Float64Array(64), z13 = new Float64Array(64), one = Float64Array.of(1), zero = Float64Array.of(0);
    normalKernel(Int32Array.of(1, 2), zero, one, null, z20, ZIG_KERNEL_TABLE, 20);
    normalKernel(Int32Array.of(1, 2), zero, one, null, z13, ZIG_KERNEL_TABLE, 13);
    expect(z13.filter((v, i) => v === z20[i]).length).toBe(0);
  });

  it("sample i does not depend on how many samples are drawn (counter-based, rejections included)", () => {
    const long = on(wasm!, 77, 5000, {}), short = on(tsBackend, 77, 1234, {});
    expect(Array.from(long.subarray(0, 1234))).toEqual(Array.from(short));
  });

  it("float32 draws take the WASM kernel and are the float64 draws rounded once", () => {
    const d64 = on(wasm!, 31, 5001, { mean: 0.5, std: 3 }), d32 = on(wasm!, 31, 5001, { mean: 0.5, std: 3, dtype: "float32" });
    expect(d32).toEqual(Float32Array.from(d64));
  });
});

// Φ(x) from erf's Taylor series (|x| < 3) and erfc's continued fraction (|x| ≥ 3): ~1e−13 absolute,
// far below the KS statistic's resolution at the sample sizes here
function erf(x: number): number {
  let sum = x, term = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
    if (Math.abs(term) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
function erfc(x: number): number {
  // Lentz's method on erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))
  let f = x, C = x, D = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    D = x + a * D; D = 1 / D;
    C = x + a / C;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
const Phi = (z: number): number => {
  const x = z / Math.SQRT2;
  return Math.abs(x) < 3 ? 0.5 * (1 + erf(x)) : x > 0 ? 1 - 0.5 * erfc(x) : 0.5 * erfc(-x);
};

describe.each([20, 13] as const)("normal: the distribution (fixed seeds), Threefry-%i", (rounds) => {
  const n = 400_000;
  const z = rounds === 20 ? Float64Array.from(normal(prngKey(101), [n]).data) : new Float64Array(n);
  if (rounds === 13) getBackend().normal!(prngKey(101).data, Float64Array.of(0), Float64Array.of(1), null, z, ZIG_KERNEL_TABLE, 13);

  it("Φ is right: erf/erfc against known values", () => {
    expect(Phi(0)).toBe(0.5);
    expect(Phi(1)).toBeAllclose(0.8413447460685429, { rtol: 1e-12, atol: 0 });
    expect(Phi(-3.5)).toBeAllclose(2.326290790355250e-4, { rtol: 1e-10, atol: 0 });
    expect(1 - Phi(5)).toBeAllclose(2.866515718791939e-7, { rtol: 1e-6, atol: 0 });
  });

  it("mean 0 and variance 1 within 5 standard errors, skewness and excess kurtosis near 0", () => {
    let m = 0;
    for (const v of z) m += v;
    m /= n;
    let m2 = 0, m3 = 0, m4 = 0;
    for (const v of z) { const d = v - m; m2 += d * d; m3 += d * d * d; m4 += d * d * d * d; }
    m2 /= n; m3 /= n; m4 /= n;
    expect(Math.abs(m)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m3 / m2 ** 1.5)).toBeLessThan(5 * Math.sqrt(6 / n));
    expect(Math.abs(m4 / m2 ** 2 - 3)).toBeLessThan(5 * Math.sqrt(24 / n));
  });

  it("Kolmogorov–Smirnov against Φ: D·√n below the 0.1% critical value 1.95", () => {
    const s = Float64Array.from(z).sort();
    let D = 0;
    for (let i = 0; i < n; i++) {
      const F = Phi(s[i]!);
      D = Math.max(D, F - i / n, (i + 1) / n - F);
    }
    expect(D * Math.sqrt(n)).toBeLessThan(1.95);
  });

  it("tails: P(|z| > 2, 3, r, 4, 4.5) within 5 standard errors; |z| never beyond r + 33·ln 2/r", () => {
    const zmax = ZIG_R - logOfWord(0) / ZIG_R;
    let big = 0;
    for (const v of z) big = Math.max(big, Math.abs(v));
    expect(big).toBeLessThanOrEqual(zmax);
    expect(big).toBeGreaterThan(4.5);
    for (const t of [2, 3, ZIG_R, 4, 4.5]) {
      let k = 0;
      for (const v of z) if (Math.abs(v) > t) k++;
      const p = 2 * (1 - Phi(t));
      expect(Math.abs(k / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });

  it("the tail path alone: its draws beyond r follow the normal law conditioned on |z| > r (KS) and are bounded", () => {
    const BUF = new Uint32Array(2), m = 100_000, t = new Float64Array(m);
    const block = (c0: number, c1: number): Uint32Array => { threefryRounds(rounds, 9, 10, c0, c1, BUF, 0); return BUF; };
    // layer 0 with a first value beyond r: straight to the tail
    for (let i = 0; i < m; i++) t[i] = zigguratSlow(i, 0, i % 2 ? ZIG_R + 0.1 : -ZIG_R - 0.1, block);
    const s = Float64Array.from(t, Math.abs).sort(), q = 1 - Phi(ZIG_R);
    let D = 0;
    for (let i = 0; i < m; i++) {
      const F = 1 - (1 - Phi(s[i]!)) / q;
      D = Math.max(D, F - i / m, (i + 1) / m - F);
    }
    expect(s[0]).toBeGreaterThan(ZIG_R);
    expect(s[m - 1]).toBeLessThanOrEqual(ZIG_R - logOfWord(0) / ZIG_R);
    expect(D * Math.sqrt(m)).toBeLessThan(1.95);
    expect(t.filter((v) => v < 0).length).toBe(m / 2);
  });

  it("neighbours are uncorrelated (z₂ⱼ, z₂ⱼ₊₁ share a Threefry block) and their signs independent", () => {
    let c = 0;
    const q = [0, 0, 0, 0];
    for (let i = 0; i + 1 < n; i += 2) {
      c += z[i]! * z[i + 1]!;
      q[(z[i]! >= 0 ? 0 : 1) + (z[i + 1]! >= 0 ? 0 : 2)]!++;
    }
    expect(Math.abs(c / (n / 2))).toBeLessThan(5 / Math.sqrt(n / 2));
    for (const k of q) expect(Math.abs(k / (n / 2) - 0.25)).toBeLessThan(5 * Math.sqrt(0.1875 / (n / 2)));
  });
});
