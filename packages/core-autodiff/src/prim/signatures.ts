// The closed set of primitive ops: every op that records a node for autodiff is a key of
// `OpSignatures`, with the tensors it differentiates and the constants its rules need. The kernel
// table (prim/kernels.ts) and the rule table (prim/rules.ts) are typed as `{ [K in OpName]: ... }`,
// so a name added here without a kernel, a VJP or a JVP rule is a compile error.
import type { DType } from "../dtype.js";
import type { Window1d } from "../kernels/layout.js";
import type { Shape } from "../shape.js";
import type { Tensor } from "../tensor.js";

/** Activations `linear` applies in its output pass. */
export type LinearActivation = "none" | "relu" | "tanh" | "sigmoid";

type None = Readonly<Record<string, never>>;
type Un = readonly [x: Tensor];
type Bin = readonly [a: Tensor, b: Tensor];
/** Reduction geometry: normalised sorted axes, and whether the output keeps them as extent 1. */
type Axes = { readonly axes: readonly number[]; readonly keepdims: boolean };

/** Per primitive: [differentiated inputs, constant parameters]. */
export interface OpSignatures {
  add: [Bin, None];
  sub: [Bin, None];
  mul: [Bin, None];
  div: [Bin, None];
  pow: [Bin, None];
  maximum: [Bin, None];
  minimum: [Bin, None];
  neg: [Un, None];
  exp: [Un, None];
  log: [Un, None];
  log1p: [Un, None];
  sqrt: [Un, None];
  square: [Un, None];
  abs: [Un, None];
  sin: [Un, None];
  cos: [Un, None];
  tanh: [Un, None];
  sigmoid: [Un, None];
  relu: [Un, None];
  softplus: [Un, None];
  leakyRelu: [Un, { readonly slope: number }];
  elu: [Un, { readonly alpha: number }];
  /** a where cond ≠ 0, else b; cond is not differentiated. */
  where: [Bin, { readonly cond: Tensor }];
  clip: [Un, { readonly lo: number; readonly hi: number }];
  /** float ↔ float casts (int32 results are constants and record nothing). */
  astype: [Un, { readonly dtype: DType }];
  sum: [Un, Axes];
  /** Σx² over every element, to a scalar (a penalty's Σφ² in one pass). */
  sumSquares: [Un, None];
  max: [Un, Axes];
  min: [Un, Axes];
  reshape: [Un, { readonly shape: Shape }];
  broadcastTo: [Un, { readonly shape: Shape }];
  transpose: [Un, { readonly perm: readonly number[] }];
  slice: [Un, { readonly begin: readonly number[]; readonly size: readonly number[] }];
  pad: [Un, { readonly widths: readonly (readonly [number, number])[] }];
  concat: [readonly Tensor[], { readonly axis: number }];
  flip: [Un, { readonly axes: readonly number[] }];
  /** NumPy take along `axis` by int32 indices, output flattened to [..., indices.size, ...]. */
  take: [Un, { readonly indices: Tensor; readonly axis: number }];
  takeAlongAxis: [Un, { readonly indices: Tensor; readonly axis: number }];
  /** Zeros of `shape` with src added at `indices` (the transpose of take / takeAlongAxis). */
  scatterAdd: [Un, { readonly indices: Tensor; readonly shape: Shape; readonly axis: number; readonly shared: boolean }];
  /** Batched matmul of operands already broadcast to one batch shape (both at least 2-D). */
  matmul: [Bin, { readonly transA: boolean; readonly transB: boolean }];
  /** act(x·W + b) for a 2-D x. */
  linear: [readonly [x: Tensor, w: Tensor] | readonly [x: Tensor, w: Tensor, b: Tensor], { readonly activation: LinearActivation }];
  softmax: [Un, { readonly axis: number }];
  /** Per-example −log softmax(z)[y] of logits [N, C] against int32 labels [N]. */
  crossEntropy: [Un, { readonly labels: Tensor }];
  /** Sliding windows [N, C, L] → [N, Lout, C, K] (validated geometry); padded positions hold padValue. */
  unfold1d: [Un, { readonly window: Window1d; readonly padValue: number }];
  /** Transpose of unfold1d: windows summed back into [N, C, length]. */
  fold1d: [Un, { readonly window: Window1d; readonly length: number }];
  solve: [Bin, None];
  cholesky: [Un, None];
  /** A transform's variable standing for x (or a fresh leaf): identity. */
  variable: [readonly [] | Un, None];
}

/** The name of a primitive op. */
export type OpName = keyof OpSignatures;
/** The differentiated inputs of op K. */
export type OpInputs<K extends OpName> = OpSignatures[K][0];
/** The constant parameters of op K. */
export type OpParams<K extends OpName> = OpSignatures[K][1];
/** One value (or null = zero / not needed) per input of op K. */
export type PerInput<K extends OpName> = OrNull<OpInputs<K>>;
/** A tuple of tensors with each entry also allowed null (homomorphic over T, so tuples stay tuples). */
type OrNull<T> = { -readonly [I in keyof T]: Tensor | null };

/** A recorded application of op K. @internal */
export interface OpNode<K extends OpName = OpName> {
  readonly op: K;
  readonly inputs: OpInputs<K>;
  readonly params: OpParams<K>;
}

/** A recorded node of any op (what `Tensor.node` holds). @internal */
export type GradNode = { [K in OpName]: OpNode<K> }[OpName];

/** The shared empty parameter object. @internal */
export const NONE: None = Object.freeze({});
