import { alloc, type DataArray, type FloatDType } from "../dtype.js";
import { ShapeError, ValueError, fmtShape } from "../errors.js";
import type { Window1d } from "../kernels/layout.js";
import { normAxis, shapesEqual } from "../shape.js";
import { READ_WRITE, hostKernel } from "../kernel-trace.js";
import { apply } from "../prim/kernels.js";
import { batchHooks } from "../prim/batch-hook.js";
import { Tensor } from "../tensor.js";
import { add, mul, neg, softplus, square, sub } from "./elementwise.js";
import { crossEntropyPerExample, softmaxFused } from "./fused.js";
import { linearCheck } from "./nn-util.js";
import { logsumexp, max, mean, sum } from "./reduce.js";
import { matmul } from "./linalg.js";
import { reshape, transpose } from "./shape.js";
import { commonDType, requireFloat, requireInt } from "./util.js";
import { MAX_SIZE } from "../shape.js";
import { describe, floatArg, floatDTypeArg, intArg, numberArg, optionsArg, tensorArg } from "../validate.js";

/**
 * Softmax along `axis` (default last), stabilised by the maximum: one fused pass per row, with the
 * values of exp(x − max) / Σ exp(x − max) composed of public ops, bit for bit (see ops/fused.ts).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  return softmaxFused(x, axis);
}

/** log softmax along `axis` (default last): x − logsumexp(x). */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  requireFloat("logSoftmax", x);
  const ax = normAxis("logSoftmax", axis, x.ndim);
  return sub(x, logsumexp(x, { axis: ax, keepdims: true }));
}

/** How a per-example loss is reduced over the batch. */
export type Reduction = "mean" | "sum" | "none";

function reduce(op: string, l: Tensor, reduction: Reduction): Tensor {
  if (reduction === "mean") return mean(l);
  if (reduction === "sum") return sum(l);
  if (reduction === "none") return l;
  throw new ValueError(op, `reduction must be "mean", "sum" or "none", got ${String(reduction)}`);
}

/** Options of crossEntropy. */
export interface CrossEntropyOptions {
  /** "mean" over the batch (default, as PyTorch), "sum", or "none" (per example). */
  readonly reduction?: Reduction;
}

/**
 * Softmax cross-entropy of logits [N, C] against int32 class labels [N] or soft targets [N, C]
 * (rows of probabilities): −Σ_c q_c log softmax_c.
 */
export function crossEntropy(logits: Tensor, labels: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  floatArg("crossEntropy", "logits", logits);
  tensorArg("crossEntropy", "labels", labels);
  optionsArg("crossEntropy", opts, ["reduction"]);
  if (logits.ndim !== 2) throw new ShapeError("crossEntropy", `logits must be [N, C], got ${fmtShape(logits.shape)}`);
  let per: Tensor;
  if (labels.dtype === "int32") {
    // one fused pass (the values of −log softmax(z)[y] composed of public ops, bit for bit)
    per = crossEntropyPerExample(logits, labels);
  } else {
    const ls = logSoftmax(logits, 1);
    if (!shapesEqual(labels.shape, logits.shape)) throw new ShapeError("crossEntropy", `soft targets ${fmtShape(labels.shape)} must match logits ${fmtShape(logits.shape)}`);
    commonDType("crossEntropy", logits, labels);
    per = neg(sum(mul(labels, ls), { axis: 1 }));
  }
  return reduce("crossEntropy", per, opts.reduction ?? "mean");
}

function residual(op: string, pred: Tensor, target: Tensor): Tensor {
  requireFloat(op, pred, target);
  commonDType(op, pred, target);
  if (!shapesEqual(pred.shape, target.shape)) {
    throw new ShapeError(op, `prediction ${fmtShape(pred.shape)} and target ${fmtShape(target.shape)} differ (no implicit broadcasting in losses)`);
  }
  return sub(pred, target);
}

/** Mean squared error (mean over every element). */
export function mse(pred: Tensor, target: Tensor): Tensor {
  return mean(square(residual("mse", pred, target)));
}

/** Sum of squared errors (the book's least-squares loss, e.g. figure 9.6). */
export function sse(pred: Tensor, target: Tensor): Tensor {
  return sum(square(residual("sse", pred, target)));
}

/**
 * Binary cross-entropy of logits z against targets t ∈ [0, 1] of the same shape, as
 * softplus(z) − z·t (= −t·log σ(z) − (1−t)·log(1−σ(z)) without overflow); reduced over all elements.
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, targets: Tensor, opts: CrossEntropyOptions = {}): Tensor {
  optionsArg("binaryCrossEntropyWithLogits", opts, ["reduction"]);
  requireFloat("binaryCrossEntropyWithLogits", logits, targets);
  commonDType("binaryCrossEntropyWithLogits", logits, targets);
  if (!shapesEqual(logits.shape, targets.shape)) {
    throw new ShapeError("binaryCrossEntropyWithLogits", `logits ${fmtShape(logits.shape)} and targets ${fmtShape(targets.shape)} differ`);
  }
  return reduce("binaryCrossEntropyWithLogits", sub(softplus(logits), mul(logits, targets)), opts.reduction ?? "mean");
}

/** One-hot float encoding [..., numClasses] of int32 labels. */
export function oneHot(labels: Tensor, numClasses: number, opts: { dtype?: FloatDType } = {}): Tensor {
  requireInt("oneHot", "labels", labels);
  intArg("oneHot", "numClasses", numClasses, 1, MAX_SIZE);
  optionsArg("oneHot", opts, ["dtype"]);
  const dtype = floatDTypeArg("oneHot", "dtype", opts.dtype, "float64");
  if (labels.size * numClasses > MAX_SIZE) throw new ShapeError("oneHot", `${labels.size} labels × ${numClasses} classes is more than the ${MAX_SIZE} elements a tensor may hold`);
  const encode = (l: Tensor): Tensor => {
    const out = alloc(dtype, l.size * numClasses);
    hostKernel("oneHot", (y: DataArray, out: DataArray) => {
      out.fill(0);
      y.forEach((v, i) => {
        if (v < 0 || v >= numClasses) throw new ValueError("oneHot", `label ${v} is outside [0, ${numClasses - 1}]`);
        out[i * numClasses + v] = 1;
      });
    }, [l.data, out], READ_WRITE);
    return new Tensor(out, [...l.shape, numClasses], dtype);
  };
  // under vmap, mapped labels are encoded in one pass over the whole batch
  return batchHooks?.leading(labels, encode) ?? encode(labels);
}

/** Geometry options of 1-D windows (conv1d, pooling). */
export interface Window1dOptions {
  readonly stride?: number;
  readonly padding?: number;
  readonly dilation?: number;
}

function window(op: string, L: number, kernel: number, o: Window1dOptions, defaultStride: number): Window1d {
  const stride = o.stride ?? defaultStride, padding = o.padding ?? 0, dilation = o.dilation ?? 1;
  for (const [k, v, min] of [["kernel", kernel, 1], ["stride", stride, 1], ["padding", padding, 0], ["dilation", dilation, 1]] as const) {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) throw new ValueError(op, `${k} must be an integer ≥ ${min}, got ${describe(v)}`);
    if (v > MAX_SIZE) throw new ValueError(op, `${k} must be at most ${MAX_SIZE}, got ${v}`);
  }
  const span = dilation * (kernel - 1) + 1;
  const outLength = Math.floor((L + 2 * padding - span) / stride) + 1;
  if (outLength < 1) throw new ShapeError(op, `input length ${L} (padding ${padding}) is shorter than the window span ${span}`);
  return { kernel, stride, padding, dilation, outLength };
}

/** Sliding windows of x [N, C, L] → [N, Lout, C, K] (im2col); padded positions hold `padValue`. */
export function unfold1d(x: Tensor, kernel: number, opts: Window1dOptions & { padValue?: number } = {}): Tensor {
  optionsArg("unfold1d", opts, ["stride", "padding", "dilation", "padValue"]);
  return unfoldAs("unfold1d", x, kernel, opts);
}

// unfold1d with errors naming the op the user called (conv1d, maxPool1d...)
function unfoldAs(op: string, x: Tensor, kernel: number, opts: Window1dOptions & { padValue?: number }): Tensor {
  floatArg(op, "x", x);
  if (opts.padValue !== undefined) numberArg(op, "padValue", opts.padValue, { finite: false });
  if (x.ndim !== 3) throw new ShapeError(op, `input must be [N, C, L], got ${fmtShape(x.shape)}`);
  const L = x.shape[2]!;
  const w = window(op, L, kernel, opts, 1);
  const [N, C] = x.shape as [number, number, number];
  if (N * w.outLength * C * kernel > MAX_SIZE) throw new ShapeError(op, `${N}·${w.outLength}·${C}·${kernel} window elements, more than the ${MAX_SIZE} a tensor may hold`);
  return apply("unfold1d", [x], { window: w, padValue: opts.padValue ?? 0 });
}

/** Transpose of unfold1d: windows [N, Lout, C, K] summed back into [N, C, L]. */
export function fold1d(cols: Tensor, length: number, opts: Window1dOptions = {}): Tensor {
  floatArg("fold1d", "cols", cols);
  optionsArg("fold1d", opts, ["stride", "padding", "dilation"]);
  intArg("fold1d", "length", length, 1, MAX_SIZE);
  if (cols.ndim !== 4) throw new ShapeError("fold1d", `input must be [N, Lout, C, K], got ${fmtShape(cols.shape)}`);
  const [, Lo, , K] = cols.shape as [number, number, number, number];
  const w = window("fold1d", length, K, opts, 1);
  if (w.outLength !== Lo) throw new ShapeError("fold1d", `windows ${fmtShape(cols.shape)} do not match length ${length}`);
  return apply("fold1d", [cols], { window: w, length });
}

/** Options of conv1d. */
export interface Conv1dOptions extends Window1dOptions {
  /** Optional bias [Cout] added to every position. */
  readonly bias?: Tensor;
}

/**
 * 1-D cross-correlation (PyTorch's Conv1d): x [N, Cin, L], w [Cout, Cin, K] → [N, Cout, Lout].
 * Computed as im2col + one GEMM, so its gradients are unfold/fold and matmul, all differentiable again.
 */
export function conv1d(x: Tensor, w: Tensor, opts: Conv1dOptions = {}): Tensor {
  floatArg("conv1d", "x", x);
  floatArg("conv1d", "w", w);
  optionsArg("conv1d", opts, ["stride", "padding", "dilation", "bias"]);
  if (opts.bias !== undefined) floatArg("conv1d", "bias", opts.bias);
  commonDType("conv1d", x, w);
  if (opts.bias) commonDType("conv1d", x, opts.bias);
  if (x.ndim !== 3 || w.ndim !== 3) throw new ShapeError("conv1d", `expected x [N, Cin, L] and w [Cout, Cin, K], got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  const [N, Cin] = x.shape as [number, number, number];
  const [Cout, Cw, K] = w.shape as [number, number, number];
  if (Cw !== Cin) throw new ShapeError("conv1d", `input has ${Cin} channels but weight ${fmtShape(w.shape)} expects ${Cw}`);
  const cols = unfoldAs("conv1d", x, K, opts);
  const Lo = cols.shape[1]!;
  const y = matmul(reshape(cols, [N * Lo, Cin * K]), reshape(w, [Cout, Cin * K]), { transB: true });
  let out = transpose(reshape(y, [N, Lo, Cout]), [0, 2, 1]);
  if (opts.bias) {
    linearCheck("conv1d", opts.bias, Cout);
    out = add(out, reshape(opts.bias, [Cout, 1]));
  }
  return out;
}

/** Options of 1-D pooling: window `kernel`, `stride` (default = kernel), padding, dilation. */
export interface Pool1dOptions extends Window1dOptions {
  readonly kernel: number;
}

/** Max pooling over windows of x [N, C, L] → [N, C, Lout] (padding counts as −∞; every window must cover an input element). */
export function maxPool1d(x: Tensor, opts: Pool1dOptions): Tensor {
  poolArgs("maxPool1d", x, opts);
  const stride = opts.stride ?? opts.kernel, padding = opts.padding ?? 0, dilation = opts.dilation ?? 1;
  const cols = unfoldAs("maxPool1d", x, opts.kernel, { stride, padding, dilation, padValue: -Infinity });
  // A window lying wholly in the padding (or, with dilation, skipping every input element) would
  // output −∞; PyTorch's "padding ≤ half the window" rule does not rule out the dilated case.
  const L = x.shape[2]!, Lo = cols.shape[1]!;
  for (let t = 0; t < Lo; t++) {
    let covered = false;
    for (let k = 0; k < opts.kernel && !covered; k++) {
      const p = t * stride - padding + k * dilation;
      covered = p >= 0 && p < L;
    }
    if (!covered) {
      throw new ValueError("maxPool1d", `window ${t} (kernel ${opts.kernel}, stride ${stride}, padding ${padding}, dilation ${dilation}) covers no element of an input of length ${L}`);
    }
  }
  return transpose(max(cols, { axis: 3 }), [0, 2, 1]);
}

/** Average pooling over windows of x [N, C, L] → [N, C, Lout] (padding counts as 0, as PyTorch's default). */
export function avgPool1d(x: Tensor, opts: Pool1dOptions): Tensor {
  poolArgs("avgPool1d", x, opts);
  const cols = unfoldAs("avgPool1d", x, opts.kernel, { stride: opts.stride ?? opts.kernel, padding: opts.padding ?? 0, dilation: opts.dilation ?? 1 });
  return transpose(mean(cols, { axis: 3 }), [0, 2, 1]);
}

function poolArgs(op: string, x: Tensor, opts: Pool1dOptions): void {
  floatArg(op, "x", x);
  intArg(op, "kernel", optionsArg(op, opts, ["kernel", "stride", "padding", "dilation"]).kernel, 1, MAX_SIZE);
}
