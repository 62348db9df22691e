// Finite-difference references for gradient tests (float64 only).
//
// checkOpGrads(f, xs) is the generic harness every op test uses. It scalarises the op with fixed
// random weights R and S,
//     L(xs) = Σ R ⊙ f(xs) + Σ S ⊙ f(xs)²,
// (random R so symmetric errors cannot cancel; the quadratic term makes the cotangent reaching f
// depend on x, so the second-order check differentiates each op's backward rule in its cotangent
// too — with L linear in f, a linear op's Hessian would be 0 whatever its rule did) and checks
//   1. grad(L) against central differences of L, coordinate by coordinate;
//   2. hvp(L, xs, v) against central differences of grad(L) along a random direction v.
import { expect } from "vitest";
import { type Tensor, add, grad, hvp, mul, square, sum, tensor } from "../src/index.js";
import "./matchers.js";

/** A small deterministic PRNG (mulberry32) for weights and directions inside one check. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float64 tensor of `shape` with entries uniform in [lo, hi) from `next`. */
export function randomTensor(next: () => number, shape: readonly number[], lo = -1, hi = 1): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = lo + (hi - lo) * next();
  return tensor(data, { shape });
}

/** xs with element j of input i moved by delta (fresh buffers; the inputs are untouched). */
export function perturb(xs: readonly Tensor[], i: number, j: number, delta: number): Tensor[] {
  return xs.map((x, k) => {
    if (k !== i) return x;
    const d = new Float64Array(x.data);
    d[j] = d[j]! + delta;
    return tensor(d, { shape: x.shape });
  });
}

/** xs + s·v leafwise (fresh buffers). */
export function axpy(xs: readonly Tensor[], s: number, v: readonly Tensor[]): Tensor[] {
  return xs.map((x, k) => {
    const d = new Float64Array(x.size);
    const vd = v[k]!.data;
    for (let j = 0; j < d.length; j++) d[j] = x.data[j]! + s * vd[j]!;
    return tensor(d, { shape: x.shape });
  });
}

/** Central-difference gradient of a scalar function of several tensors, one coordinate at a time. */
export function fdGrad(f: (xs: Tensor[]) => number, xs: readonly Tensor[], h: number): Tensor[] {
  return xs.map((x, i) => {
    const g = new Float64Array(x.size);
    for (let j = 0; j < x.size; j++) g[j] = (f(perturb(xs, i, j, h)) - f(perturb(xs, i, j, -h))) / (2 * h);
    return tensor(g, { shape: x.shape });
  });
}

/** Central-difference Jacobian of a tensor function at x, shaped [...out, ...x]. */
export function fdJacobian(f: (x: Tensor) => Tensor, x: Tensor, h: number): Tensor {
  const cols: Float64Array[] = [];
  const y0 = f(x);
  for (let j = 0; j < x.size; j++) {
    const yp = f(perturb([x], 0, j, h)[0]!), ym = f(perturb([x], 0, j, -h)[0]!);
    const c = new Float64Array(y0.size);
    for (let k = 0; k < c.length; k++) c[k] = (yp.data[k]! - ym.data[k]!) / (2 * h);
    cols.push(c);
  }
  const out = new Float64Array(y0.size * x.size);
  for (let k = 0; k < y0.size; k++) for (let j = 0; j < x.size; j++) out[k * x.size + j] = cols[j]![k]!;
  return tensor(out, { shape: [...y0.shape, ...x.shape] });
}

/** Tolerances and step of checkOpGrads. */
export interface GradCheckOptions {
  readonly rtol: number;
  readonly atol: number;
  /** Finite-difference step (default 1e-5). */
  readonly h?: number;
  /** Also check Hessian–vector products (default true). */
  readonly secondOrder?: boolean;
  /** Seed of the weights R, S and the direction v. */
  readonly seed?: number;
  /** Which inputs to check (default all); the others are held fixed. */
  readonly wrt?: readonly number[];
}

/** Default tolerances for float64 with h = 1e-5 (truncation ~h², round-off ~ε·|L|/h). */
export const FD64 = { rtol: 1e-6, atol: 1e-7 } as const;

/**
 * First- and second-order gradient check of an op `f` at float64 inputs `xs` against central
 * finite differences (see the file comment for the scalarisation).
 */
export function checkOpGrads(f: (...xs: Tensor[]) => Tensor, xs: readonly Tensor[], opts: GradCheckOptions): void {
  const h = opts.h ?? 1e-5;
  const next = rng(opts.seed ?? 12345);
  const wrt = opts.wrt ?? xs.map((_, i) => i);
  const y0 = f(...xs);
  const R = randomTensor(next, y0.shape), S = randomTensor(next, y0.shape, -0.5, 0.5);
  // only the checked inputs are variables; the rest are closed over
  const full = (vars: readonly Tensor[]): Tensor[] => {
    const all = [...xs];
    wrt.forEach((i, k) => (all[i] = vars[k]!));
    return all;
  };
  const L = (vars: Tensor[]): Tensor => {
    const y = f(...full(vars));
    return add(sum(mul(R, y)), sum(mul(S, square(y))));
  };
  const vars0 = wrt.map((i) => xs[i]!);
  const g = grad(L)(vars0);
  const gFd = fdGrad((v) => L(v).item(), vars0, h);
  g.forEach((gi, k) => expect(gi, `first order, input ${wrt[k]}`).toBeAllclose(gFd[k]!, opts));
  if (opts.secondOrder === false) return;
  const v = vars0.map((x) => randomTensor(next, x.shape));
  const hv = hvp(L, vars0, v);
  const gp = grad(L)(axpy(vars0, h, v)), gm = grad(L)(axpy(vars0, -h, v));
  const hvFd = gp.map((p, k) => {
    const d = new Float64Array(p.size);
    for (let j = 0; j < d.length; j++) d[j] = (p.data[j]! - gm[k]!.data[j]!) / (2 * h);
    return tensor(d, { shape: p.shape });
  });
  hv.forEach((hk, k) => expect(hk, `second order (H·v), input ${wrt[k]}`).toBeAllclose(hvFd[k]!, opts));
}
