import { linspace, numpyMean, numpyStd } from "./numpy-numerics.js";

/** The ten processed MNIST-1D digit templates: `x` is 10×12 row-major, `t` their 12-point time axis, `y` = 0..9. */
export interface Mnist1dTemplates {
  /** Processed template values, row-major `[10, 12]`. */
  readonly x: Float64Array;
  /** Time axis `linspace(−5, 5, 12) / 6`. */
  readonly t: Float64Array;
  /** Labels 0..9. */
  readonly y: Int32Array;
  /** `[10, 12]`. */
  readonly shape: readonly [number, number];
}

/** The hand-written 12-point digit patterns of upstream `get_templates()`, before processing. */
export const MNIST1D_DIGIT_PATTERNS: readonly (readonly number[])[] = Object.freeze([
  [5, 6, 6.5, 6.75, 7, 7, 7, 7, 6.75, 6.5, 6, 5],
  [5, 3, 3, 3.4, 3.8, 4.2, 4.6, 5, 5.4, 5.8, 5, 5],
  [5, 6, 6.5, 6.5, 6, 5.25, 4.75, 4, 3.5, 3.5, 4, 5],
  [5, 6, 6.5, 6.5, 6, 5, 5, 6, 6.5, 6.5, 6, 5],
  [5, 4.4, 3.8, 3.2, 2.6, 2.6, 5, 5, 5, 5, 5, 5],
  [5, 3, 3, 3, 3, 5, 6, 6.5, 6.5, 6, 4.5, 5],
  [5, 4, 3.5, 3.25, 3, 3, 3, 3, 3.25, 3.5, 4, 5],
  [5, 7, 7, 6.6, 6.2, 5.8, 5.4, 5, 4.6, 4.2, 5, 5],
  [5, 4, 3.5, 3.5, 4, 5, 5, 4, 3.5, 3.5, 4, 5],
  [5, 4, 3.5, 3.5, 4, 5, 5, 5, 5, 4.7, 4.3, 5],
].map((row) => Object.freeze(row)));

const TEMPLATE_LEN = 12;

/**
 * Builds the processed templates exactly as upstream: per row subtract the mean, divide by the
 * population std (NumPy re-centres inside `std`, which matters for digit 5), subtract the first
 * value so each row starts at 0, divide by 6.
 */
export function mnist1dTemplates(): Mnist1dTemplates {
  const rows = MNIST1D_DIGIT_PATTERNS.length;
  const x = new Float64Array(rows * TEMPLATE_LEN);
  const row = new Float64Array(TEMPLATE_LEN);
  for (let r = 0; r < rows; r++) {
    const pattern = MNIST1D_DIGIT_PATTERNS[r]!;
    for (let i = 0; i < TEMPLATE_LEN; i++) row[i] = pattern[i]!;
    const mean = numpyMean(row);
    for (let i = 0; i < TEMPLATE_LEN; i++) row[i] = row[i]! - mean;
    const std = numpyStd(row);
    for (let i = 0; i < TEMPLATE_LEN; i++) row[i] = row[i]! / std;
    const first = row[0]!;
    for (let i = 0; i < TEMPLATE_LEN; i++) x[r * TEMPLATE_LEN + i] = (row[i]! - first) / 6;
  }
  const t = linspace(-5, 5, TEMPLATE_LEN);
  for (let i = 0; i < TEMPLATE_LEN; i++) t[i] = t[i]! / 6;
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) y[i] = i;
  return { x, t, y, shape: [rows, TEMPLATE_LEN] };
}
