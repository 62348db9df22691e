// Fused ops for the training hot path: one kernel pass and one allocation where the composed
// version takes several. Each is a primitive with its own rules in prim/rules.ts, written in public
// ops (matmul, sum, mul, softmax...), so grad of grad stays exact.
import { ShapeError, ValueError, fmtShape } from "../errors.js";
import { apply } from "../prim/kernels.js";
import type { LinearActivation } from "../prim/signatures.js";
import { normAxis } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { reshape } from "./shape.js";
import { commonDType, requireFloat, requireInt } from "./util.js";
import { floatArg, optionsArg } from "../validate.js";

export type { LinearActivation };

/** Options of linear. */
export interface LinearOptions {
  /** Applied elementwise to x·W + b in the same pass (default "none"). */
  readonly activation?: LinearActivation;
}

/**
 * A dense layer act(x·W + b) as one op: x [..., in], W [in, out], optional bias b [out].
 * One GEMM writes the output and one pass adds the bias and applies the activation in place, so
 * the forward pass allocates one buffer instead of three. The gradient rule is matmuls, a sum over
 * the batch for b and the activation's derivative from the output — all public ops.
 */
export function linear(x: Tensor, w: Tensor, b: Tensor | null = null, opts: LinearOptions = {}): Tensor {
  floatArg("linear", "x", x);
  floatArg("linear", "w", w);
  if (b !== null) floatArg("linear", "b", b);
  commonDType("linear", x, w);
  if (x.ndim < 1 || w.ndim !== 2) throw new ShapeError("linear", `expected x [..., in] and W [in, out], got ${fmtShape(x.shape)} and ${fmtShape(w.shape)}`);
  const [nIn, nOut] = w.shape as [number, number];
  if (x.shape[x.ndim - 1] !== nIn) throw new ShapeError("linear", `x ${fmtShape(x.shape)} has ${x.shape[x.ndim - 1]} features but W ${fmtShape(w.shape)} expects ${nIn}`);
  if (b !== null) {
    commonDType("linear", x, b);
    if (b.ndim !== 1 || b.shape[0] !== nOut) throw new ShapeError("linear", `bias must be [${nOut}], got ${fmtShape(b.shape)}`);
  }
  optionsArg("linear", opts, ["activation"]);
  const act = opts.activation ?? "none";
  if (act !== "none" && act !== "relu" && act !== "tanh" && act !== "sigmoid") throw new ValueError("linear", `unknown activation ${String(act)}`);
  if (x.ndim !== 2) {
    const lead = x.shape.slice(0, -1);
    const y = linear(reshape(x, [-1, nIn]), w, b, opts);
    return reshape(y, [...lead, nOut]);
  }
  return apply("linear", b === null ? [x, w] : [x, w, b], { activation: act });
}

/**
 * Softmax along `axis` in one pass per row (max, exp, sum, divide), rounding intermediates to the
 * dtype exactly where the composed exp/sum/div ops would, so results match them bit for bit.
 * Gradient: s ⊙ (g − Σ g ⊙ s), in public ops.
 */
export function softmaxFused(x: Tensor, axis = -1): Tensor {
  requireFloat("softmax", x);
  const ax = normAxis("softmax", axis, x.ndim);
  return apply("softmax", [x], { axis: ax });
}

/**
 * Per-example softmax cross-entropy of logits [N, C] against int32 labels [N] in one pass per row:
 * −log softmax(z)[y] = logsumexp(z) − z_y. Gradient: g ⊙ (softmax(z) − onehot(y)), in public ops
 * (softmax is differentiable again, so the modified loss L + α/4‖∇L‖² stays exact).
 */
export function crossEntropyPerExample(logits: Tensor, labels: Tensor): Tensor {
  requireFloat("crossEntropy", logits);
  requireInt("crossEntropy", "labels", labels);
  if (logits.ndim !== 2) throw new ShapeError("crossEntropy", `logits must be [N, C], got ${fmtShape(logits.shape)}`);
  const N = logits.shape[0];
  if (labels.ndim !== 1 || labels.shape[0] !== N) throw new ShapeError("crossEntropy", `labels must be [${N}] to match logits ${fmtShape(logits.shape)}, got ${fmtShape(labels.shape)}`);
  return apply("crossEntropy", [logits], { labels });
}
