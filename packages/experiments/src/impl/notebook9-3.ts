import { Tensor } from "@regularize/core-autodiff";
import { RandomState, linspace, makeToyData, trueFunction } from "@regularize/datasets";
import { bootstrapMembers, mean, median } from "@regularize/ensemble";

/** The result of notebook 9.3 (and the data of figure 9.7's panels). */
export interface Notebook93Result {
  readonly singleMse: number;
  /** MSE of each bootstrap member, in draw order. */
  readonly memberMse: number[];
  readonly medianMse: number;
  readonly meanMse: number;
  /** Each member's bootstrap indices (NumPy's choice order, not sorted). */
  readonly indices: number[][];
}

/** Everything the figure draws: the data, the 100-point grid, the true function and every curve. */
export interface Notebook93Curves extends Notebook93Result {
  readonly x: number[];
  readonly y: number[];
  readonly grid: number[];
  readonly truth: number[];
  readonly single: number[];
  readonly members: number[][];
  readonly median: number[];
  readonly mean: number[];
}

const K = 14;
const RIDGE = 1e-5;

/**
 * The §1.2 model f(x) = β + Σ_k ω_k·ReLU(x − k/K) fitted in closed form as the notebook does:
 * φ = (AᵀA + R)⁻¹Aᵀy with R = 1e-5·I except R₀₀ = 0 (no ridge on the bias β; bias first).
 *
 * With the tiny ridge, bootstrap resamples make AᵀA + R ill-conditioned (cond ≈ 1e6–1e8), so any
 * double-precision solve — NumPy's `inv` included — is off by up to a few 1e-10 in the MSE, each
 * in its own way. We return the exact solution instead (to ~1e-16): AᵀA, Aᵀy and the residuals in
 * double-double arithmetic, LU corrections in double (mixed-precision iterative refinement).
 */
export function fitClosedForm(x: ArrayLike<number>, y: ArrayLike<number>, k = K, ridge = RIDGE): Float64Array {
  const n = x.length, p = k + 1;
  const A = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    A[i * p] = 1;
    for (let j = 1; j <= k; j++) A[i * p + j] = Math.max(0, x[i]! - (j - 1) / k);
  }
  // M = AᵀA + R and b = Aᵀy as double-double (hi, lo) pairs: exact up to ~1e-32 relative
  const Mh = new Float64Array(p * p), Ml = new Float64Array(p * p), bh = new Float64Array(p), bl = new Float64Array(p);
  const acc = new DD();
  for (let a = 0; a < p; a++) {
    for (let c = a; c < p; c++) {
      acc.reset();
      for (let i = 0; i < n; i++) acc.addProduct(A[i * p + a]!, A[i * p + c]!);
      if (a === c && a > 0) acc.add(ridge);
      Mh[a * p + c] = Mh[c * p + a] = acc.hi;
      Ml[a * p + c] = Ml[c * p + a] = acc.lo;
    }
    acc.reset();
    for (let i = 0; i < n; i++) acc.addProduct(A[i * p + a]!, y[i]!);
    bh[a] = acc.hi;
    bl[a] = acc.lo;
  }
  const lu = luFactor(Mh, p);
  const phiH = luSolve(lu, bh, p), phiL = new Float64Array(p);
  for (let it = 0; it < 30; it++) {
    // r = b − M·φ in double-double, with φ = phiH + phiL
    const r = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      acc.reset();
      acc.add(bh[a]!);
      acc.add(bl[a]!);
      for (let c = 0; c < p; c++) {
        const mh = Mh[a * p + c]!, ml = Ml[a * p + c]!;
        acc.addProduct(-mh, phiH[c]!);
        acc.addProduct(-mh, phiL[c]!);
        acc.addProduct(-ml, phiH[c]!);
      }
      r[a] = acc.hi + acc.lo;
    }
    const d = luSolve(lu, r, p);
    let moved = 0;
    for (let c = 0; c < p; c++) {
      const s = twoSum(phiH[c]!, phiL[c]! + d[c]!);
      moved = Math.max(moved, Math.abs(d[c]!) / (Math.abs(phiH[c]!) + 1e-300));
      phiH[c] = s[0];
      phiL[c] = s[1];
    }
    if (moved < 1e-32) break;
  }
  return Float64Array.from(phiH, (h, c) => h + phiL[c]!);
}

function twoSum(a: number, b: number): [number, number] {
  const s = a + b, bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

const SPLIT = 134217729; // 2^27 + 1 (Dekker)

function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return [p, al * bl - (((p - ah * bh) - al * bh) - ah * bl)];
}

/** A double-double accumulator. */
class DD {
  hi = 0;
  lo = 0;
  reset(): void {
    this.hi = 0;
    this.lo = 0;
  }
  add(v: number): void {
    const [s, e] = twoSum(this.hi, v);
    const [h, l] = twoSum(s, e + this.lo);
    this.hi = h;
    this.lo = l;
  }
  addProduct(a: number, b: number): void {
    const [pv, pe] = twoProd(a, b);
    const [s, e] = twoSum(this.hi, pv);
    const [h, l] = twoSum(s, e + this.lo + pe);
    this.hi = h;
    this.lo = l;
  }
}

/** LU with partial pivoting of a p×p row-major matrix (copy). */
function luFactor(m: Float64Array, p: number): { lu: Float64Array; piv: Int32Array } {
  const lu = Float64Array.from(m), piv = Int32Array.from({ length: p }, (_, i) => i);
  for (let c = 0; c < p; c++) {
    let r = c;
    for (let i = c + 1; i < p; i++) if (Math.abs(lu[i * p + c]!) > Math.abs(lu[r * p + c]!)) r = i;
    if (r !== c) {
      for (let j = 0; j < p; j++) {
        const t = lu[c * p + j]!;
        lu[c * p + j] = lu[r * p + j]!;
        lu[r * p + j] = t;
      }
      const t = piv[c]!;
      piv[c] = piv[r]!;
      piv[r] = t;
    }
    const d = lu[c * p + c]!;
    if (d === 0) throw new Error("fitClosedForm: singular normal equations");
    for (let i = c + 1; i < p; i++) {
      const f = (lu[i * p + c]! /= d);
      for (let j = c + 1; j < p; j++) lu[i * p + j]! -= f * lu[c * p + j]!;
    }
  }
  return { lu, piv };
}

function luSolve({ lu, piv }: { lu: Float64Array; piv: Int32Array }, b: ArrayLike<number>, p: number): Float64Array {
  const z = Float64Array.from({ length: p }, (_, i) => b[piv[i]!]!);
  for (let i = 0; i < p; i++) for (let k = 0; k < i; k++) z[i]! -= lu[i * p + k]! * z[k]!;
  for (let i = p - 1; i >= 0; i--) {
    for (let k = i + 1; k < p; k++) z[i]! -= lu[i * p + k]! * z[k]!;
    z[i]! /= lu[i * p + i]!;
  }
  return z;
}

/** The notebook's `network`: y = Σ_k ω_k·ReLU(x − k/K), then + β (same summation order). */
export function evalClosedForm(phi: ArrayLike<number>, x: ArrayLike<number>): Float64Array {
  const k = phi.length - 1;
  const out = new Float64Array(x.length);
  for (let c = 0; c < k; c++) for (let i = 0; i < x.length; i++) out[i] = out[i]! + phi[c + 1]! * Math.max(0, x[i]! - c / k);
  for (let i = 0; i < x.length; i++) out[i] = out[i]! + phi[0]!;
  return out;
}

function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) * (a[i]! - b[i]!);
  return s / a.length;
}

/**
 * Notebook 9.3 for any seed: `np.random.seed(seed)`, 15 points (σ = 0.3, 2π = 2·3.1413), the K = 14
 * closed-form fit, then `members` bootstrap models whose `choice(15, 15)` draws continue the same
 * RandomState stream, combined by the median and the mean; MSEs against the true function on
 * linspace(0, 1, 100).
 */
export function notebook93(seed: number, members = 4): Notebook93Curves {
  const rng = new RandomState(seed);
  const data = makeToyData({ n: 15, sigma: 0.3, rng });
  const grid = linspace(0, 1, 100);
  const truth = trueFunction(grid);
  const single = evalClosedForm(fitClosedForm(data.x, data.y), grid);
  const specs = bootstrapMembers({}, { n: data.n, members, rng });
  const preds = specs.map(({ indices }) => evalClosedForm(fitClosedForm(indices.map((i) => data.x[i]!), indices.map((i) => data.y[i]!)), grid));
  const tensors = preds.map((p) => new Tensor(p, [grid.length], "float64"));
  const med = median().combine(tensors).data;
  const avg = mean().combine(tensors).data;
  return {
    singleMse: mse(single, truth),
    memberMse: preds.map((p) => mse(p, truth)),
    medianMse: mse(med, truth),
    meanMse: mse(avg, truth),
    indices: specs.map((s) => s.indices),
    x: Array.from(data.x), y: Array.from(data.y), grid: Array.from(grid), truth: Array.from(truth),
    single: Array.from(single), members: preds.map((p) => Array.from(p)), median: Array.from(med), mean: Array.from(avg),
  };
}
