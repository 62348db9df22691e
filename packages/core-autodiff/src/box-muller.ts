import type { DataArray } from "./dtype.js";

// Box–Muller on one Threefry block per pair, with our own log and sin/cos: plain IEEE-754 double
// +, −, ×, ÷, √ in a fixed order (no fma, no Math.log/cos/sin, whose last bits differ between engines),
// so this JS loop and the WASM SIMD kernel (scripts/kernels-wat.mjs, `normalWat`) give the same bits.
// Pair j comes from block (j, 0x3a11): its first word w0 sets the radius, its second w1 the angle,
//   r = √(−2 ln x), x = (w0 + ½)·2⁻³² ∈ (0, 1)     θ = 2π·w1/2³²
//   out[2j] = m + sd·(r·cos θ), out[2j+1] = m + sd·(r·sin θ)   (computed in float64, rounded once to float32).
// The largest |z| is √(−2 ln 2⁻³³) ≈ 6.77 (P(|Z| > 6.77) ≈ 1.3e−11); x and θ are on 2³² grids.

/** fdlibm's ln2 split (ln2_hi·k is exact for |k| < 2000) and its log polynomial (|error| < 2⁻⁵⁸·⁴⁵ on [0, 0.1716]). */
export const LOG_C = {
  ln2Hi: 6.93147180369123816490e-01, ln2Lo: 1.90821492927058770002e-10,
  lg1: 6.666666666666735130e-01, lg2: 3.999999999940941908e-01, lg3: 2.857142874366239149e-01, lg4: 2.222219843214978396e-01,
  lg5: 1.818357216161805012e-01, lg6: 1.531383769920937332e-01, lg7: 1.479819860511658591e-01,
} as const;
/** fdlibm's minimax sin polynomial on [−π/4, π/4]. */
export const SIN_C = [-1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04, 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10] as const;
/** 2π/2³² (one angle step; quarter turn = 2³⁰ steps). */
export const TURN_STEP = (2 * Math.PI) / 4294967296;
/** The reduction keeps the mantissa m of x in [√2/2, √2]. */
export const SQRT2 = Math.SQRT2;

// 2^−p for p = −1 … 31 (exact, by halving)
const INV_POW2 = new Float64Array(33);
for (let i = 0, v = 2; i < 33; i++, v /= 2) INV_POW2[i] = v;

const { ln2Hi, ln2Lo, lg1, lg2, lg3, lg4, lg5, lg6, lg7 } = LOG_C;
const [S1, S2, S3, S4, S5, S6] = SIN_C;

/**
 * ln x for x = (w + ½)·2⁻³² (w a uint32), fdlibm's method: x = 2^e·m with m in [√2/2, √2]
 * (found from w's leading bit: exact), f = m − 1, s = f/(2 + f), ln(1 + f) = f − (hfsq − s·(hfsq + R(s²))).
 */
export function logOfWord(w: number): number {
  const p = w === 0 ? -1 : 31 - Math.clz32(w);
  let m = (w + 0.5) * INV_POW2[p + 1]!, dk = p - 32;
  if (m > SQRT2) { m *= 0.5; dk += 1; }
  const f = m - 1, s = f / (2 + f), z = s * s, ww = z * z;
  const t1 = ww * (lg2 + ww * (lg4 + ww * lg6)), t2 = z * (lg1 + ww * (lg3 + ww * (lg5 + ww * lg7)));
  const R = t2 + t1, hfsq = 0.5 * f * f;
  return dk * ln2Hi - ((hfsq - (s * (hfsq + R) + dk * ln2Lo)) - f);
}

/** sin a for |a| ≤ π/4 (fdlibm's __kernel_sin with no tail). */
export function sinKernel(a: number): number {
  const z = a * a, v = z * a;
  return a + v * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
}

/**
 * cos a from s = sin a for |a| ≤ π/4: √(1 − s²), with 1 − s² ∈ [½, 1] (well conditioned: within 2 ulps),
 * cheaper than a second polynomial.
 */
export function cosFromSin(s: number): number {
  return Math.sqrt(1 - s * s);
}

/**
 * [cos θ, sin θ] for θ = 2π·w/2³² into `out`: the quadrant q and the remainder t ∈ [−2²⁹, 2²⁹) come
 * from w's bits (w = q·2³⁰ + t mod 2³², exact); sin a by fdlibm's kernel, cos a = √(1 − sin²a), a = t·2π/2³² ∈ [−π/4, π/4].
 */
export function sincosOfWord(w: number, out: Float64Array): void {
  const q = (w + 0x20000000) >>> 30, a = ((w - q * 0x40000000) | 0) * TURN_STEP;
  const s = sinKernel(a), c = cosFromSin(s);
  switch (q & 3) {
    case 0: out[0] = c; out[1] = s; break;
    case 1: out[0] = -s; out[1] = c; break;
    case 2: out[0] = -c; out[1] = -s; break;
    default: out[0] = s; out[1] = -c;
  }
}

const CS = new Float64Array(2);

/**
 * The JS form of the normal kernel: `out` (float64 or float32) gets m + sd·z for the standard
 * normals z of pairs j = 0, 1, … from `words` (w0, w1 of pair j at 2j, 2j + 1).
 */
export function boxMullerWords(words: Uint32Array, out: DataArray, m: number, sd: number): void {
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * logOfWord(words[i]!));
    sincosOfWord(words[i + 1]!, CS);
    out[i] = m + sd * (r * CS[0]!);
    if (i + 1 < n) out[i + 1] = m + sd * (r * CS[1]!);
  }
}
