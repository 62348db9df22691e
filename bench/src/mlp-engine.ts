/**
 * The MLP trained with our engine, written the way a user would: a loss over a params tree of
 * dense layers (`linear`, the engine's fused x·W + b + activation, as PyTorch's nn.Linear is one
 * addmm), `valueAndGrad`, `treeMap` for the SGD update, and each step in `tidy` (as with
 * TensorFlow.js's tf.tidy: the step's temporaries are recycled, only the new params are kept).
 * In mode "jit" the same step function is wrapped in `jit` (recorded once, replayed after).
 * Nothing here is tuned for the benchmark.
 */
import {
  type FloatDType, type Tensor, add, astype, crossEntropy, jit, linear, mul, sub, tensor, tidy, treeMap, treeSquaredNorm, valueAndGrad,
} from "@regularize/core-autodiff";
import type { Problem } from "./data.js";

/** Parameters of the 3-layer MLP (W: [in, out], b: [out]). */
export type MlpParams = {
  readonly W1: Tensor; readonly b1: Tensor;
  readonly W2: Tensor; readonly b2: Tensor;
  readonly W3: Tensor; readonly b3: Tensor;
};

/** Mean softmax cross-entropy of the ReLU MLP on a batch (y: int32 labels). */
export function mlpLoss(p: MlpParams, x: Tensor, y: Tensor): Tensor {
  const h1 = linear(x, p.W1, p.b1, { activation: "relu" });
  const h2 = linear(h1, p.W2, p.b2, { activation: "relu" });
  return crossEntropy(linear(h2, p.W3, p.b3), y);
}

/** Value and gradient of the plain loss. */
export const lossAndGrad = valueAndGrad(mlpLoss);

/** The modified loss L + α/4·‖∇L‖² (its gradient needs a gradient of a gradient). */
export function modifiedLoss(alpha: number): (p: MlpParams, x: Tensor, y: Tensor) => Tensor {
  return (p, x, y) => {
    const [l, g] = lossAndGrad(p, x, y);
    return add(l, mul(treeSquaredNorm(g), alpha / 4));
  };
}

/** Plain SGD: p − lr·g leafwise. */
export function sgd(p: MlpParams, g: MlpParams, lr: number): MlpParams {
  return treeMap((w: Tensor, gw: Tensor) => sub(w, mul(gw, lr)), p, g);
}

/** Engine parameters from a problem's initial weights (float64, or rounded to float32). */
export function initParams(problem: Problem, dtype: FloatDType = "float64"): MlpParams {
  const s = problem.spec.sizes;
  if (s.length !== 4) throw new Error(`the engine MLP has 3 layers, got sizes ${s.join("-")}`);
  const w = problem.init;
  const mat = (i: number, r: number, c: number) => astype(tensor(w[i]!, { shape: [r, c] }), dtype);
  const vec = (i: number) => astype(tensor(w[i]!), dtype);
  return {
    W1: mat(0, s[0]!, s[1]!), b1: vec(1),
    W2: mat(2, s[1]!, s[2]!), b2: vec(3),
    W3: mat(4, s[2]!, s[3]!), b3: vec(5),
  };
}

/** How the engine runs a step: eagerly in `tidy` (op by op), or compiled once by `jit` and replayed. */
export type EngineMode = "eager" | "jit";

/** A training run with the engine: state = params + position in the batch cycle. */
export class EngineMlp {
  params: MlpParams;
  private t = 0;
  private readonly xs: Tensor[];
  private readonly ys: Tensor[];
  private readonly modVG: (p: MlpParams, x: Tensor, y: Tensor) => [Tensor, MlpParams, unknown];
  private readonly plainJit: (p: MlpParams, x: Tensor, y: Tensor, rate: number) => { params: MlpParams; loss: Tensor };
  private readonly modJit: (p: MlpParams, x: Tensor, y: Tensor, rate: number) => { params: MlpParams; loss: Tensor };

  constructor(readonly problem: Problem, readonly alpha = 0.1, readonly dtype: FloatDType = "float64", readonly mode: EngineMode = "eager") {
    const { spec } = problem;
    this.params = initParams(problem, dtype);
    this.xs = problem.xs.map((x) => astype(tensor(x, { shape: [spec.batch, spec.sizes[0]!] }), dtype));
    this.ys = problem.ys.map((y) => tensor(y, { dtype: "int32" }));
    this.modVG = valueAndGrad(modifiedLoss(alpha));
    // the whole step (forward, backward, SGD update) compiled; lr is a static argument; the old
    // params are donated (as with JAX's donate_argnums): the new ones reuse their buffers
    this.plainJit = jit((p: MlpParams, x: Tensor, y: Tensor, rate: number) => {
      const [loss, g] = lossAndGrad(p, x, y);
      return { params: sgd(p, g, rate), loss };
    }, { donate: [0] });
    this.modJit = jit((p: MlpParams, x: Tensor, y: Tensor, rate: number) => {
      const [m, g] = this.modVG(p, x, y);
      return { params: sgd(p, g, rate), loss: m };
    }, { donate: [0] });
  }

  private next(): [Tensor, Tensor] {
    const i = this.t++ % this.xs.length;
    return [this.xs[i]!, this.ys[i]!];
  }

  /** One SGD step on the plain loss; returns the loss before the update. */
  step(): number {
    const [x, y] = this.next();
    if (this.mode === "jit") {
      const r = this.plainJit(this.params, x, y, this.problem.spec.lr);
      this.params = r.params;
      return r.loss.item();
    }
    const r = tidy(() => {
      const [loss, g] = lossAndGrad(this.params, x, y);
      return { params: sgd(this.params, g, this.problem.spec.lr), loss: loss.item() };
    });
    this.params = r.params;
    return r.loss;
  }

  /** One SGD step on the modified loss L + α/4‖∇L‖²; returns the modified loss before the update. */
  modifiedStep(): number {
    const [x, y] = this.next();
    if (this.mode === "jit") {
      const r = this.modJit(this.params, x, y, this.problem.spec.lr);
      this.params = r.params;
      return r.loss.item();
    }
    const r = tidy(() => {
      const [m, g] = this.modVG(this.params, x, y);
      return { params: sgd(this.params, g, this.problem.spec.lr), loss: m.item() };
    });
    this.params = r.params;
    return r.loss;
  }

  /** Plain loss of the current params on batch i (no gradient). */
  evalLoss(i = 0): number {
    return mlpLoss(this.params, this.xs[i]!, this.ys[i]!).item();
  }

  /** Restart from the initial weights and batch 0. */
  reset(): void {
    this.params = initParams(this.problem, this.dtype);
    this.t = 0;
  }
}
