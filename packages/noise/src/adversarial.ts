import type { Batch, Objective, ObjectiveContext, Plugin, OptionKeys } from "@regularize/core-train";
import { optionOr } from "@regularize/core-train";
import { Tensor, type Tree, add, clip, grad, mul, sign, stopGradient, sub, treeMap, uniform } from "@regularize/core-autodiff";
import { check, NoiseOptionError, requireNonNegative, requirePositive, requirePositiveInteger, requireRate } from "./errors.js";

/** Options of {@link adversarialTraining}. */
export interface AdversarialOptions {
  /** ε > 0: radius of the L∞ ball around x the attack may move in. */
  readonly epsilon: number;
  /** Attack steps (default 1 = FGSM; more = PGD). */
  readonly steps?: number;
  /** Step size a of each signed-gradient step (default ε for FGSM, 2.5ε/steps for PGD as Madry et al.). */
  readonly stepSize?: number;
  /** Start PGD at a uniform point of the ε-ball instead of x (default false). */
  readonly randomStart?: boolean;
  /** Weight w of the adversarial loss: objective = (1−w)·clean + w·adversarial (default 0.5, Goodfellow et al.). */
  readonly mix?: number;
  /** Plugin name (default "adversarial"). */
  readonly name?: string;
}
const ADVERSARIAL_KEYS: OptionKeys<AdversarialOptions> = { epsilon: true, steps: true, stepSize: true, randomStart: true, mix: true, name: true };

/**
 * x_adv by projected signed-gradient ascent on the data loss at fixed parameters:
 * x ← Π_{‖x−x₀‖∞ ≤ ε}(x + a·sign(∇ₓL)). Returned detached (the attack is not differentiated).
 */
export function adversarialExample(params: Tree, batch: Batch, dataLoss: ObjectiveContext["dataLoss"], opts: { epsilon: number; steps: number; stepSize: number; start?: Tensor }): Tensor {
  if (!(batch?.x instanceof Tensor)) throw new NoiseOptionError("adversarialExample", "batch", "must be a batch { x, y } with a tensor x");
  if (typeof dataLoss !== "function") throw new NoiseOptionError("adversarialExample", "dataLoss", "must be a function");
  if (opts === null || typeof opts !== "object") throw new NoiseOptionError("adversarialExample", "opts", "must be an object { epsilon, steps, stepSize }");
  const fixed = treeMap((t) => stopGradient(t), params);
  const x0 = stopGradient(batch.x);
  const lossAt = (x: Tensor) => dataLoss(fixed, { ...batch, x });
  let x = opts.start ?? x0;
  for (let k = 0; k < opts.steps; k++) {
    const gx = grad(lossAt)(x);
    const stepped = add(x, mul(sign(gx), opts.stepSize));
    // projection onto the ε-ball around x0, coordinatewise for L∞
    x = add(x0, clipTensor(sub(stepped, x0), opts.epsilon));
    x = stopGradient(x);
  }
  return x;
}

const clipTensor = (d: Tensor, eps: number): Tensor => clip(d, -eps, eps);

/**
 * Adversarial training with FGSM (Goodfellow et al. 2015) or PGD (Madry et al. 2018): each step
 * perturbs x along sign(∇ₓL) inside the ε-ball and trains on a clean/adversarial mix. Implemented as
 * an objective wrapper: inner(φ) + w·(L(φ; x_adv) − L(φ; x)), so penalties stay in place.
 * @example adversarialTraining({ epsilon: 0.1 }) // FGSM; adversarialTraining({ epsilon: 0.1, steps: 7 }) // PGD
 */
export function adversarialTraining(options: AdversarialOptions): Plugin {
  const name = check.plugin("adversarial", options, ADVERSARIAL_KEYS);
  const epsilon = requirePositive(name, "epsilon", options.epsilon);
  const steps = requirePositiveInteger(name, "steps", optionOr(options.steps, 1));
  const stepSize = options.stepSize === undefined ? (steps === 1 ? epsilon : (2.5 * epsilon) / steps) : requireNonNegative(name, "stepSize", options.stepSize);
  const mix = requireRate(name, "mix", optionOr(options.mix, 0.5), { allowOne: true });
  const randomStart = check.boolean(name, "randomStart", optionOr(options.randomStart, false));
  return {
    name,
    objective(inner: Objective, ctx: ObjectiveContext): Objective {
      if (mix === 0) return inner;
      const batch = ctx.batch;
      if (batch.x.dtype === "int32") throw new NoiseOptionError(name, "epsilon", "needs float inputs, got int32 x");
      return (params: Tree) => {
        const start = randomStart ? add(batch.x, uniform(ctx.key, batch.x.shape, { minval: -epsilon, maxval: epsilon, dtype: batch.x.dtype === "float32" ? "float32" : "float64" })) : undefined;
        const xAdv = adversarialExample(params, batch, ctx.dataLoss, { epsilon, steps, stepSize, ...(start !== undefined ? { start } : {}) });
        const advLoss = ctx.dataLoss(params, { ...batch, x: xAdv });
        if (mix === 1) return add(sub(inner(params), ctx.dataLoss(params, batch)), advLoss);
        return add(inner(params), mul(sub(advLoss, ctx.dataLoss(params, batch)), mix));
      };
    },
  };
}
