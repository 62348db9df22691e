import type { Batch, ObjectiveContext, Plugin, OptionKeys } from "@regularize/core-train";
import { describeValue, optionOr } from "@regularize/core-train";
import { Tensor, grad, mul, square, sum, vjp, zeros, type Tree } from "@regularize/core-autodiff";
import { check, PenaltyOptionError, requireNonNegative, requireTensor } from "./errors.js";
import { sumTerms } from "./sum-terms.js";

/** Options of {@link inputGradient}. */
export interface InputGradientOptions {
  /** λ ≥ 0, weight of the squared input-gradient norm. */
  readonly lambda: number;
  /**
   * "loss" (default): ‖∂L/∂x‖²_F of the batch data loss L (Drucker & LeCun's double backprop);
   * "output": ‖∂f/∂x‖²_F, the squared Frobenius norm of the model's input Jacobian summed over the
   * batch (one backward pass per output unit).
   */
  readonly of?: "loss" | "output";
  /** Plugin name (default "inputGradient"). */
  readonly name?: string;
}
const INPUT_GRADIENT_KEYS: OptionKeys<InputGradientOptions> = { lambda: true, of: true, name: true };

/** ‖∂L/∂x‖²_F at (params, batch), differentiable w.r.t. params (the inner grad keeps its graph). */
export function lossInputGradientNorm(params: Tree, batch: Batch, dataLoss: ObjectiveContext["dataLoss"]): Tensor {
  requireTensor("lossInputGradientNorm", "batch.x", batch?.x);
  if (typeof dataLoss !== "function") throw new PenaltyOptionError("lossInputGradientNorm", "dataLoss", "must be a function");
  const gx = grad((x: Tensor) => dataLoss(params, { ...batch, x }))(batch.x);
  return sum(square(gx));
}

/** Σ_n ‖∂f(x_n)/∂x_n‖²_F: one vjp per output column; examples do not interact in f, so a batch sum is exact. */
export function outputInputGradientNorm(params: Tree, x: Tensor, forward: ObjectiveContext["forward"]): Tensor {
  requireTensor("outputInputGradientNorm", "x", x);
  check.func("outputInputGradientNorm", "forward", forward);
  const [out, back] = vjp((xx: Tensor) => forward(params, xx), x);
  // a forward returning a tree (params passed through, say) would fail below reading out.shape
  if (!(out instanceof Tensor)) throw new PenaltyOptionError("outputInputGradientNorm", "forward", `must return the model's output Tensor, got ${describeValue(out)}`);
  const cols = out.ndim <= 1 ? 1 : out.size / out.shape[0]!;
  const terms: Tensor[] = [];
  for (let c = 0; c < cols; c++) {
    const e = zeros(out.shape, { dtype: out.dtype });
    for (let i = c; i < e.size; i += cols) e.data[i] = 1;
    terms.push(sum(square(back(e))));
  }
  return sumTerms(terms, params);
}

/**
 * Input-gradient penalty (double backprop): adds λ·‖∂L/∂x‖² (or λ·‖∂f/∂x‖²), differentiating
 * through the inner gradient so training flattens the function around the data.
 * @example inputGradient({ lambda: 0.1 })
 */
export function inputGradient(options: InputGradientOptions): Plugin {
  const name = check.plugin("inputGradient", options, INPUT_GRADIENT_KEYS);
  const lambda = requireNonNegative(name, "lambda", options.lambda);
  const of = check.oneOf(name, "of", optionOr(options.of, "loss"), ["loss", "output"] as const);
  return {
    name,
    penalty(params, ctx) {
      const norm = of === "loss" ? lossInputGradientNorm(params, ctx.batch, ctx.dataLoss) : outputInputGradientNorm(params, ctx.batch.x, ctx.forward);
      return mul(norm, lambda);
    },
  };
}
