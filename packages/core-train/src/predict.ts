import { type PRNGKey, Tensor, type Tree, argmax, foldInString, noGrad, prngKey } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { type Loss, type LossName, resolveLoss } from "./losses.js";
import { type Model, isModel } from "./model.js";
import { PluginForward } from "./plugin-forward.js";
import { sortPlugins } from "./plugin-order.js";
import type { Dataset, Mode, Plugin } from "./plugin.js";

/** Options of `predict`. */
export interface PredictOptions {
  /** "eval" (default): stochastic-layer plugins act only if listed in `activate`; "train": all act. */
  readonly mode?: Mode;
  /** Plugins whose `site` / `forwardParams` hooks take part in the forward pass. */
  readonly plugins?: readonly Plugin[];
  /** Names of plugins switched on in eval mode (MC dropout: `activate: ["dropout"]`). */
  readonly activate?: readonly string[];
  /** Key of this forward pass (default prngKey(0)); each plugin's stream is foldInString(key, name). */
  readonly key?: PRNGKey;
  /** The step reported to the hooks (default 0). */
  readonly step?: number;
}

function activeFlags(plugins: readonly Plugin[], mode: Mode, activate: readonly string[] | undefined): boolean[] {
  if (mode !== "train" && mode !== "eval") throw new FitOptionsError("mode", `must be "train" or "eval", got ${JSON.stringify(mode)}`);
  const names = new Set(plugins.map((p) => p.name));
  for (const a of activate ?? []) if (!names.has(a)) throw new FitOptionsError("activate", `no plugin named "${a}" among [${[...names].join(", ")}]`);
  const on = new Set(activate ?? []);
  return plugins.map((p) => mode === "train" || on.has(p.name));
}

/**
 * The model's output for x with stochastic-layer plugins applied per `mode`/`activate`; a pure
 * function of its arguments (same key ⇒ same output). MC dropout = several calls with different keys:
 * `predict(model, params, x, { plugins: [dropout], activate: ["dropout"], key })`.
 */
export function predict<P extends Tree>(model: Model<P>, params: P, x: Tensor, opts: PredictOptions = {}): Tensor {
  if (!isModel(model)) throw new FitOptionsError("model", "must be a Model (with init and apply)", "predict");
  if (!(x instanceof Tensor)) throw new FitOptionsError("x", "must be a Tensor", "predict");
  const plugins = sortPlugins(opts.plugins ?? [], "plugins");
  const mode = opts.mode ?? "eval";
  const active = activeFlags(plugins, mode, opts.activate);
  if (plugins.length === 0) return noGrad(() => model.apply(params, x));
  const key = opts.key ?? prngKey(0);
  const step = opts.step ?? 0;
  const fwd = new PluginForward(model as Model<Tree>, plugins, mode, active, (i) => foldInString(key, plugins[i]!.name), () => step);
  return noGrad(() => fwd.forward(params, x));
}

/** Loss and accuracy of a model on a dataset. */
export interface Evaluation {
  /** The loss on the whole set in one batch (a mean for mean losses, a sum for sse). */
  readonly loss: number;
  /** Fraction of correct argmax predictions (int32 labels [N], or soft targets [N, C] whose rows are distributions). */
  readonly accuracy?: number;
}

/** Options of `evaluate`: a loss plus everything `predict` takes. */
export interface EvaluateOptions extends PredictOptions {
  /** The loss (default "mse" for float targets shaped like the output, "crossEntropy" for int32 labels). */
  readonly loss?: Loss | LossName;
}

function isDistributionRows(y: Tensor): boolean {
  const [n, c] = y.shape as [number, number];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < c; j++) {
      const v = y.data[i * c + j]!;
      if (!(v >= 0 && v <= 1)) return false;
      s += v;
    }
    if (Math.abs(s - 1) > 1e-6) return false;
  }
  return true;
}

/**
 * Fraction of rows of logits [N, C] whose argmax matches the int32 label [N], or the argmax of a
 * soft target [N, C] whose rows are probability vectors; undefined otherwise (regression).
 */
export function accuracy(pred: Tensor, y: Tensor): number | undefined {
  if (!(pred instanceof Tensor) || !(y instanceof Tensor)) throw new FitOptionsError(pred instanceof Tensor ? "y" : "pred", "must be a Tensor", "accuracy");
  if (pred.ndim !== 2) return undefined;
  const n = pred.shape[0]!;
  let labels: ArrayLike<number>;
  if (y.dtype === "int32" && y.ndim === 1 && y.shape[0] === n) labels = y.data;
  else if (y.dtype !== "int32" && y.ndim === 2 && y.shape[0] === n && y.shape[1] === pred.shape[1] && pred.shape[1]! > 1 && isDistributionRows(y)) labels = argmax(y, 1).data;
  else return undefined;
  const p = argmax(pred, 1).data;
  let hits = 0;
  for (let i = 0; i < n; i++) if (p[i] === labels[i]) hits++;
  return n === 0 ? 0 : hits / n;
}

/** Loss and accuracy of params on a dataset, in eval mode by default (see `predict` for the plugin options). */
export function evaluate<P extends Tree>(model: Model<P>, params: P, data: Dataset, opts: EvaluateOptions = {}): Evaluation {
  if (!(data?.x instanceof Tensor) || !(data.y instanceof Tensor)) throw new FitOptionsError("data", "must be { x, y } tensors", "evaluate");
  const loss = resolveLoss(opts.loss ?? (data.y.dtype === "int32" ? "crossEntropy" : "mse"));
  const pred = predict(model, params, data.x, opts);
  const value = noGrad(() => loss(pred, data)).item();
  const acc = accuracy(pred, data.y);
  return acc === undefined ? { loss: value } : { loss: value, accuracy: acc };
}
