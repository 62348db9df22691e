import { describeValue } from "@regularize/core-train";
import { BayesArgumentError, requireInteger } from "./errors.js";

/**
 * The feature map of figure 9.11 (the §1.2 "simplified network" with fixed hidden units):
 * h̃(x) = [max(0, x − 0/K), …, max(0, x − (K−1)/K), 1], the bias last as in notebook 9.4.
 * @example reluFeatures([0, 0.5, 1], 14) // 3 rows of 15 features
 */
export function reluFeatures(x: ArrayLike<number>, hiddenUnits: number): number[][] {
  if (!Array.isArray(x) && !(ArrayBuffer.isView(x) && !(x instanceof DataView))) throw new BayesArgumentError("reluFeatures", "x", `must be an array of numbers, got ${describeValue(x)}`);
  const K = requireInteger("reluFeatures", "hiddenUnits", hiddenUnits, 1);
  const rows: number[][] = [];
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (!Number.isFinite(xi)) throw new BayesArgumentError("reluFeatures", "x", `holds a non-finite value ${xi} at index ${i}`);
    const row = new Array<number>(K + 1);
    for (let k = 0; k < K; k++) row[k] = Math.max(0, xi - k / K);
    row[K] = 1;
    rows.push(row);
  }
  return rows;
}
