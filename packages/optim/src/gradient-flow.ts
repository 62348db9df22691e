import { type Tensor, type Tree, grad, tensor, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { OptionError, UsageError } from "./errors.js";
import type { Loss } from "./loss.js";
import { checkNumber, checkOptions, optionalNumber } from "./validate.js";

/** Options of `gradientFlow`. */
export interface GradientFlowOptions {
  /** Integrate dφ/dt = −∇L(φ) from t = 0 to t = time. */
  readonly time: number;
  /** "rk4" (default): classical Runge–Kutta with `steps` fixed steps; "dopri5": adaptive Dormand–Prince 5(4). */
  readonly method?: "rk4" | "dopri5";
  /** Fixed steps for rk4 (default 1000). */
  readonly steps?: number;
  /** Relative tolerance for dopri5 (default 1e-9). */
  readonly rtol?: number;
  /** Absolute tolerance for dopri5 (default 1e-12). */
  readonly atol?: number;
  /** Give up after this many dopri5 step attempts (default 100 000). */
  readonly maxSteps?: number;
  /** Keep every k-th rk4 step in the path (default 1: all); the end point is always kept. dopri5 keeps every accepted step. */
  readonly recordEvery?: number;
}

/** A gradient-flow path: the times and the parameters at those times (first = start, last = end). */
export interface FlowPath<T extends Tree> {
  readonly times: number[];
  readonly path: T[];
  /** Gradient evaluations used. */
  readonly evaluations: number;
}

// Dormand–Prince 5(4) tableau (FSAL: the 7th stage is the next step's first).
const A: number[][] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
const B4 = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

/**
 * The continuous path of gradient flow dφ/dt = −∇L(φ) (UDL eq. 9.6) from `params0`, integrated in
 * float64 with RK4 (fixed steps) or adaptive Dormand–Prince. Pass `modifiedLossGD(L, α)` as the
 * loss to follow the flow that gradient descent with step α tracks (figure 9.3).
 */
export function gradientFlow<T extends Tree>(loss: Loss<T>, params0: T, options: GradientFlowOptions): FlowPath<T> {
  const fn = "gradientFlow";
  if (typeof loss !== "function") throw new OptionError(fn, "loss", "must be a function of the parameters returning a scalar tensor");
  checkOptions(fn, options, { time: true, method: true, steps: true, rtol: true, atol: true, maxSteps: true, recordEvery: true });
  const T = checkNumber(fn, "time", options.time, { min: 0 });
  const method = options.method ?? "rk4";
  if (method !== "rk4" && method !== "dopri5") throw new OptionError(fn, "method", `must be "rk4" or "dopri5", got ${String(method)}`);

  // integrate on one flat float64 vector; the loss sees tensors of the original shapes and dtypes
  const [leaves0, def] = treeFlatten(params0);
  const n = leaves0.reduce((s, l) => s + l.size, 0);
  const toTree = (y: Float64Array): T => {
    let o = 0;
    const ls: Tensor[] = leaves0.map((l) => {
      const t = tensor(y.subarray(o, o + l.size), { dtype: l.dtype, shape: l.shape });
      o += l.size;
      return t;
    });
    return treeUnflatten<T>(def, ls);
  };
  const y0 = new Float64Array(n);
  let off = 0;
  for (const l of leaves0) {
    y0.set(l.data, off);
    off += l.size;
  }
  const g = grad(loss);
  let evaluations = 0;
  const field = (y: Float64Array): Float64Array => {
    evaluations++;
    const out = new Float64Array(n);
    let o = 0;
    for (const l of treeFlatten(g(toTree(y)))[0]) {
      for (let j = 0; j < l.size; j++) out[o + j] = -l.data[j]!;
      o += l.size;
    }
    return out;
  };
  const axpy = (y: Float64Array, terms: readonly [number, Float64Array][]): Float64Array => {
    const out = Float64Array.from(y);
    for (const [c, k] of terms) if (c !== 0) for (let i = 0; i < n; i++) out[i]! += c * k[i]!;
    return out;
  };

  const times: number[] = [0];
  const path: T[] = [toTree(y0)];
  if (method === "rk4") {
    const steps = optionalNumber(fn, "steps", options.steps, 1000, { integer: true, min: 1 });
    const every = optionalNumber(fn, "recordEvery", options.recordEvery, 1, { integer: true, min: 1 });
    const h = T / steps;
    let y: Float64Array = y0;
    for (let s = 1; s <= steps; s++) {
      const k1 = field(y);
      const k2 = field(axpy(y, [[h / 2, k1]]));
      const k3 = field(axpy(y, [[h / 2, k2]]));
      const k4 = field(axpy(y, [[h, k3]]));
      y = axpy(y, [[h / 6, k1], [h / 3, k2], [h / 3, k3], [h / 6, k4]]);
      if (s % every === 0 || s === steps) {
        times.push(s === steps ? T : s * h);
        path.push(toTree(y));
      }
    }
    return { times, path, evaluations };
  }

  const rtol = optionalNumber(fn, "rtol", options.rtol, 1e-9, { above: 0 });
  const atol = optionalNumber(fn, "atol", options.atol, 1e-12, { above: 0 });
  const maxSteps = optionalNumber(fn, "maxSteps", options.maxSteps, 100_000, { integer: true, min: 1 });
  let t = 0, y: Float64Array = y0, k1: Float64Array = field(y);
  // initial step from the size of the field (Hairer's simple heuristic)
  const scale0 = Math.sqrt(k1.reduce((s, v, i) => s + (v / (atol + rtol * Math.abs(y[i]!))) ** 2, 0) / Math.max(n, 1));
  let h = Math.min(T, scale0 > 0 ? 0.01 / scale0 : T);
  for (let attempt = 0; t < T; attempt++) {
    if (attempt >= maxSteps) throw new UsageError(fn, `dopri5 did not reach t = ${T} in ${maxSteps} steps (stopped at t = ${t}); loosen rtol/atol or raise maxSteps`);
    if (t + h > T) h = T - t;
    const k: Float64Array[] = [k1];
    for (let s = 1; s < 7; s++) k.push(field(axpy(y, A[s]!.map((a, j) => [h * a, k[j]!] as [number, Float64Array]))));
    const y5 = axpy(y, B5.map((b, j) => [h * b, k[j]!] as [number, Float64Array]));
    let err = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < 7; j++) e += h * (B5[j]! - B4[j]!) * k[j]![i]!;
      const sc = atol + rtol * Math.max(Math.abs(y[i]!), Math.abs(y5[i]!));
      err += (e / sc) ** 2;
    }
    err = Math.sqrt(err / Math.max(n, 1));
    if (!Number.isFinite(err)) throw new UsageError(fn, `the gradient is not finite near t = ${t}`);
    if (err <= 1) {
      t = t + h >= T ? T : t + h;
      y = y5;
      k1 = k[6]!;
      times.push(t);
      path.push(toTree(y));
    }
    h *= Math.min(5, Math.max(0.2, 0.9 * (err === 0 ? 5 : err ** -0.2)));
  }
  return { times, path, evaluations };
}
