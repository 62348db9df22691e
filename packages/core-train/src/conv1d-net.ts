import { type Tensor, ShapeError, foldIn, reshape } from "@regularize/core-autodiff";
import { type Activation, activationName, resolveActivation } from "./activation.js";
import { applyArgs, ownOptions, positiveInt } from "./check.js";
import { type Conv1dLayerOptions, type Conv1dParams, applyConv1d, conv1dOutputLength, initConv1d } from "./conv1d-layer.js";
import { FitOptionsError } from "./errors.js";
import { type LayerInitOptions, type LinearParams, applyLinear, initLinear } from "./linear.js";
import { type Model, type ModelDTypeOptions, passThrough, site } from "./model.js";

/** Parameters of `conv1dNet`: three conv layers and the dense read-out (`w` [C·Lout, outputs]). */
export type Conv1dNetParams = {
  readonly convs: readonly Conv1dParams[];
  readonly head: LinearParams;
};

/** Options of `conv1dNet` (defaults: the MNIST-1D reference CNN). */
export interface Conv1dNetOptions extends LayerInitOptions, ModelDTypeOptions {
  /** Input length (default 40). */
  readonly inputLength?: number;
  /** Channels of every conv layer (default 25). */
  readonly channels?: number;
  /** Number of outputs/classes (default 10). */
  readonly outputs?: number;
  /** Activation after each conv (default "relu"). */
  readonly activation?: Activation;
}

/**
 * The MNIST-1D reference CNN: x [N, L] (or [N, 1, L]) → Conv1d(1→C, k5, s2, p1) → act →
 * Conv1d(C→C, k3, s2, p1) → act → Conv1d(C→C, k3, s2, p1) → act → flatten (channel-major, as
 * PyTorch's view) → Linear(C·Lout → outputs). With the defaults: 40 → 19 → 10 → 5, 125 features,
 * 5,210 parameters. Sites: "input" (index 0) and "conv0", "conv1", "conv2" after each activation.
 */
export function conv1dNet(opts: Conv1dNetOptions = {}): Model<Conv1dNetParams> {
  opts = ownOptions("conv1dNet", opts, ["inputLength", "channels", "outputs", "activation", "weightInit", "biasInit", "dtype"]);
  const L = positiveInt("conv1dNet.inputLength", opts.inputLength ?? 40);
  const C = positiveInt("conv1dNet.channels", opts.channels ?? 25);
  const outputs = positiveInt("conv1dNet.outputs", opts.outputs ?? 10);
  const act = resolveActivation(opts.activation ?? "relu", "conv1dNet.activation");
  const dtype = opts.dtype ?? "float64";
  const init = { ...(opts.weightInit ? { weightInit: opts.weightInit } : {}), ...(opts.biasInit ? { biasInit: opts.biasInit } : {}) };
  const layers: Conv1dLayerOptions[] = [
    { inChannels: 1, outChannels: C, kernel: 5, stride: 2, padding: 1, ...init },
    { inChannels: C, outChannels: C, kernel: 3, stride: 2, padding: 1, ...init },
    { inChannels: C, outChannels: C, kernel: 3, stride: 2, padding: 1, ...init },
  ];
  let len = L;
  for (const l of layers) len = conv1dOutputLength(len, l.kernel, l.stride, l.padding);
  if (len < 1) throw new FitOptionsError("conv1dNet.inputLength", `${L} is too short for three stride-2 convolutions`);
  const features = C * len;
  const headInit: LayerInitOptions = init;
  const inputSite = site("input", 0, "input");
  const convSites = layers.map((_, i) => site(`conv${i}`, i + 1));
  return {
    name: `conv1dNet(${L}, ${C} channels, ${activationName(opts.activation ?? "relu")}, ${outputs} outputs)`,
    sites: [inputSite, ...convSites],
    init: (key) => ({
      convs: layers.map((l, i) => initConv1d(foldIn(key, i), l, dtype)),
      head: initLinear(foldIn(key, layers.length), features, outputs, true, headInit, dtype),
    }),
    apply: (params, x, ctx = passThrough) => {
      applyArgs("conv1dNet", params, x, ctx, ["convs", "head"]);
      const okShape = (x.ndim === 2 && x.shape[1] === L) || (x.ndim === 3 && x.shape[1] === 1 && x.shape[2] === L);
      if (!okShape) throw new ShapeError("conv1dNet", `expects inputs [N, ${L}] or [N, 1, ${L}], got [${x.shape.join(", ")}]`);
      const N = x.shape[0]!;
      let h: Tensor = ctx.site(inputSite, x.ndim === 2 ? reshape(x, [N, 1, L]) : x);
      layers.forEach((l, i) => {
        h = ctx.site(convSites[i]!, act(applyConv1d(params.convs[i]!, h, l)));
      });
      return applyLinear(params.head, reshape(h, [N, features]));
    },
  };
}
