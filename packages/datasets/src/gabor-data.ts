import type { Split } from "./split.js";

// (x, y) pairs as listed in notebooks 6.3 and 9.1, in that order.
// prettier-ignore
const GABOR_POINTS: readonly (readonly [number, number])[] = [
  [-1.92, -1.051], [-14.22, -0.02482], [1.49, 0.8896], [-1.94, -0.4943], [-2.389, -0.9371],
  [-5.09, 0.4306], [-8.861, 0.009577], [3.578, -0.07944], [-6.01, 0.1624], [-6.995, -0.2682],
  [3.634, -0.3129], [0.8743, 0.8303], [-10.96, -0.02365], [0.4073, 0.5098], [-9.467, -0.2777],
  [8.56, 0.3367], [10.62, 0.1927], [-0.1729, -0.2222], [10.4, 0.06352], [-12.61, 0.006888],
  [0.1574, 0.03224], [-13.04, 0.01091], [-2.156, -0.5706], [-12.1, -0.05258], [-11.19, -0.03666],
  [2.902, 0.1709], [-8.22, -0.04805], [-11.79, 0.2008], [-8.391, -0.1904], [-4.505, 0.5952],
];

/**
 * The 30-pair dataset of the Gabor model (UDL §6.1.2, eq. 6.8; notebooks 6.3 and 9.1; figs 9.1 and 9.4),
 * x ∈ [−15, 15], in the notebooks' order. It looks like φ = (0, ≈16) plus noise.
 */
export function gaborDataset(): Split<Float64Array> {
  const n = GABOR_POINTS.length;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  GABOR_POINTS.forEach(([px, py], i) => {
    x[i] = px;
    y[i] = py;
  });
  return { x, y, n, dim: 1 };
}
