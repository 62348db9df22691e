// The batch rules of vmap's interpreter (batching.ts): for every primitive, how to compute it on
// values that carry a leading batch axis. A mapped value is held as one physical tensor
// [B, ...logical shape]; the batch axis is always axis 0, so an unmapped operand broadcasts
// against a mapped one for free and most rules only shift axes by one. Typed over the closed op
// set (prim/signatures.ts): a primitive without a rule is a compile error. Rules run ops on the
// physical values (public ops or `apply`), so they record for an outer grad and are batched
// again by an outer vmap. `loop` is the fallback for hard cases: slice the batch, apply, stack.
import type { Tensor } from "../tensor.js";
import { apply } from "./kernels.js";
import { NONE, type OpInputs, type OpName, type OpParams } from "./signatures.js";
import { add, relu, sigmoid, tanh } from "../ops/elementwise.js";
import { matmul } from "../ops/linalg.js";
import { broadcastTo, reshape, slice, stack } from "../ops/shape.js";

/** What a batch rule sees: physical inputs and parameters (mapped ones with a leading batch axis). */
export interface BatchArgs<K extends OpName> {
  readonly inputs: OpInputs<K>;
  /** Per input: whether it is mapped (holds the batch axis 0). At least one input or parameter is. */
  readonly batched: readonly boolean[];
  /** The op's parameters, tensor-valued ones (cond, indices, labels) physical. */
  readonly params: OpParams<K>;
  /** Whether the tensor-valued parameter `key` is mapped. */
  readonly paramBatched: (key: string) => boolean;
  /** The batch size B. */
  readonly size: number;
}

/** Computes op K on physical values; returns the physical output [B, ...logical output]. */
export type BatchRule<K extends OpName> = (a: BatchArgs<K>) => Tensor;

/** The rank of x's per-example (logical) value. */
const rank = (x: Tensor, mapped: boolean): number => (mapped ? x.ndim - 1 : x.ndim);

/** A mapped x with unit axes inserted after the batch axis up to logical rank r (NumPy's left padding, behind the batch axis). */
function align(x: Tensor, mapped: boolean, r: number): Tensor {
  if (!mapped || x.ndim - 1 >= r) return x;
  return reshape(x, [x.shape[0]!, ...new Array<number>(r - x.ndim + 1).fill(1), ...x.shape.slice(1)]);
}

/** x with a batch axis of B: an unmapped x is broadcast (copied), for kernels that need both operands batched. */
function materialize(x: Tensor, mapped: boolean, B: number): Tensor {
  return mapped ? x : broadcastTo(x, [B, ...x.shape]);
}

/** Example b of a mapped physical value. */
function at(x: Tensor, b: number): Tensor {
  return reshape(slice(x, [[b, b + 1]]), x.shape.slice(1));
}

const looped = new Set<OpName>();
/** @internal The primitives whose batch rule is (always, or in some case) the per-example loop: filled as the table is built. */
export const LOOP_RULES: ReadonlySet<OpName> = looped;

/** The generic fallback: op applied to each example, results stacked (correct for any op; the rest of f stays batched). */
function loop<K extends OpName>(op: K): BatchRule<K> {
  looped.add(op);
  return ({ inputs, batched, params, paramBatched, size }) => {
    const outs: Tensor[] = [];
    const keys = Object.keys(params).filter(paramBatched);
    for (let b = 0; b < size; b++) {
      const xs = (inputs as readonly Tensor[]).map((x, i) => (batched[i] ? at(x, b) : x));
      const ps: Record<string, unknown> = { ...params };
      for (const k of keys) ps[k] = at(ps[k] as Tensor, b);
      outs.push(apply(op, xs as unknown as OpInputs<K>, ps as OpParams<K>));
    }
    return stack(outs);
  };
}

type Arith = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";
/** Binary elementwise ops: align ranks behind the batch axis, then the kernel's broadcasting does the rest. */
function binary<K extends Arith>(op: K): BatchRule<K> {
  return ({ inputs: [a, b], batched: [ma = false, mb = false] }) => {
    const r = Math.max(rank(a, ma), rank(b, mb));
    return apply(op as Arith, [align(a, ma, r), align(b, mb, r)], NONE);
  };
}

type Unary = "neg" | "exp" | "log" | "log1p" | "sqrt" | "square" | "abs" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "softplus" | "leakyRelu" | "elu" | "clip" | "astype" | "softmax";
/** Elementwise unary ops (and softmax, with its axis shifted): the same kernel on the physical value. */
function unary<K extends Unary>(op: K): BatchRule<K> {
  return ({ inputs: [x], params }) => {
    const p = op === "softmax" ? { axis: (params as OpParams<"softmax">).axis + 1 } : params;
    return apply(op, [x] as OpInputs<K>, p as OpParams<K>);
  };
}

function reduce<K extends "sum" | "max" | "min">(op: K): BatchRule<K> {
  return ({ inputs: [x], params: { axes, keepdims } }) => apply(op as "sum", [x], { axes: axes.map((a) => a + 1), keepdims });
}

/** [B, N, ...] folded to [B·N, ...] for a kernel that treats its first axis as independent rows, then unfolded. */
function rows(x: Tensor, f: (flat: Tensor) => Tensor): Tensor {
  const [B, N] = x.shape as [number, number];
  const y = f(reshape(x, [B * N, ...x.shape.slice(2)]));
  return reshape(y, [B, N, ...y.shape.slice(1)]);
}

/** One rule per op of a family, typed per op (so the table still checks that every op has one). */
function each<K extends OpName>(ops: readonly K[], make: (op: K) => BatchRule<K>): { readonly [P in K]: BatchRule<P> } {
  return Object.fromEntries(ops.map((op) => [op, make(op)])) as unknown as { readonly [P in K]: BatchRule<P> };
}

const ACTIVATIONS = { none: (z: Tensor) => z, relu, tanh, sigmoid } as const;

export const BATCH_RULES: { readonly [K in OpName]: BatchRule<K> } = {
  ...each(["add", "sub", "mul", "div", "pow", "maximum", "minimum"], binary),
  ...each(["neg", "exp", "log", "log1p", "sqrt", "square", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "leakyRelu", "elu", "clip", "astype", "softmax"], unary),
  where: ({ inputs: [a, b], batched: [ma = false, mb = false], params: { cond }, paramBatched }) => {
    const mc = paramBatched("cond");
    const r = Math.max(rank(a, ma), rank(b, mb), rank(cond, mc));
    return apply("where", [align(a, ma, r), align(b, mb, r)], { cond: align(cond, mc, r) });
  },
  ...each(["sum", "max", "min"], reduce),
  // per example, so each row keeps the kernel's summation order (sum(square(x)) over the other axes would not)
  sumSquares: loop("sumSquares"),
  reshape: ({ inputs: [x], params: { shape }, size }) => apply("reshape", [x], { shape: [size, ...shape] }),
  broadcastTo: ({ inputs: [x], params: { shape }, size }) => apply("broadcastTo", [align(x, true, shape.length)], { shape: [size, ...shape] }),
  transpose: ({ inputs: [x], params: { perm } }) => apply("transpose", [x], { perm: [0, ...perm.map((p) => p + 1)] }),
  slice: ({ inputs: [x], params: { begin, size: extents }, size }) => apply("slice", [x], { begin: [0, ...begin], size: [size, ...extents] }),
  pad: ({ inputs: [x], params: { widths } }) => apply("pad", [x], { widths: [[0, 0], ...widths] }),
  concat: ({ inputs: xs, batched, params: { axis }, size }) => apply("concat", xs.map((x, i) => materialize(x, batched[i] ?? false, size)), { axis: axis + 1 }),
  flip: ({ inputs: [x], params: { axes } }) => apply("flip", [x], { axes: axes.map((a) => a + 1) }),
  // mapped indices: a different gather per example (the loop); shared indices: one gather behind the batch axis
  take: (a) => (a.paramBatched("indices") ? loop("take")(a) : apply("take", a.inputs, { indices: a.params.indices, axis: a.params.axis + 1 })),
  takeAlongAxis: ({ inputs: [x], batched: [mx = false], params: { indices, axis }, paramBatched, size }) =>
    apply("takeAlongAxis", [materialize(x, mx, size)], { indices: materialize(indices, paramBatched("indices"), size), axis: axis + 1 }),
  scatterAdd: (a) => {
    const { inputs: [src], batched: [ms = false], params: { indices, shape, axis, shared }, size } = a;
    const mi = a.paramBatched("indices");
    if (shared && mi) return loop("scatterAdd")(a);
    return apply("scatterAdd", [materialize(src, ms, size)], { indices: shared ? indices : materialize(indices, mi, size), shape: [size, ...shape], axis: axis + 1, shared });
  },
  matmul: ({ inputs: [A, B], batched: [ma = false, mb = false], params, size }) => {
    // a mapped A times a shared matrix: the examples' rows stacked into one GEMM
    if (ma && !mb && !params.transA && B.ndim === 2) return matrixRows(A, (a) => matmul(a, B, { transB: params.transB }));
    return apply("matmul", [materialize(A, ma, size), materialize(B, mb, size)], params);
  },
  linear: ({ inputs, batched, params: { activation }, size }) => {
    const [x, w, b] = inputs;
    const [mx = false, mw = false, mb = false] = batched;
    // only x mapped: the examples' rows go through one fused GEMM + bias + activation
    if (!mw && !mb) return rows(x, (flat) => apply("linear", b === undefined ? [flat, w] : [flat, w, b], { activation }));
    // mapped weights: a batched matmul, then the bias add and activation (the values the fused kernel rounds to)
    const z = matmul(materialize(x, mx, size), materialize(w, mw, size));
    return ACTIVATIONS[activation](b === undefined ? z : add(z, align(b, mb, 2)));
  },
  crossEntropy: ({ inputs: [z], batched: [mz = false], params: { labels }, paramBatched, size }) => {
    const l = materialize(labels, paramBatched("labels"), size);
    return rows(materialize(z, mz, size), (flat) => apply("crossEntropy", [flat], { labels: reshape(l, [flat.shape[0]!]) }));
  },
  unfold1d: ({ inputs: [x], params }) => rows(x, (flat) => apply("unfold1d", [flat], params)),
  fold1d: ({ inputs: [x], params }) => rows(x, (flat) => apply("fold1d", [flat], params)),
  solve: loop("solve"),
  cholesky: loop("cholesky"),
  // a transform's variable is made by the tape, never applied; identity for completeness
  variable: ({ inputs }) => {
    const [x] = inputs;
    if (x === undefined) throw new Error("internal error: a batched variable without its value");
    return x;
  },
};

/** Mapped A [B, ...batch, M, K] against a shared matrix: every row of every example in one product, reshaped back. */
function matrixRows(A: Tensor, f: (flat: Tensor) => Tensor): Tensor {
  const K = A.shape[A.ndim - 1]!;
  const y = f(reshape(A, [-1, K]));
  return reshape(y, [...A.shape.slice(0, -1), y.shape[1]!]);
}

