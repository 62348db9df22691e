import { describe, expect, it } from "vitest";
import { LOG_C, SIN_C, SQRT2, TURN_STEP, boxMullerWords, cosFromSin, logOfWord, sinKernel, sincosOfWord } from "./box-muller.js";
import { getBackend, setBackend, tsBackend } from "./backend.js";
import { normal, prngKey, randomBits, threefry2x32 } from "./random.js";
import { createWasmBackend, wasmNormal } from "./wasm/wasm-backend.js";
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

describe("the normal kernel's own log and sin/cos", () => {
  it("logOfWord is within 1 ulp of Math.log((w + ½)·2⁻³²) (200 000 words and the edges)", () => {
    let worst = 0;
    for (const w of words) worst = Math.max(worst, ulps(logOfWord(w), Math.log((w + 0.5) / 4294967296)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it("sin is within 1 ulp of Math.sin and cos = √(1 − sin²) within 2 ulps of Math.cos on [−π/4, π/4]", () => {
    const pts = [0, 2 ** -30, -(2 ** -30), 1e-8, Math.PI / 4, -Math.PI / 4, 0.5, -0.7];
    for (let i = 0; i < 100_000; i++) pts.push((WORDS[i]! / 4294967296 - 0.5) * (Math.PI / 2));
    let ws = 0, wc = 0;
    for (const a of pts) {
      ws = Math.max(ws, a === 0 ? Math.abs(sinKernel(a)) : ulps(sinKernel(a), Math.sin(a)));
      wc = Math.max(wc, ulps(cosFromSin(sinKernel(a)), Math.cos(a)));
    }
    expect(ws).toBeLessThanOrEqual(1);
    expect(wc).toBeLessThanOrEqual(2);
  });

  it("sincosOfWord is cos and sin of 2π·w/2³² within 1e−15 (every quadrant and its borders)", () => {
    const cs = new Float64Array(2);
    let worst = 0;
    for (const w of words) {
      sincosOfWord(w, cs);
      const th = 2 * Math.PI * (w / 4294967296);
      worst = Math.max(worst, Math.abs(cs[0]! - Math.cos(th)), Math.abs(cs[1]! - Math.sin(th)));
    }
    // the reference's own angle rounding (ulp(2π) ≈ 8.9e−16) dominates this bound
    expect(worst).toBeLessThan(1e-15);
    sincosOfWord(0, cs);
    expect(Array.from(cs)).toEqual([1, 0]);
    sincosOfWord(0x40000000, cs);
    expect(Array.from(cs)).toEqual([-0, 1]);
  });

  it("the WASM kernel's generator uses the same constants", async () => {
    const gen = (await import("../scripts/kernels-wat.mjs" as string)) as { NORMAL_CONSTANTS: { ln2Hi: number; ln2Lo: number; lg: number[]; sin: number[]; turnStep: number; sqrt2: number } };
    const K = gen.NORMAL_CONSTANTS;
    expect([K.ln2Hi, K.ln2Lo, ...K.lg]).toEqual([LOG_C.ln2Hi, LOG_C.ln2Lo, LOG_C.lg1, LOG_C.lg2, LOG_C.lg3, LOG_C.lg4, LOG_C.lg5, LOG_C.lg6, LOG_C.lg7]);
    expect(K.sin).toEqual([...SIN_C]);
    expect([K.turnStep, K.sqrt2]).toEqual([TURN_STEP, SQRT2]);
  });
});

describe("normal draws: WASM SIMD kernel = JS loop, bit for bit", () => {
  const wasm = createWasmBackend(tsBackend, { thresholds: { threefryMin: 0 } });
  const draw = wasm === null ? null : wasmNormal(wasm);

  /** The JS loop on the JS Threefry words of blocks (j, 0x3a11). */
  function jsDraw(k0: number, k1: number, out: Float64Array | Float32Array, m: number, sd: number): void {
    const pairs = (out.length + 1) >>> 1, w = new Uint32Array(2 * pairs);
    for (let j = 0; j < pairs; j++) w.set(threefry2x32([k0, k1], [j, 0x3a11]), 2 * j);
    boxMullerWords(w, out, m, sd);
  }

  it("on thousands of draws: both dtypes, odd and even lengths, any key, mean and std", () => {
    expect(draw).not.toBeNull();
    const keys = randomBits(prngKey(7), 2 * 40);
    const lengths = [1, 2, 3, 15, 16, 17, 31, 33, 64, 101, 1000, 4099];
    let n = 0;
    for (let i = 0; i < 40; i++) {
      const k0 = i === 0 ? 0 : keys[2 * i]!, k1 = i === 1 ? 0xffffffff : keys[2 * i + 1]!;
      const len = lengths[i % lengths.length]!;
      const [m, sd] = i % 3 === 0 ? [0, 1] : i % 3 === 1 ? [1.5, 0.25] : [-3, 1e-3];
      for (const T of [Float64Array, Float32Array]) {
        const got = new T(len), ref = new T(len);
        expect(draw!(k0, k1, 0x3a11, got, m, sd)).toBe(true);
        jsDraw(k0, k1, ref, m, sd);
        expect(new Uint8Array(got.buffer)).toEqual(new Uint8Array(ref.buffer));
        n += len;
      }
    }
    expect(n).toBeGreaterThan(10_000);
  });

  it("float32 draws take the WASM kernel and are the float64 draws rounded once", () => {
    const prev = getBackend();
    try {
      setBackend(wasm!);
      const k = prngKey(31);
      const d64 = normal(k, [5001], { mean: 0.5, std: 3 }), d32 = normal(k, [5001], { mean: 0.5, std: 3, dtype: "float32" });
      expect(d32.data).toEqual(Float32Array.from(d64.data));
      expect(draw!(1, 2, 0x3a11, new Float32Array(16), 0, 1)).toBe(true);
    } finally {
      setBackend(prev);
    }
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

describe("normal: the distribution (fixed seeds)", () => {
  const n = 400_000;
  const z = Float64Array.from(normal(prngKey(101), [n]).data);

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

  it("tails: P(|z| > 2, 3, 4) within 5 standard errors; |z| never beyond √(−2 ln 2⁻³³)", () => {
    const zmax = Math.sqrt(-2 * Math.log(2 ** -33));
    let big = 0;
    for (const v of z) big = Math.max(big, Math.abs(v));
    expect(big).toBeLessThanOrEqual(zmax * (1 + 1e-15));
    for (const t of [2, 3, 4]) {
      let k = 0;
      for (const v of z) if (Math.abs(v) > t) k++;
      const p = 2 * (1 - Phi(t));
      expect(Math.abs(k / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
    // the largest radius: word 0 → x = 2⁻³³
    expect(Math.sqrt(-2 * logOfWord(0))).toBeAllclose(zmax, { rtol: 1e-15, atol: 0 });
  });

  it("pairs are uncorrelated (z₂ⱼ, z₂ⱼ₊₁) and the angle is uniform over the four quadrants", () => {
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
