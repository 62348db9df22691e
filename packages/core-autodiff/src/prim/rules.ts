// The rule table: for every primitive (a closed set, prim/signatures.ts) its kernel, its VJP rule
// (reverse mode: output cotangent → input cotangents) and its JVP rule (forward mode: input
// tangents → output tangent). Typed `{ [K in OpName]: OpRule<K> }`, so an op without all three is a
// compile error. Rules are written in public ops, so they record and differentiate again (grad of
// grad, jvp of grad...); constants they need (masks, steps) come from raw kernels. Models: tinygrad's
// gradient.py and jax-js's jvp.ts (shared/STYLE.md).
import type { Tensor } from "../tensor.js";
import { eye } from "../ops/create.js";
import {
  add, astype, cos, div, exp, ge, gt, le, log, mul, neg, pow, sigmoid, sign, sin, square, sub, where, eq,
} from "../ops/elementwise.js";
import { softmaxFused } from "../ops/fused.js";
import { matmul } from "../ops/linalg.js";
import { fold1d, unfold1d } from "../ops/nn.js";
import { sum } from "../ops/reduce.js";
import { broadcastTo, concat, flip, pad, reshape, scatterAdd, slice, stopGradient, take, takeAlongAxis, transpose } from "../ops/shape.js";
import { solve } from "../ops/solve.js";
import { sumToShape } from "../ops/sum-to-shape.js";
import { zerosLike } from "../ops/create.js";
import { batchHooks } from "./batch-hook.js";
import { KERNELS, type Kernel, lowerHalfMask, oneHotRaw, unaryRaw } from "./kernels.js";
import type { OpInputs, OpName, OpNode, OpParams, PerInput } from "./signatures.js";

/** What a rule sees of one application of op K. */
export interface RuleContext<K extends OpName> {
  readonly inputs: OpInputs<K>;
  readonly params: OpParams<K>;
  /** The op's output (its primal value). */
  readonly out: Tensor;
}

/** Kernel, reverse-mode and forward-mode rules of op K. */
export interface OpRule<K extends OpName> {
  readonly kernel: Kernel<K>;
  /** Input cotangents for output cotangent `g` (null where `needs[i]` is false or there is no path). */
  readonly vjp: (g: Tensor, ctx: RuleContext<K>, needs: readonly boolean[]) => PerInput<K>;
  /** The output tangent for input tangents `t` (null = zero tangent; at least one is non-null). */
  readonly jvp: (t: PerInput<K>, ctx: RuleContext<K>) => Tensor;
}

/** Every primitive's rules. */
export type RuleTable = { readonly [K in OpName]: OpRule<K> };

/** Σ of the non-null terms (at least one), broadcast to `shape`. */
function total(shape: readonly number[], ...terms: (Tensor | null)[]): Tensor {
  let s: Tensor | null = null;
  for (const t of terms) if (t !== null) s = s === null ? t : add(s, t);
  if (s === null) throw new Error("internal error: a JVP rule got no tangent");
  return broadcastTo(s, shape);
}

/** The one tangent of a unary op (the sweep calls a rule only when some tangent is non-null). */
function only(t: readonly [Tensor | null]): Tensor {
  const [x] = t;
  if (x === null) throw new Error("internal error: a JVP rule got no tangent");
  return x;
}

/** A unary elementwise op with derivative f′(x, out): vjp g·f′, jvp t·f′. */
function elementwise<K extends "neg" | "exp" | "log" | "log1p" | "sqrt" | "square" | "abs" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "softplus" | "leakyRelu" | "elu" | "clip">(
  op: K,
  times: (g: Tensor, x: Tensor, out: Tensor, p: OpParams<K>) => Tensor,
): OpRule<K> {
  return {
    kernel: KERNELS[op] as Kernel<K>,
    vjp: (g, { inputs: [x], out, params }) => [times(g, x, out, params)] as PerInput<K>,
    jvp: (t, { inputs: [x], out, params }) => times(only(t as readonly [Tensor | null]), x, out, params),
  } as OpRule<K>;
}

const step = (x: Tensor): Tensor => unaryRaw("step", x);
/** Halves of a max/min reduction's gradient: ties share it equally (as PyTorch's amax/amin). */
function extremeShare(x: Tensor, out: Tensor, axes: readonly number[]): [Tensor, number[]] {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const mask = eq(x, reshape(stopGradient(out), kept));
  return [div(mask, sum(mask, { axis: axes, keepdims: true })), kept];
}

/** maximum/minimum: `picksA(a, b)` is 1 where the output is a (ties included), 0 where it is b. */
function extremum<K extends "maximum" | "minimum">(op: K, picksA: (a: Tensor, b: Tensor) => Tensor): OpRule<K> {
  // both ops share one signature ([Bin, None]): the rule is written once against maximum's
  const rule: OpRule<"maximum"> = {
    kernel: KERNELS[op] as Kernel<"maximum">,
    vjp: (g, { inputs: [a, b] }) => {
      const m = picksA(a, b);
      return [sumToShape(mul(g, m), a.shape), sumToShape(mul(g, sub(1, m)), b.shape)];
    },
    jvp: ([ta, tb], { inputs: [a, b], out }) => {
      const m = picksA(a, b);
      return total(out.shape, ta === null ? null : mul(ta, m), tb === null ? null : mul(tb, sub(1, m)));
    },
  };
  return rule as OpRule<K>;
}

export const RULES: RuleTable = {
  add: {
    kernel: KERNELS.add,
    vjp: (g, { inputs: [a, b] }, needs) => [needs[0] ? sumToShape(g, a.shape) : null, needs[1] ? sumToShape(g, b.shape) : null],
    jvp: ([ta, tb], { out }) => total(out.shape, ta, tb),
  },
  sub: {
    kernel: KERNELS.sub,
    vjp: (g, { inputs: [a, b] }, needs) => [needs[0] ? sumToShape(g, a.shape) : null, needs[1] ? sumToShape(neg(g), b.shape) : null],
    jvp: ([ta, tb], { out }) => total(out.shape, ta, tb === null ? null : neg(tb)),
  },
  mul: {
    kernel: KERNELS.mul,
    vjp: (g, { inputs: [a, b] }, needs) => [needs[0] ? sumToShape(mul(g, b), a.shape) : null, needs[1] ? sumToShape(mul(g, a), b.shape) : null],
    jvp: ([ta, tb], { inputs: [a, b], out }) => total(out.shape, ta === null ? null : mul(ta, b), tb === null ? null : mul(a, tb)),
  },
  div: {
    kernel: KERNELS.div,
    vjp: (g, { inputs: [a, b] }, needs) => [
      needs[0] ? sumToShape(div(g, b), a.shape) : null,
      needs[1] ? sumToShape(neg(div(mul(g, a), square(b))), b.shape) : null,
    ],
    // d(a/b) = da/b − (a/b)·db/b
    jvp: ([ta, tb], { inputs: [, b], out }) => total(out.shape, ta === null ? null : div(ta, b), tb === null ? null : neg(div(mul(tb, out), b))),
  },
  pow: {
    kernel: KERNELS.pow,
    // d/db a^b = a^b·log a, taken as 0 where a ≤ 0
    vjp: (g, { inputs: [a, b], out }, needs) => [
      needs[0] ? sumToShape(mul(g, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
      needs[1] ? sumToShape(mul(g, where(gt(a, 0), mul(out, log(where(gt(a, 0), a, 1))), 0)), b.shape) : null,
    ],
    jvp: ([ta, tb], { inputs: [a, b], out }) => total(
      out.shape,
      ta === null ? null : mul(ta, mul(b, pow(a, sub(b, 1)))),
      tb === null ? null : mul(tb, where(gt(a, 0), mul(out, log(where(gt(a, 0), a, 1))), 0)),
    ),
  },
  // ties send the whole gradient to a
  maximum: extremum("maximum", ge),
  minimum: extremum("minimum", le),
  neg: elementwise("neg", (g) => neg(g)),
  exp: elementwise("exp", (g, _x, out) => mul(g, out)),
  log: elementwise("log", (g, x) => div(g, x)),
  log1p: elementwise("log1p", (g, x) => div(g, add(x, 1))),
  sqrt: elementwise("sqrt", (g, _x, out) => div(g, mul(out, 2))),
  square: elementwise("square", (g, x) => mul(g, mul(x, 2))),
  abs: elementwise("abs", (g, x) => mul(g, sign(x))),
  sin: elementwise("sin", (g, x) => mul(g, cos(x))),
  cos: elementwise("cos", (g, x) => neg(mul(g, sin(x)))),
  tanh: elementwise("tanh", (g, _x, out) => mul(g, sub(1, square(out)))),
  sigmoid: elementwise("sigmoid", (g, _x, out) => mul(g, mul(out, sub(1, out)))),
  // derivative 0 at 0 (as PyTorch); the step mask is a constant
  relu: elementwise("relu", (g, x) => mul(g, step(x))),
  softplus: elementwise("softplus", (g, x) => mul(g, sigmoid(x))),
  leakyRelu: elementwise("leakyRelu", (g, x, _out, { slope }) => {
    const m = step(x);
    return mul(g, add(m, mul(sub(1, m), slope)));
  }),
  elu: elementwise("elu", (g, x, _out, { alpha }) => mul(g, where(step(x), 1, mul(exp(x), alpha)))),
  clip: elementwise("clip", (g, x, _out, { lo, hi }) => mul(g, mul(ge(x, lo), le(x, hi)))),
  where: {
    kernel: KERNELS.where,
    vjp: (g, { inputs: [a, b], params: { cond } }, needs) => [
      needs[0] ? sumToShape(where(cond, g, 0), a.shape) : null,
      needs[1] ? sumToShape(where(cond, 0, g), b.shape) : null,
    ],
    jvp: ([ta, tb], { params: { cond }, out }) => total(out.shape, ta === null ? null : where(cond, ta, 0), tb === null ? null : where(cond, 0, tb)),
  },
  astype: {
    kernel: KERNELS.astype,
    vjp: (g, { inputs: [x] }) => [astype(g, x.dtype)],
    jvp: (t, { params: { dtype } }) => astype(only(t), dtype),
  },
  sum: {
    kernel: KERNELS.sum,
    vjp: (g, { inputs: [x], params: { axes } }) => [broadcastTo(reshape(g, x.shape.map((d, i) => (axes.includes(i) ? 1 : d))), x.shape)],
    jvp: (t, { params: { axes, keepdims } }) => sum(only(t), { axis: axes, keepdims }),
  },
  sumSquares: {
    kernel: KERNELS.sumSquares,
    // 2x·g as x·(2g): one pass with a scalar, and equal to g·(2x) bit for bit (scaling by 2 is exact)
    vjp: (g, { inputs: [x] }) => [mul(x, mul(g, 2))],
    jvp: (t, { inputs: [x] }) => mul(sum(mul(x, only(t))), 2),
  },
  max: {
    kernel: KERNELS.max,
    vjp: (g, { inputs: [x], params: { axes }, out }) => {
      const [share, kept] = extremeShare(x, out, axes);
      return [mul(share, reshape(g, kept))];
    },
    jvp: (t, { inputs: [x], params: { axes, keepdims }, out }) => sum(mul(extremeShare(x, out, axes)[0], only(t)), { axis: axes, keepdims }),
  },
  min: {
    kernel: KERNELS.min,
    vjp: (g, { inputs: [x], params: { axes }, out }) => {
      const [share, kept] = extremeShare(x, out, axes);
      return [mul(share, reshape(g, kept))];
    },
    jvp: (t, { inputs: [x], params: { axes, keepdims }, out }) => sum(mul(extremeShare(x, out, axes)[0], only(t)), { axis: axes, keepdims }),
  },
  reshape: {
    kernel: KERNELS.reshape,
    vjp: (g, { inputs: [x] }) => [reshape(g, x.shape)],
    jvp: (t, { params: { shape } }) => reshape(only(t), shape),
  },
  broadcastTo: {
    kernel: KERNELS.broadcastTo,
    vjp: (g, { inputs: [x] }) => [sumToShape(g, x.shape)],
    jvp: (t, { params: { shape } }) => broadcastTo(only(t), shape),
  },
  transpose: {
    kernel: KERNELS.transpose,
    vjp: (g, { params: { perm } }) => {
      const inv = new Array<number>(perm.length);
      perm.forEach((p, i) => (inv[p] = i));
      return [transpose(g, inv)];
    },
    jvp: (t, { params: { perm } }) => transpose(only(t), perm),
  },
  slice: {
    kernel: KERNELS.slice,
    vjp: (g, { inputs: [x], params: { begin, size } }) => [pad(g, begin.map((b, i) => [b, (x.shape[i] ?? 0) - b - (size[i] ?? 0)] as const))],
    jvp: (t, { params: { begin, size } }) => slice(only(t), begin.map((b, i) => [b, b + (size[i] ?? 0)] as const)),
  },
  pad: {
    kernel: KERNELS.pad,
    vjp: (g, { inputs: [x], params: { widths } }) => [slice(g, x.shape.map((d, i) => [widths[i]?.[0] ?? 0, (widths[i]?.[0] ?? 0) + d] as const))],
    jvp: (t, { params: { widths } }) => pad(only(t), widths),
  },
  concat: {
    kernel: KERNELS.concat,
    vjp: (g, { inputs: xs, params: { axis }, out }, needs) => {
      let o = 0;
      return xs.map((t, i) => {
        const r = [o, o + (t.shape[axis] ?? 0)] as const;
        o = r[1];
        return needs[i] ? slice(g, out.shape.map((_, k) => (k === axis ? r : null))) : null;
      });
    },
    jvp: (ts, { inputs: xs, params: { axis } }) => concat(xs.map((x, i) => ts[i] ?? zerosLike(x)), axis),
  },
  flip: {
    kernel: KERNELS.flip,
    vjp: (g, { params: { axes } }) => [flip(g, axes)],
    jvp: (t, { params: { axes } }) => flip(only(t), axes),
  },
  take: {
    kernel: KERNELS.take,
    vjp: (g, { inputs: [x], params: { indices, axis } }) => [scatterAdd(g, indices, x.shape, axis, true)],
    jvp: (t, { params: { indices, axis }, out }) => reshape(take(only(t), indices, axis), out.shape),
  },
  takeAlongAxis: {
    kernel: KERNELS.takeAlongAxis,
    vjp: (g, { inputs: [x], params: { indices, axis } }) => [scatterAdd(g, indices, x.shape, axis, false)],
    jvp: (t, { params: { indices, axis } }) => takeAlongAxis(only(t), indices, axis),
  },
  scatterAdd: {
    kernel: KERNELS.scatterAdd,
    vjp: (g, { inputs: [src], params: { indices, axis, shared } }) => [reshape(shared ? take(g, indices, axis) : takeAlongAxis(g, indices, axis), src.shape)],
    jvp: (t, { params: { indices, shape, axis, shared } }) => scatterAdd(only(t), indices, shape, axis, shared),
  },
  matmul: {
    kernel: KERNELS.matmul,
    vjp: (g, { inputs: [A, B], params: { transA: tA, transB: tB } }, needs) => [
      needs[0] ? (tA ? matmul(B, g, { transA: tB, transB: true }) : matmul(g, B, { transB: !tB })) : null,
      needs[1] ? (tB ? matmul(g, A, { transA: true, transB: tA }) : matmul(A, g, { transA: !tA })) : null,
    ],
    jvp: ([ta, tb], { inputs: [A, B], params, out }) => total(out.shape, ta === null ? null : matmul(ta, B, params), tb === null ? null : matmul(A, tb, params)),
  },
  linear: {
    kernel: KERNELS.linear,
    vjp: (g, { inputs: [x, w], params: { activation }, out }, needs) => {
      const dz = activationBack(activation, g, out);
      return [
        needs[0] ? matmul(dz, w, { transB: true }) : null,
        needs[1] ? matmul(x, dz, { transA: true }) : null,
        needs[2] ? sum(dz, { axis: 0 }) : null,
      ];
    },
    jvp: ([tx, tw, tb], { inputs: [x, w], params: { activation }, out }) =>
      activationBack(activation, total(out.shape, tx === null ? null : matmul(tx, w), tw === null ? null : matmul(x, tw), tb ?? null), out),
  },
  softmax: {
    kernel: KERNELS.softmax,
    // J = diag(s) − s·sᵀ is symmetric: the same formula maps cotangents and tangents
    vjp: (g, { params: { axis }, out: y }) => [mul(y, sub(g, sum(mul(g, y), { axis, keepdims: true })))],
    jvp: (t, { params: { axis }, out: y }) => {
      const v = only(t);
      return mul(y, sub(v, sum(mul(v, y), { axis, keepdims: true })));
    },
  },
  crossEntropy: {
    kernel: KERNELS.crossEntropy,
    // ∂/∂z = softmax(z) − onehot(y), in public ops so it differentiates again
    vjp: (g, { inputs: [z], params: { labels } }) => [mul(reshape(g, [z.shape[0] ?? 0, 1]), crossEntropySlope(z, labels))],
    jvp: (t, { inputs: [z], params: { labels } }) => sum(mul(crossEntropySlope(z, labels), only(t)), { axis: 1 }),
  },
  unfold1d: {
    kernel: KERNELS.unfold1d,
    vjp: (g, { inputs: [x], params: { window: w } }) => [fold1d(g, x.shape[2] ?? 0, geometry(w))],
    // padded positions are constants: their tangent is 0 whatever padValue is
    jvp: (t, { params: { window: w } }) => unfold1d(only(t), w.kernel, geometry(w)),
  },
  fold1d: {
    kernel: KERNELS.fold1d,
    vjp: (g, { params: { window: w } }) => [unfold1d(g, w.kernel, geometry(w))],
    jvp: (t, { params: { window: w, length } }) => fold1d(only(t), length, geometry(w)),
  },
  solve: {
    kernel: KERNELS.solve,
    // X = A⁻¹B: B̄ = A⁻ᵀX̄, Ā = −B̄Xᵀ; dX = A⁻¹(dB − dA·X)
    vjp: (g, { inputs: [a, b], out: res }, needs) => {
      const n = a.shape[0] ?? 0;
      const gb = solve(transpose(a), g);
      const ga = needs[0] ? neg(b.ndim === 1 ? matmul(reshape(gb, [n, 1]), reshape(res, [1, n])) : matmul(gb, res, { transB: true })) : null;
      return [ga, needs[1] ? gb : null];
    },
    jvp: ([ta, tb], { inputs: [a], out: X }) => solve(a, total(X.shape, tb, ta === null ? null : neg(matmul(ta, X)))),
  },
  cholesky: {
    kernel: KERNELS.cholesky,
    // Murray (2016): Ā = sym(L⁻ᵀ Φ(Lᵀ L̄) L⁻¹); dL = L·Φ(L⁻¹ dA L⁻ᵀ), Φ = lower triangle with the diagonal halved
    vjp: (g, { inputs: [a], out: L }) => {
      const n = a.shape[0] ?? 0;
      const P = mul(matmul(L, g, { transA: true }), lowerHalfMask(n, a.dtype));
      const Linv = solve(L, eye(n, n, { dtype: a.dtype }));
      const S = matmul(matmul(Linv, P, { transA: true }), Linv);
      return [div(add(S, transpose(S)), 2)];
    },
    jvp: (t, { inputs: [a], out: L }) => {
      const n = a.shape[0] ?? 0;
      const Linv = solve(L, eye(n, n, { dtype: a.dtype }));
      return matmul(L, mul(matmul(matmul(Linv, only(t)), Linv, { transB: true }), lowerHalfMask(n, a.dtype)));
    },
  },
  variable: {
    kernel: KERNELS.variable,
    vjp: (g) => [g],
    jvp: (t) => {
      const [x] = t;
      if (x === undefined || x === null) throw new Error("internal error: a JVP rule got no tangent");
      return x;
    },
  },
};

/** The stride, padding and dilation of a window (the options unfold1d / fold1d take). */
function geometry(w: OpParams<"fold1d">["window"]): { stride: number; padding: number; dilation: number } {
  return { stride: w.stride, padding: w.padding, dilation: w.dilation };
}

/** The cotangent/tangent through linear's activation, from its output y. */
function activationBack(act: OpParams<"linear">["activation"], g: Tensor, y: Tensor): Tensor {
  if (act === "relu") return mul(g, step(y));
  if (act === "tanh") return mul(g, sub(1, square(y)));
  if (act === "sigmoid") return mul(g, mul(y, sub(1, y)));
  return g;
}

/** softmax(z) − onehot(y): the derivative of per-example cross-entropy in the logits. */
function crossEntropySlope(z: Tensor, labels: Tensor): Tensor {
  const C = z.shape[1] ?? 0;
  const oneHot = (l: Tensor) => reshape(oneHotRaw(l, C, z.dtype), [...l.shape, C]);
  // under vmap the labels may be mapped: one one-hot pass over the whole batch's rows
  return sub(softmaxFused(z, 1), batchHooks?.leading(labels, oneHot) ?? oneHot(labels));
}

/** @internal Input cotangents of one recorded node (`out` is the tensor it made). */
export function nodeVjp<K extends OpName>(node: OpNode<K>, out: Tensor, g: Tensor, needs: readonly boolean[]): readonly (Tensor | null)[] {
  const rule: OpRule<K> = RULES[node.op];
  return rule.vjp(g, { inputs: node.inputs, params: node.params, out }, needs);
}

/** @internal The output tangent of one recorded node from its inputs' tangents (null = zero). */
export function nodeJvp<K extends OpName>(node: OpNode<K>, out: Tensor, tangents: PerInput<K>): Tensor {
  const rule: OpRule<K> = RULES[node.op];
  return rule.jvp(tangents, { inputs: node.inputs, params: node.params, out });
}
