/**
 * Is the engine's gradient of the modified loss M = L + α/4‖∇L‖² exact? Three checks at the
 * initial weights of the batch-100 MLP, all in float64:
 *  1. central finite differences of M along a random unit direction v (Richardson-extrapolated,
 *     M evaluated with the engine's first-order valueAndGrad only) against ⟨∇M, v⟩ from nested grad;
 *  2. the whole gradient against the hand-written ∇L + (α/2)·H∇L (R-operator, no autodiff);
 *  3. for scale: the error the check would report if the Hessian term were missing (⟨∇L, v⟩).
 * ReLU kinks break finite differences, so directions whose probes change an activation pattern
 * are rejected (another seed is tried).
 */
import { type Tensor, astype, tensor, treeLeaves, treeMap, valueAndGrad } from "@regularize/core-autodiff";
import { Rng, type Problem } from "./data.js";
import { HandMlp } from "./mlp-handwritten.js";
import { type MlpParams, initParams, lossAndGrad, modifiedLoss } from "./mlp-engine.js";

export interface ExactnessReport {
  /** ⟨∇M, v⟩ from the engine's nested grad. */
  readonly analytic: number;
  /** Richardson-extrapolated central difference of M along v. */
  readonly finiteDiff: number;
  /** |analytic − fd| / |fd|. */
  readonly relError: number;
  /** Plain central differences at each step h: relative error vs the analytic value. */
  readonly plainCentral: readonly { readonly h: number; readonly relError: number }[];
  /** ‖∇M_engine − ∇M_hand‖ / ‖∇M_hand‖ (hand-written Hessian–vector product). */
  readonly relErrorVsHandwritten: number;
  /** What a gradient missing the (α/2)·H∇L term would score: |⟨∇L, v⟩ − fd| / |fd|. */
  readonly relErrorWithoutHessianTerm: number;
  readonly h: number;
  readonly directionSeed: number;
}

/** Params as a flat list of leaves in the problem's [W1, b1, W2, b2, W3, b3] order. */
function leavesInOrder(p: MlpParams): Tensor[] {
  return [p.W1, p.b1, p.W2, p.b2, p.W3, p.b3];
}

function fromLeaves(problem: Problem, ls: readonly Float64Array[]): MlpParams {
  const s = problem.spec.sizes;
  return {
    W1: tensor(ls[0]!, { shape: [s[0]!, s[1]!] }), b1: tensor(ls[1]!),
    W2: tensor(ls[2]!, { shape: [s[1]!, s[2]!] }), b2: tensor(ls[3]!),
    W3: tensor(ls[4]!, { shape: [s[2]!, s[3]!] }), b3: tensor(ls[5]!),
  };
}

function dot(a: readonly Float64Array[], b: readonly Float64Array[]): number {
  let s = 0;
  a.forEach((x, q) => { const y = b[q]!; for (let k = 0; k < x.length; k++) s += x[k]! * y[k]!; });
  return s;
}

/** Run the three checks. */
export function checkModifiedGradient(problem: Problem, alpha: number, h = 1e-4): ExactnessReport {
  const x = tensor(problem.xs[0]!, { shape: [problem.spec.batch, problem.spec.sizes[0]!] });
  const y = tensor(problem.ys[0]!, { dtype: "int32" });
  const theta = problem.init.map((w) => Float64Array.from(w));
  const params = initParams(problem);

  // engine: nested grad of the modified loss, and the plain gradient
  const [, gM] = valueAndGrad(modifiedLoss(alpha))(params, x, y);
  const gMl = leavesInOrder(gM).map((t) => Float64Array.from(t.data));
  const [, gL] = lossAndGrad(params, x, y);
  const gLl = leavesInOrder(gL).map((t) => Float64Array.from(t.data));
  if (treeLeaves(gM).length !== 6) throw new Error("unexpected params tree");

  // M(θ) with first-order autodiff only
  const M = (ws: readonly Float64Array[]): number => {
    const [l, g] = lossAndGrad(fromLeaves(problem, ws), x, y);
    let sq = 0;
    for (const t of leavesInOrder(g)) for (const v of t.data) sq += v * v;
    return l.item() + (alpha / 4) * sq;
  };

  // hand-written exact gradient (R-operator)
  const hand = new HandMlp(problem, alpha);
  hand.setWeights(theta);
  hand.modifiedGrad(0);
  const gH = hand.g.map((g) => Float64Array.from(g));
  const pattern0 = hand.activationPattern();
  let num = 0, den = 0;
  gMl.forEach((g, q) => { const r = gH[q]!; for (let k = 0; k < g.length; k++) { num += (g[k]! - r[k]!) ** 2; den += r[k]! ** 2; } });

  const shifted = (v: readonly Float64Array[], t: number) => theta.map((w, q) => { const o = new Float64Array(w.length); const d = v[q]!; for (let k = 0; k < w.length; k++) o[k] = w[k]! + t * d[k]!; return o; });
  const samePattern = (ws: readonly Float64Array[]) => {
    hand.setWeights(ws);
    hand.forward(0);
    const p = hand.activationPattern();
    for (let k = 0; k < p.length; k++) if (p[k] !== pattern0[k]) return false;
    return true;
  };

  for (let seed = 1; seed <= 20; seed++) {
    const rng = new Rng(1000 + seed);
    const v = theta.map((w) => { const d = new Float64Array(w.length); for (let k = 0; k < d.length; k++) d[k] = rng.normal(); return d; });
    const norm = Math.sqrt(dot(v, v));
    for (const d of v) for (let k = 0; k < d.length; k++) d[k] = d[k]! / norm;
    const probes = [h, h / 2].flatMap((s) => [shifted(v, s), shifted(v, -s)]);
    if (!probes.every(samePattern)) continue; // crossed a ReLU kink: FD is meaningless there
    const [pp, pm, hp, hm] = probes.map(M) as [number, number, number, number];
    const c1 = (pp - pm) / (2 * h), c2 = (hp - hm) / h;
    const fd = (4 * c2 - c1) / 3;
    const analytic = dot(gMl, v);
    const plainCentral = [1e-3, 1e-4, 1e-5, 1e-6].map((s) => {
      const ps = [shifted(v, s), shifted(v, -s)];
      const ok = ps.every(samePattern);
      const c = (M(ps[0]!) - M(ps[1]!)) / (2 * s);
      return { h: s, relError: ok ? Math.abs(c - analytic) / Math.abs(analytic) : NaN };
    });
    return {
      analytic,
      finiteDiff: fd,
      relError: Math.abs(analytic - fd) / Math.abs(fd),
      plainCentral,
      relErrorVsHandwritten: Math.sqrt(num / den),
      relErrorWithoutHessianTerm: Math.abs(dot(gLl, v) - fd) / Math.abs(fd),
      h,
      directionSeed: 1000 + seed,
    };
  }
  throw new Error("every random direction crossed a ReLU kink; use a smaller h");
}

/** Float32 exactness of the modified-loss gradient (see checkModifiedGradient32). */
export interface Exactness32Report {
  /** ‖∇M_f32 − ∇M_f64‖ / ‖∇M_f64‖, both by nested grad at the same (float32-representable) weights. */
  readonly relErrorVsF64: number;
  /** |⟨∇M_f32, v⟩ − FD| / |FD|, FD = central difference of M in float64 along a random unit v (h = 1e-4). */
  readonly relErrorFd: number;
}

/**
 * The float32 engine's nested-grad ∇M against float64 at the same weights (rounded to float32) and
 * against float64 finite differences: float32 is exact when both errors are float32 rounding (~1e-6),
 * far below what a missing or wrong second-order term would give.
 */
export function checkModifiedGradient32(problem: Problem, alpha: number, h = 1e-4): Exactness32Report {
  const x64 = tensor(Float64Array.from(Float32Array.from(problem.xs[0]!)), { shape: [problem.spec.batch, problem.spec.sizes[0]!] });
  const x32 = astype(x64, "float32");
  const y = tensor(problem.ys[0]!, { dtype: "int32" });
  const p32 = initParams(problem, "float32");
  const p64 = treeMap((t: Tensor) => astype(t, "float64"), p32);
  const vg = valueAndGrad(modifiedLoss(alpha));
  const g32 = leavesInOrder(vg(p32, x32, y)[1]).map((t) => Float64Array.from(t.data));
  const g64 = leavesInOrder(vg(p64, x64, y)[1]).map((t) => Float64Array.from(t.data));
  let num = 0, den = 0;
  g32.forEach((a, q) => { const b = g64[q]!; for (let k = 0; k < a.length; k++) { num += (a[k]! - b[k]!) ** 2; den += b[k]! ** 2; } });
  const rng = new Rng(7);
  const v = g64.map((g) => Float64Array.from(g, () => rng.normal()));
  const nv = Math.sqrt(dot(v, v));
  v.forEach((a) => a.forEach((_, k) => (a[k]! /= nv)));
  const theta = leavesInOrder(p64).map((t) => Float64Array.from(t.data));
  const M = (s: number): number => {
    const ws = theta.map((w, q) => Float64Array.from(w, (e, k) => e + s * v[q]![k]!));
    const [l, g] = lossAndGrad(fromLeaves(problem, ws), x64, y);
    let sq = 0;
    for (const t of leavesInOrder(g)) for (const e of t.data) sq += e * e;
    return l.item() + (alpha / 4) * sq;
  };
  const fd = (M(h) - M(-h)) / (2 * h);
  return { relErrorVsF64: Math.sqrt(num / den), relErrorFd: Math.abs(dot(g32, v) - fd) / Math.abs(fd) };
}
