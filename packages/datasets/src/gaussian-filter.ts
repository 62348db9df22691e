import { pairwiseSum } from "./numpy-numerics.js";

/**
 * Normalised Gaussian taps as `scipy.ndimage.gaussian_filter1d` builds them: radius
 * `trunc(truncate·σ + 0.5)`, weights `exp(−0.5/σ²·k²)` divided by their (pairwise) sum.
 */
export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const radius = Math.trunc(truncate * sigma + 0.5);
  const size = 2 * radius + 1;
  const phi = new Float64Array(size);
  const coeff = -0.5 / (sigma * sigma);
  for (let i = 0; i < size; i++) {
    const k = i - radius;
    phi[i] = Math.exp(coeff * (k * k));
  }
  const total = pairwiseSum(phi, 0, size);
  for (let i = 0; i < size; i++) phi[i] = phi[i]! / total;
  return phi;
}

/** Maps an index outside [0, n) onto it the way scipy's `mode="reflect"` (half-sample symmetric) does. */
function reflectIndex(i: number, n: number): number {
  const period = 2 * n;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

/**
 * `scipy.ndimage.correlate1d` with a symmetric odd kernel and `mode="reflect"`, into `out`.
 *
 * scipy detects the symmetry and accumulates `x[l]·w₀` then `(x[l−d] + x[l+d])·w_d` for d from the
 * radius down to 1; a plain dot product rounds differently, so this order is kept on purpose.
 */
export function correlateSymmetricReflect(
  x: ArrayLike<number>,
  kernel: Float64Array,
  out: Float64Array,
  n = x.length,
  scratch: Float64Array = new Float64Array(n + kernel.length - 1),
): Float64Array {
  const radius = (kernel.length - 1) >> 1;
  // A padded copy keeps the inner loop branch-free.
  for (let i = -radius; i < n + radius; i++) scratch[i + radius] = x[reflectIndex(i, n)]!;
  const w0 = kernel[radius]!;
  for (let l = 0; l < n; l++) {
    const c = l + radius;
    let acc = scratch[c]! * w0;
    for (let d = radius; d >= 1; d--) acc += (scratch[c - d]! + scratch[c + d]!) * kernel[radius - d]!;
    out[l] = acc;
  }
  return out;
}
