import {
  type FloatDType, type PRNGKey, type Tensor, ShapeError, add, concat, foldIn, linear as denseOp, mul, reshape, sigmoid,
  slice, stack, sub, tanh, transpose, zeros,
} from "@regularize/core-autodiff";
import { applyArgs, ownOptions, positiveInt } from "./check.js";
import { FitOptionsError } from "./errors.js";
import { type Initializer, uniformInit } from "./init.js";
import { type LayerInitOptions, type LinearParams, applyLinear, initLinear } from "./linear.js";
import { type Model, type ModelDTypeOptions, passThrough, site } from "./model.js";

/**
 * One direction of a GRU, PyTorch's gate order and equations (per gate g ∈ {r, z, n}):
 * `wi.g` [inputSize, H], `wh.g` [H, H], `bi.g`, `bh.g` [H].
 */
export type GruCellParams = {
  readonly wir: Tensor; readonly wiz: Tensor; readonly win: Tensor;
  readonly whr: Tensor; readonly whz: Tensor; readonly whn: Tensor;
  readonly bir: Tensor; readonly biz: Tensor; readonly bin: Tensor;
  readonly bhr: Tensor; readonly bhz: Tensor; readonly bhn: Tensor;
};

/** Parameters of `gru`: the forward cell, the backward cell (bidirectional) and the dense read-out. */
export type GruParams = {
  readonly forward: GruCellParams;
  readonly backward?: GruCellParams;
  /** Read-out [L·H·directions, outputs] over all time steps' outputs, flattened time-major. */
  readonly head: LinearParams;
};

/** Options of `gru` (defaults: the MNIST-1D reference GRU). */
export interface GruOptions extends ModelDTypeOptions {
  /** Time steps L (default 40). */
  readonly inputLength?: number;
  /** Features per time step (default 1: a scalar signal). */
  readonly inputSize?: number;
  /** Hidden units H per direction (default 6). */
  readonly hidden?: number;
  /** Outputs/classes (default 10). */
  readonly outputs?: number;
  /** Run a second GRU backwards in time and concatenate its outputs (default true). */
  readonly bidirectional?: boolean;
  /** Initialiser of every GRU weight and bias (default PyTorch's U(±1/√H)). */
  readonly recurrentInit?: Initializer;
  /** Initialisers of the read-out (default PyTorch's nn.Linear defaults). */
  readonly headInit?: LayerInitOptions;
}

const GATES = ["r", "z", "n"] as const;

function initCell(key: PRNGKey, inputSize: number, hidden: number, init: Initializer, dtype: FloatDType): GruCellParams {
  const p: Record<string, Tensor> = {};
  let i = 0;
  for (const g of GATES) {
    p[`wi${g}`] = init(foldIn(key, i++), [inputSize, hidden], { fanIn: inputSize, fanOut: hidden }, dtype);
    p[`wh${g}`] = init(foldIn(key, i++), [hidden, hidden], { fanIn: hidden, fanOut: hidden }, dtype);
    p[`bi${g}`] = init(foldIn(key, i++), [hidden], { fanIn: hidden, fanOut: hidden }, dtype);
    p[`bh${g}`] = init(foldIn(key, i++), [hidden], { fanIn: hidden, fanOut: hidden }, dtype);
  }
  return p as GruCellParams;
}

/**
 * Runs one direction over time: r = σ(W_ir x + b_ir + W_hr h + b_hr), z = σ(… z …),
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h ← (1 − z) ⊙ n + z ⊙ h (written n + z ⊙ (h − n)),
 * from h = 0. Returns the hidden state at every step, in time order.
 */
function runCell(p: GruCellParams, steps: readonly Tensor[], hidden: number, reverse: boolean): Tensor[] {
  const n = steps[0]!.shape[0]!;
  let h: Tensor = zeros([n, hidden], { dtype: steps[0]!.dtype });
  const out: Tensor[] = new Array(steps.length);
  for (let k = 0; k < steps.length; k++) {
    const t = reverse ? steps.length - 1 - k : k;
    const xt = steps[t]!;
    const r = sigmoid(add(denseOp(xt, p.wir, p.bir), denseOp(h, p.whr, p.bhr)));
    const z = sigmoid(add(denseOp(xt, p.wiz, p.biz), denseOp(h, p.whz, p.bhz)));
    const c = tanh(add(denseOp(xt, p.win, p.bin), mul(r, denseOp(h, p.whn, p.bhn))));
    h = add(c, mul(z, sub(h, c)));
    out[t] = h;
  }
  return out;
}

/**
 * A (bidirectional) GRU classifier as the MNIST-1D reference's: x [N, L] (or [N, L, inputSize]) →
 * GRU over the L time steps (PyTorch's `nn.GRU` equations, gates r, z, n) → every step's output,
 * both directions concatenated per step and flattened time-major ([N, L·2H], as PyTorch's
 * `h.view(N, -1)`) → Linear → [N, outputs]. Defaults: L = 40, H = 6, bidirectional: 5,134 parameters.
 * Sites: "input" (index 0) on x, "hidden0" on the flattened outputs.
 * @example gru({ hidden: 6 }) // the MNIST-1D reference GRU
 */
export function gru(opts: GruOptions = {}): Model<GruParams> {
  opts = ownOptions("gru", opts, ["inputLength", "inputSize", "hidden", "outputs", "bidirectional", "recurrentInit", "headInit", "dtype"]);
  const L = positiveInt("gru.inputLength", opts.inputLength ?? 40);
  const I = positiveInt("gru.inputSize", opts.inputSize ?? 1);
  const H = positiveInt("gru.hidden", opts.hidden ?? 6);
  const outputs = positiveInt("gru.outputs", opts.outputs ?? 10);
  const bidirectional = opts.bidirectional ?? true;
  if (typeof bidirectional !== "boolean") throw new FitOptionsError("gru.bidirectional", `must be a boolean, got ${String(bidirectional)}`);
  const dtype = opts.dtype ?? "float64";
  const bound = 1 / Math.sqrt(H);
  const recurrentInit = opts.recurrentInit ?? uniformInit({ low: -bound, high: bound });
  const dirs = bidirectional ? 2 : 1;
  const features = L * H * dirs;
  const inputSite = site("input", 0, "input");
  const hiddenSite = site("hidden0", 1);
  return {
    name: `gru(${L}×${I}, hidden ${H}${bidirectional ? ", bidirectional" : ""}, ${outputs} outputs)`,
    sites: [inputSite, hiddenSite],
    init: (key) => ({
      forward: initCell(foldIn(key, 0), I, H, recurrentInit, dtype),
      ...(bidirectional ? { backward: initCell(foldIn(key, 1), I, H, recurrentInit, dtype) } : {}),
      head: initLinear(foldIn(key, 2), features, outputs, true, opts.headInit ?? {}, dtype),
    }),
    apply: (params, x, ctx = passThrough) => {
      applyArgs("gru", params, x, ctx, ["forward", "head"]);
      const ok = (x.ndim === 2 && I === 1 && x.shape[1] === L) || (x.ndim === 3 && x.shape[1] === L && x.shape[2] === I);
      if (!ok) throw new ShapeError("gru", `expects inputs [N, ${L}]${I === 1 ? "" : ` or [N, ${L}, ${I}]`}${I === 1 ? ` or [N, ${L}, 1]` : ""}, got [${x.shape.join(", ")}]`);
      if (bidirectional !== (params.backward !== undefined)) throw new ShapeError("gru", `expects ${bidirectional ? "forward and backward" : "only forward"} cell parameters`);
      const n = x.shape[0]!;
      const xs = ctx.site(inputSite, x);
      // Time-major [L, N, I]: step t is a contiguous [N, I] block.
      const tm = transpose(reshape(xs, [n, L, I]), [1, 0, 2]);
      const steps = Array.from({ length: L }, (_, t) => reshape(slice(tm, [[t, t + 1]]), [n, I]));
      const fwd = runCell(params.forward, steps, H, false);
      const perStep = params.backward === undefined ? fwd : runCell(params.backward, steps, H, true).map((b, t) => concat([fwd[t]!, b], 1));
      const flat = reshape(stack(perStep, 1), [n, features]);
      return applyLinear(params.head, ctx.site(hiddenSite, flat));
    },
  };
}
