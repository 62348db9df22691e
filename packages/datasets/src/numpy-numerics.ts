import { DatasetArgumentError, assertInteger, describe } from "./errors.js";
/**
 * NumPy's float64 arithmetic for the few operations whose rounding decides bit-exactness:
 * `linspace`, `interp`, and the pairwise summation behind `sum`/`mean`/`std`.
 * Each function follows NumPy's evaluation order, not just its mathematical result.
 */

/** NumPy's buffer size: whole-array reductions sum blocks of this many elements, then add the block sums. */
const REDUCTION_BLOCK = 8192;
/** Below this many elements pairwise summation stops recursing. */
const PAIRWISE_BLOCK = 128;

/** `np.linspace(start, stop, num)`: `i·step + start` with the last element forced to `stop`. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  // 2**27 float64 = 1 GiB: beyond that the allocation itself would fail with a bare RangeError.
  for (const [name, v] of [["start", start], ["stop", stop]] as const) {
    if (typeof v !== "number") throw new DatasetArgumentError(name, `must be a number, got ${describe(v)}`);
  }
  assertInteger("num", num, 0, 2 ** 27);
  const out = new Float64Array(num);
  if (num === 0) return out;
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * `np.interp(x, xp, fp)` for ascending `x` and strictly ascending `xp`, written into `out`.
 *
 * For each x it finds the last knot with xp[j] ≤ x; exact knot hits and the last knot return fp[j],
 * everything else `slope·(x − xp[j]) + fp[j]`. Outside the range the end values are used.
 * A forward-moving bracket gives the same j as NumPy's binary search because x is sorted.
 * Results go to `out[outOffset ..]` so callers can fill rows of a large array without views.
 */
export function interpSorted(
  x: ArrayLike<number>,
  xp: ArrayLike<number>,
  fp: ArrayLike<number>,
  out: Float64Array,
  xpLength = xp.length,
  outOffset = 0,
): Float64Array {
  const last = xpLength - 1;
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    const xv = x[i]!;
    const o = outOffset + i;
    if (xv < xp[0]!) {
      out[o] = fp[0]!;
      continue;
    }
    while (j < last && xp[j + 1]! <= xv) j++;
    if (j === last || xp[j]! === xv) {
      out[o] = fp[j]!;
    } else {
      const slope = (fp[j + 1]! - fp[j]!) / (xp[j + 1]! - xp[j]!);
      out[o] = slope * (xv - xp[j]!) + fp[j]!;
    }
  }
  return out;
}

/** NumPy's `pairwise_sum` over `a[start .. start+n)`: 8 interleaved accumulators, halving above 128 elements. */
export function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i]!;
    return res;
  }
  if (n <= PAIRWISE_BLOCK) {
    let r0 = a[start]!;
    let r1 = a[start + 1]!;
    let r2 = a[start + 2]!;
    let r3 = a[start + 3]!;
    let r4 = a[start + 4]!;
    let r5 = a[start + 5]!;
    let r6 = a[start + 6]!;
    let r7 = a[start + 7]!;
    const whole = n - (n % 8);
    let i = 8;
    for (; i < whole; i += 8) {
      const k = start + i;
      r0 += a[k]!;
      r1 += a[k + 1]!;
      r2 += a[k + 2]!;
      r3 += a[k + 3]!;
      r4 += a[k + 4]!;
      r5 += a[k + 5]!;
      r6 += a[k + 6]!;
      r7 += a[k + 7]!;
    }
    // prettier-ignore
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < n; i++) res += a[start + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** `np.sum` of a whole contiguous float64 array: pairwise within 8192-element blocks, blocks added in order. */
export function numpySum(a: ArrayLike<number>): number {
  let res = 0;
  for (let start = 0; start < a.length; start += REDUCTION_BLOCK) {
    res += pairwiseSum(a, start, Math.min(REDUCTION_BLOCK, a.length - start));
  }
  return res;
}

/** `np.mean` of a whole contiguous float64 array. */
export function numpyMean(a: ArrayLike<number>): number {
  return numpySum(a) / a.length;
}

/** `np.std` (population, ddof 0) of a whole array: re-centres on its own mean, then √(Σd²/n). */
export function numpyStd(a: ArrayLike<number>): number {
  const mean = numpyMean(a);
  const sq = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - mean;
    sq[i] = d * d;
  }
  return Math.sqrt(numpySum(sq) / a.length);
}
