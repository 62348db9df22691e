import { type Tensor, ShapeError, add, foldIn } from "@regularize/core-autodiff";
import { type Activation, activationName, resolveActivation } from "./activation.js";
import { applyArgs, ownOptions, positiveInt } from "./check.js";
import { FitOptionsError } from "./errors.js";
import { type LayerInitOptions, type LinearParams, applyLinear, initLinear } from "./linear.js";
import { type Model, type ModelDTypeOptions, passThrough, site } from "./model.js";
import type { Site } from "./plugin.js";

/** Parameters of an MLP: one dense layer per pair of consecutive widths (`w` [in, out], `b` [out]). */
export type MlpParams = {
  readonly layers: readonly LinearParams[];
};

/** Options of `mlp`. */
export interface MlpOptions extends LayerInitOptions, ModelDTypeOptions {
  /** Layer widths from input to output, e.g. [40, 100, 100, 10] (the MNIST-1D reference MLP). */
  readonly widths: readonly number[];
  /** Hidden activation (default "relu"); the output layer is linear. */
  readonly activation?: Activation;
  /**
   * Residual hidden layers: a hidden layer whose input and output widths agree computes
   * h + act(W h + b) instead of act(W h + b), as the MNIST-1D reference MLP's second layer.
   */
  readonly residual?: boolean;
  /** Learn biases (default true). */
  readonly bias?: boolean;
}

/**
 * A multilayer perceptron x [N, widths[0]] → [N, widths.at(-1)]. Sites: "input" (index 0, kind
 * "input") on x, then "hidden0", "hidden1", … on each hidden layer's output (after the residual sum).
 * Default init is PyTorch's nn.Linear default, as the MNIST-1D reference.
 * @example mlp({ widths: [40, 100, 100, 10], residual: true }) // 15,210 parameters
 */
export function mlp(opts: MlpOptions): Model<MlpParams> {
  if (opts !== undefined) ownOptions("mlp", opts, ["widths", "activation", "residual", "bias", "weightInit", "biasInit", "dtype"]);
  const widths = opts?.widths;
  if (!Array.isArray(widths) || widths.length < 2) throw new FitOptionsError("mlp.widths", `needs at least an input and an output width, got ${JSON.stringify(widths)}`);
  widths.forEach((w, i) => positiveInt(`mlp.widths[${i}]`, w));
  const act = resolveActivation(opts.activation ?? "relu", "mlp.activation");
  const residual = opts.residual ?? false;
  const bias = opts.bias ?? true;
  const dtype = opts.dtype ?? "float64";
  const nLayers = widths.length - 1;
  const inputSite = site("input", 0, "input");
  const hiddenSites: Site[] = [];
  for (let i = 0; i < nLayers - 1; i++) hiddenSites.push(site(`hidden${i}`, i + 1));
  const skips = hiddenSites.map((_, i) => residual && widths[i] === widths[i + 1]);
  const inW = widths[0]!;
  return {
    name: `mlp(${widths.join("-")}, ${activationName(opts.activation ?? "relu")}${residual ? ", residual" : ""}${bias ? "" : ", no bias"})`,
    sites: [inputSite, ...hiddenSites],
    init: (key) => ({
      layers: Array.from({ length: nLayers }, (_, i) => initLinear(foldIn(key, i), widths[i]!, widths[i + 1]!, bias, opts, dtype)),
    }),
    apply: (params, x, ctx = passThrough) => {
      applyArgs("mlp", params, x, ctx, ["layers"]);
      if (x.ndim !== 2 || x.shape[1] !== inW) throw new ShapeError("mlp", `expects inputs [N, ${inW}], got [${x.shape.join(", ")}]`);
      if (params.layers.length !== nLayers) throw new ShapeError("mlp", `expects ${nLayers} layers of parameters, got ${params.layers.length}`);
      let h: Tensor = ctx.site(inputSite, x);
      for (let i = 0; i < nLayers - 1; i++) {
        const a = act(applyLinear(params.layers[i]!, h));
        h = ctx.site(hiddenSites[i]!, skips[i] ? add(h, a) : a);
      }
      return applyLinear(params.layers[nLayers - 1]!, h);
    },
  };
}
