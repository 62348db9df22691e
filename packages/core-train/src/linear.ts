import { type FloatDType, type PRNGKey, type Tensor, ShapeError, foldIn, linear as denseOp } from "@regularize/core-autodiff";
import { positiveInt } from "./check.js";
import { type Initializer, torchDefaultBias, torchDefaultWeight } from "./init.js";
import { type Model, type ModelDTypeOptions, passThrough, site } from "./model.js";

/** Parameters of a dense layer: `w` is [in, out] so that y = x @ w + b; `b` is [out] (absent without bias). */
export type LinearParams = {
  readonly w: Tensor;
  readonly b?: Tensor;
};

/** Initialisers of a dense or convolutional layer (default: PyTorch's defaults for both). */
export interface LayerInitOptions {
  /** Weight initialiser (default `torchDefaultWeight()`: U(±1/√fan_in)). */
  readonly weightInit?: Initializer;
  /** Bias initialiser (default `torchDefaultBias()`: U(±1/√fan_in)). */
  readonly biasInit?: Initializer;
}

/** Options of `linear`. */
export interface LinearOptions extends LayerInitOptions, ModelDTypeOptions {
  readonly inputs: number;
  readonly outputs: number;
  /** Learn a bias (default true). */
  readonly bias?: boolean;
}

/** @internal Draw a dense layer's parameters: the weight from foldIn(key, 0), the bias from foldIn(key, 1). */
export function initLinear(key: PRNGKey, inputs: number, outputs: number, bias: boolean, opts: LayerInitOptions, dtype: FloatDType): LinearParams {
  const fans = { fanIn: inputs, fanOut: outputs };
  const w = (opts.weightInit ?? torchDefaultWeight())(foldIn(key, 0), [inputs, outputs], fans, dtype);
  if (!bias) return { w };
  return { w, b: (opts.biasInit ?? torchDefaultBias())(foldIn(key, 1), [outputs], fans, dtype) };
}

/** @internal y = x @ w + b for x [N, in]: one fused op (GEMM and bias in one buffer, equal bit for bit to matmul then add). */
export function applyLinear(p: LinearParams, x: Tensor): Tensor {
  return denseOp(x, p.w, p.b ?? null);
}

const INPUT = site("input", 0, "input");

/**
 * A dense layer as a model (logistic regression when followed by cross-entropy): x [N, in] → [N, out].
 * Calls the "input" site on x.
 */
export function linear(opts: LinearOptions): Model<LinearParams> {
  const inputs = positiveInt("linear.inputs", opts?.inputs);
  const outputs = positiveInt("linear.outputs", opts.outputs);
  const bias = opts.bias ?? true;
  const dtype = opts.dtype ?? "float64";
  return {
    name: `linear(${inputs}-${outputs}${bias ? "" : ", no bias"})`,
    sites: [INPUT],
    init: (key) => initLinear(key, inputs, outputs, bias, opts, dtype),
    apply: (params, x, ctx = passThrough) => {
      if (x.ndim !== 2 || x.shape[1] !== inputs) throw new ShapeError("linear", `expects inputs [N, ${inputs}], got [${x.shape.join(", ")}]`);
      return applyLinear(params, ctx.site(INPUT, x));
    },
  };
}
