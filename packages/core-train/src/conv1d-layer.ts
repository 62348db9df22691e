import { type FloatDType, type PRNGKey, type Tensor, conv1d, foldIn } from "@regularize/core-autodiff";
import type { LayerInitOptions } from "./linear.js";
import { torchDefaultBias, torchDefaultWeight } from "./init.js";
import { FitOptionsError } from "./errors.js";
import { positiveInt } from "./check.js";
import { safeText } from "./train-error.js";

/** Parameters of a 1-D convolution, PyTorch layout: `w` [Cout, Cin, K], `b` [Cout]. */
export type Conv1dParams = {
  readonly w: Tensor;
  readonly b?: Tensor;
};

/** Geometry of a 1-D convolution layer. */
export interface Conv1dLayerOptions extends LayerInitOptions {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: number;
  readonly stride?: number;
  readonly padding?: number;
  readonly bias?: boolean;
}

/** @internal Draw a conv layer's parameters (fan_in = Cin·K, fan_out = Cout·K, as PyTorch). */
export function initConv1d(key: PRNGKey, o: Conv1dLayerOptions, dtype: FloatDType): Conv1dParams {
  const fans = { fanIn: o.inChannels * o.kernel, fanOut: o.outChannels * o.kernel };
  const w = (o.weightInit ?? torchDefaultWeight())(foldIn(key, 0), [o.outChannels, o.inChannels, o.kernel], fans, dtype);
  if (o.bias === false) return { w };
  return { w, b: (o.biasInit ?? torchDefaultBias())(foldIn(key, 1), [o.outChannels], fans, dtype) };
}

/** @internal x [N, Cin, L] → [N, Cout, Lout]. */
export function applyConv1d(p: Conv1dParams, x: Tensor, o: Conv1dLayerOptions): Tensor {
  return conv1d(x, p.w, { stride: o.stride ?? 1, padding: o.padding ?? 0, ...(p.b ? { bias: p.b } : {}) });
}

/** Output length of a convolution over `length` samples. */
export function conv1dOutputLength(length: number, kernel: number, stride = 1, padding = 0): number {
  for (const [name, v] of [["length", length], ["kernel", kernel], ["padding", padding]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new FitOptionsError(name, `must be an integer ≥ 0, got ${safeText(v)}`, "conv1dOutputLength");
  }
  positiveInt("stride", stride);
  return Math.floor((length + 2 * padding - kernel) / stride) + 1;
}
