/** The chapter-8/9 toy regression data and the 14-unit simplified network (from the packages). */
import { type Tensor, concat, ones, prngKey, tensor } from "@regularize/core-autodiff";
import { shallowNet, type ShallowNetParams } from "@regularize/core-train";
import { type BookDatasetName, bookDataset, makeToyData, trueFunction } from "@regularize/datasets";

export type DataChoice = "book" | "seed";

export interface ToyData {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly n: number;
}

/** The book's digitised points for a figure, or the notebooks' generator with a seed (seed 1 = the notebooks' data). */
export function toyData(choice: DataChoice, seed: number, book: BookDatasetName = "fig9_2"): ToyData {
  const d = choice === "book" ? bookDataset(book) : makeToyData({ seed });
  return { x: Float64Array.from(d.x), y: Float64Array.from(d.y), n: d.n };
}

/** 100 evenly spaced points of [0, 1] (the notebooks' plotting grid). */
export function plotGrid(n = 100): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => i / (n - 1));
}

export function truth(xs: Float64Array): Float64Array {
  return trueFunction(xs);
}

/**
 * Design matrix A [N, K+1] of the simplified network, columns [1, h_0(x) … h_{K−1}(x)]: the hidden
 * activations are read from the model's "hidden0" site, so the features are the model's own.
 */
export function designMatrix(x: Float64Array, K = 14): Tensor {
  const model = shallowNet({ K });
  const params = model.init(prngKey(0));
  let h: Tensor | undefined;
  model.apply(params, tensor(x), { mode: "eval", site: (_s, act) => (h = act) });
  return concat([ones([x.length, 1]), h!], 1);
}

/** Splits a parameter vector [β, ω_0 … ω_{K−1}] (the design-matrix order) into the model's params. */
export function paramsFromVector(phi: ArrayLike<number>): ShallowNetParams {
  const K = phi.length - 1;
  const omega = new Float64Array(K);
  for (let k = 0; k < K; k++) omega[k] = phi[k + 1]!;
  return { beta: tensor(phi[0]!), omega: tensor(omega) };
}

/** Model output at xs for parameters. */
export function predict(params: ShallowNetParams, xs: Float64Array, K = params.omega.shape[0]!): Float64Array {
  return Float64Array.from(shallowNet({ K }).apply(params, tensor(xs)).data);
}

export function sse(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i]! - y[i]!) ** 2;
  return s;
}

