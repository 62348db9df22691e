// One case per primitive of the rule table, typed over the closed op set (a new op without a case
// does not compile): float64 inputs drawn from `next` and a function that exercises the op. Used by
// the rule-table walk (src/prim/rules.test.ts) and, with overrides, by vmap's (src/batching.test.ts).
import { type GradCheckOptions, randomTensor } from "./fd.js";
import {
  type Tensor, abs, add, astype, broadcastTo, cholesky, concat, cos, crossEntropy, div, elu, exp, flip, fold1d, grad, leakyRelu,
  linear, log, log1p, matmul, max, maximum, min, minimum, mul, neg, pad, pow, relu, reshape, scatterAdd, sigmoid, sin, slice,
  softmax, softplus, solve, sqrt, square, sub, sum, sumSquares, take, takeAlongAxis, tanh, tensor, transpose, unfold1d, where, clip, eye,
} from "../src/index.js";
import type { OpName } from "../src/prim/signatures.js";

export interface Case {
  /** Float64 inputs (differentiated). */
  readonly inputs: (next: () => number) => Tensor[];
  readonly f: (...xs: Tensor[]) => Tensor;
  readonly tol?: Partial<GradCheckOptions>;
}

export const r = (next: () => number, shape: number[], lo = -1, hi = 1) => randomTensor(next, shape, lo, hi);
/** Entries of magnitude in [lo, hi] with random signs: away from a kink at 0. */
export const away = (next: () => number, shape: number[], lo = 0.2, hi = 1) => {
  const t = r(next, shape, lo, hi);
  return tensor(t.toFlatArray().map((v) => (next() < 0.5 ? -v : v)), { shape });
};
export const idx = (v: number[]) => tensor(v, { dtype: "int32" });
const labels = idx([2, 0, 1]);

export const CASES: { readonly [K in OpName]: Case } = {
  add: { inputs: (n) => [r(n, [2, 3]), r(n, [3])], f: add },
  sub: { inputs: (n) => [r(n, [2, 3]), r(n, [2, 1])], f: sub },
  mul: { inputs: (n) => [r(n, [2, 3]), r(n, [3])], f: mul },
  div: { inputs: (n) => [r(n, [2, 3]), r(n, [3], 0.5, 1.5)], f: div },
  pow: { inputs: (n) => [r(n, [2, 3], 0.5, 1.5), r(n, [2, 3])], f: pow },
  maximum: { inputs: (n) => { const a = r(n, [2, 3]); return [a, add(a, away(n, [2, 3]))]; }, f: maximum },
  minimum: { inputs: (n) => { const a = r(n, [2, 3]); return [a, add(a, away(n, [2, 3]))]; }, f: minimum },
  neg: { inputs: (n) => [r(n, [2, 3])], f: neg },
  exp: { inputs: (n) => [r(n, [2, 3])], f: exp },
  log: { inputs: (n) => [r(n, [2, 3], 0.5, 2)], f: log },
  log1p: { inputs: (n) => [r(n, [2, 3], -0.5, 1)], f: log1p },
  sqrt: { inputs: (n) => [r(n, [2, 3], 0.5, 2)], f: sqrt },
  square: { inputs: (n) => [r(n, [2, 3])], f: square },
  abs: { inputs: (n) => [away(n, [2, 3])], f: abs },
  sin: { inputs: (n) => [r(n, [2, 3], -3, 3)], f: sin },
  cos: { inputs: (n) => [r(n, [2, 3], -3, 3)], f: cos },
  tanh: { inputs: (n) => [r(n, [2, 3], -2, 2)], f: tanh },
  sigmoid: { inputs: (n) => [r(n, [2, 3], -3, 3)], f: sigmoid },
  relu: { inputs: (n) => [away(n, [2, 3])], f: relu },
  softplus: { inputs: (n) => [r(n, [2, 3], -3, 3)], f: softplus },
  leakyRelu: { inputs: (n) => [away(n, [2, 3])], f: (x) => leakyRelu(x, 0.1) },
  elu: { inputs: (n) => [away(n, [2, 3])], f: (x) => elu(x, 0.7) },
  where: { inputs: (n) => [r(n, [2, 3]), r(n, [3])], f: (a, b) => where(tensor([[1, 0, 1], [0, 0, 1]]), a, b) },
  clip: { inputs: () => [tensor([[-0.9, -0.2, 0.1], [0.35, 0.8, -0.45]])], f: (x) => clip(x, -0.5, 0.5) },
  // a float32 round trip: linear, so central differences with a large step are exact but for f32 rounding
  astype: { inputs: (n) => [r(n, [2, 3])], f: (x) => astype(astype(x, "float32"), "float64"), tol: { h: 1e-2, rtol: 1e-4, atol: 1e-4 } },
  sum: { inputs: (n) => [r(n, [2, 3, 2])], f: (x) => sum(x, { axis: [0, 2] }) },
  sumSquares: { inputs: (n) => [r(n, [2, 3, 2])], f: sumSquares },
  max: { inputs: () => [tensor([[0.3, -0.8, 0.9], [0.1, 0.6, -0.2]])], f: (x) => max(x, { axis: 1, keepdims: true }) },
  min: { inputs: () => [tensor([[0.3, -0.8, 0.9], [0.1, 0.6, -0.2]])], f: (x) => min(x, { axis: 0 }) },
  reshape: { inputs: (n) => [r(n, [2, 3])], f: (x) => reshape(x, [3, 2]) },
  broadcastTo: { inputs: (n) => [r(n, [3, 1])], f: (x) => broadcastTo(x, [2, 3, 4]) },
  transpose: { inputs: (n) => [r(n, [2, 3, 4])], f: (x) => transpose(x, [2, 0, 1]) },
  slice: { inputs: (n) => [r(n, [3, 4])], f: (x) => slice(x, [[1, 3], [0, -1]]) },
  pad: { inputs: (n) => [r(n, [2, 3])], f: (x) => pad(x, [[1, 0], [2, 1]]) },
  concat: { inputs: (n) => [r(n, [2, 3]), r(n, [2, 2])], f: (a, b) => concat([a, b], 1) },
  flip: { inputs: (n) => [r(n, [2, 3])], f: (x) => flip(x, 1) },
  take: { inputs: (n) => [r(n, [3, 2])], f: (x) => take(x, idx([2, 0, 2, 1]), 0) },
  takeAlongAxis: { inputs: (n) => [r(n, [2, 3])], f: (x) => takeAlongAxis(x, tensor([[2, 2], [0, 1]], { dtype: "int32" }), 1) },
  scatterAdd: { inputs: (n) => [r(n, [4, 2])], f: (s) => scatterAdd(s, idx([2, 0, 2, 1]), [3, 2], 0, true) },
  matmul: { inputs: (n) => [r(n, [2, 3, 4]), r(n, [2, 5, 4])], f: (a, b) => matmul(a, b, { transB: true }) },
  linear: { inputs: (n) => [r(n, [3, 4]), r(n, [4, 2]), r(n, [2])], f: (x, w, b) => linear(x, w, b, { activation: "sigmoid" }) },
  softmax: { inputs: (n) => [r(n, [3, 4], -2, 2)], f: (x) => softmax(x, 0) },
  crossEntropy: { inputs: (n) => [r(n, [3, 4], -2, 2)], f: (z) => crossEntropy(z, labels, { reduction: "none" }) },
  unfold1d: { inputs: (n) => [r(n, [2, 2, 6])], f: (x) => unfold1d(x, 3, { stride: 2, padding: 1, padValue: 0.5 }) },
  fold1d: { inputs: (n) => [r(n, [2, 3, 2, 3])], f: (c) => fold1d(c, 6, { stride: 2, padding: 1 }) },
  solve: { inputs: (n) => [add(r(n, [3, 3], -0.3, 0.3), mul(eye(3), 2)), r(n, [3, 2])], f: solve },
  // X·Xᵀ + 2I is symmetric positive definite for every X, so the symmetric tangent the rules assume is what they get
  cholesky: { inputs: (n) => [r(n, [3, 3])], f: (x) => cholesky(add(matmul(x, x, { transB: true }), mul(eye(3), 2))) },
  // the inner grad's variable stands for the outer (tracked) x: a variable node with an input
  variable: { inputs: (n) => [r(n, [2, 3])], f: (x) => mul(x, grad((y: Tensor) => sum(mul(sin(y), x)))(x)) },
};
