import { Tensor, type Tree, prngKey, foldInString, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { type ActivationName, type Dataset, fit, mlp } from "@regularize/core-train";
import { sgd } from "@regularize/optim";
import { EnsembleOptionError, requireInteger, requireNumber } from "./errors.js";

/** A member of the built-in MLP trainer: plain data, so it crosses worker boundaries. */
export interface MlpMemberSpec {
  /** Root seed of the member's fit (initialisation and data order). */
  readonly seed: number;
  /** Layer widths, input to output. */
  readonly widths: readonly number[];
  readonly activation?: ActivationName;
  readonly learningRate: number;
  /** PyTorch-convention momentum (default 0). */
  readonly momentum?: number;
  /** Coupled weight decay on weights (default 0). */
  readonly weightDecay?: number;
  readonly epochs: number;
  readonly batchSize: number;
  /** Bagging: the training rows this member sees (with repeats); default all. */
  readonly indices?: readonly number[];
  /** "crossEntropy" (default, int32 labels) or "mse". */
  readonly loss?: "crossEntropy" | "mse";
}

/** A dataset as plain typed arrays (structured-cloneable, shared once with every worker). */
export interface PlainData {
  readonly x: Float64Array;
  readonly xShape: readonly number[];
  readonly y: Float64Array | Int32Array;
  readonly yShape: readonly number[];
}

/** A parameter tree as plain leaves (what crosses a worker boundary). */
export interface PlainParams {
  readonly leaves: { readonly data: Float64Array | Float32Array; readonly shape: readonly number[] }[];
}

/** A Dataset as PlainData (copies). */
export function toPlainData(data: Dataset): PlainData {
  if (!(data?.x instanceof Tensor) || !(data.y instanceof Tensor)) throw new EnsembleOptionError("toPlainData", "data", "must be { x, y } tensors");
  if (data.y.dtype === "float32") throw new EnsembleOptionError("toPlainData", "data.y", "must be float64 or int32");
  return { x: Float64Array.from(data.x.data), xShape: [...data.x.shape], y: data.y.data.slice() as Float64Array | Int32Array, yShape: [...data.y.shape] };
}

function checkSpec(fn: string, spec: unknown): void {
  if (spec === null || typeof spec !== "object") throw new EnsembleOptionError(fn, "spec", "must be an object");
}

/** PlainData as a Dataset. */
export function fromPlainData(d: PlainData): Dataset {
  if (!(d?.x instanceof Float64Array) || !(d.y instanceof Float64Array || d.y instanceof Int32Array) || !Array.isArray(d.xShape) || !Array.isArray(d.yShape)) {
    throw new EnsembleOptionError("fromPlainData", "d", "must be PlainData (toPlainData's result)");
  }
  return { x: new Tensor(d.x, [...d.xShape], "float64"), y: new Tensor(d.y, [...d.yShape], d.y instanceof Int32Array ? "int32" : "float64") };
}

/** Flatten params to plain leaves. */
export function toPlainParams(params: Tree): PlainParams {
  return { leaves: treeFlatten(params)[0].map((l) => ({ data: l.data.slice() as Float64Array | Float32Array, shape: [...l.shape] })) };
}

/** Rebuild params of `like`'s structure (e.g. model.init(key)) from plain leaves. */
export function fromPlainParams<P extends Tree>(plain: PlainParams, like: P): P {
  if (!Array.isArray(plain?.leaves)) throw new EnsembleOptionError("fromPlainParams", "plain", "must be PlainParams (toPlainParams' result)");
  const [leaves, def] = treeFlatten(like);
  if (leaves.length !== plain.leaves.length) throw new EnsembleOptionError("fromPlainParams", "plain", `has ${plain.leaves.length} leaves, the model ${leaves.length}`);
  return treeUnflatten(def, plain.leaves.map((l, j) => new Tensor(l.data, [...l.shape], leaves[j]!.dtype))) as P;
}

/** The model of an MLP member spec. */
export function memberModel(spec: Pick<MlpMemberSpec, "widths" | "activation">) {
  checkSpec("memberModel", spec);
  return mlp({ widths: spec.widths, ...(spec.activation !== undefined ? { activation: spec.activation } : {}) });
}

/** Rebuild a trained MLP member's params from its plain form. */
export function memberParams(spec: Pick<MlpMemberSpec, "widths" | "activation">, plain: PlainParams): Tree {
  checkSpec("memberParams", spec);
  return fromPlainParams(plain, memberModel(spec).init(foldInString(prngKey(0), "init")));
}

/** Train one MLP member on `data` (its bootstrap rows when `indices` is set) with SGD; a pure function of (spec, data). */
export async function trainMlpMember(spec: MlpMemberSpec, data: PlainData): Promise<PlainParams> {
  const fn = "trainMlpMember";
  checkSpec(fn, spec);
  requireInteger(fn, "seed", spec.seed, 0);
  requireNumber(fn, "learningRate", spec.learningRate, 0);
  requireInteger(fn, "epochs", spec.epochs, 1);
  requireInteger(fn, "batchSize", spec.batchSize, 1);
  let ds = fromPlainData(data);
  if (spec.indices !== undefined) {
    const n = data.xShape[0]!, row = data.x.length / n, yRow = data.y.length / n, idx = spec.indices;
    const x = new Float64Array(idx.length * row), y = data.y instanceof Int32Array ? new Int32Array(idx.length * yRow) : new Float64Array(idx.length * yRow);
    idx.forEach((r, i) => {
      if (!Number.isInteger(r) || r < 0 || r >= n) throw new EnsembleOptionError(fn, `indices[${i}]`, `is ${r}, not a row in [0, ${n})`);
      x.set(data.x.subarray(r * row, (r + 1) * row), i * row);
      y.set(data.y.subarray(r * yRow, (r + 1) * yRow), i * yRow);
    });
    ds = fromPlainData({ x, xShape: [idx.length, ...data.xShape.slice(1)], y, yShape: [idx.length, ...data.yShape.slice(1)] });
  }
  const r = await fit({
    model: memberModel(spec), data: ds, loss: spec.loss ?? "crossEntropy", seed: spec.seed,
    optimizer: sgd({ learningRate: spec.learningRate, momentum: spec.momentum ?? 0, weightDecay: spec.weightDecay ?? 0 }),
    batchSize: spec.batchSize, epochs: spec.epochs, logEvery: 1_000_000, yieldEveryMs: 1_000,
  });
  return toPlainParams(r.params);
}
