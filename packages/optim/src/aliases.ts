import { addDecayedWeights } from "./add-decayed-weights.js";
import { addL2Gradient } from "./add-l2-gradient.js";
import { chain } from "./chain.js";
import { emaMomentum } from "./ema-momentum.js";
import { OptionError } from "./errors.js";
import { type Mask, checkMask } from "./mask.js";
import { scaleByAdam } from "./scale-by-adam.js";
import { scaleByRms } from "./scale-by-rms.js";
import { scaleByLearningRate } from "./scale.js";
import { type ScheduleLike, toSchedule } from "./schedules.js";
import { traceMomentum } from "./trace-momentum.js";
import type { Transformation } from "./transformation.js";
import { checkOptions, optionalBoolean, optionalNumber } from "./validate.js";
import { optionOr } from "@regularize/core-train";

// The aliases build optax-style chains; their state is the chain's tuple of member states, whose
// layout depends on the options (a member is only present when its option is active).

/** The weight-decay options shared by the aliases. */
export interface WeightDecayOptions {
  /** Coupled weight decay (PyTorch's weight_decay): wd·φ is added to the raw gradient (default 0). */
  readonly weightDecay?: number;
  /** Which tensors decay (default "weights": biases are left alone; pass `true` to decay everything, like PyTorch). */
  readonly weightDecayMask?: Mask;
}

function learningRateOf(fn: string, options: { readonly learningRate: ScheduleLike }): ScheduleLike {
  toSchedule(fn, "learningRate", options.learningRate);
  return options.learningRate;
}

function coupledDecay(fn: string, options: WeightDecayOptions): Transformation<unknown>[] {
  const wd = optionalNumber(fn, "weightDecay", options.weightDecay, 0, { min: 0 });
  if (options.weightDecayMask !== undefined) checkMask(fn, "weightDecayMask", options.weightDecayMask);
  if (wd === 0) return [];
  // λ = wd/2 in the book's λΣφ² gives the gradient wd·φ exactly (2·(wd/2) is exact in floating point)
  return [addL2Gradient({ lambda: wd / 2, ...(options.weightDecayMask !== undefined ? { mask: options.weightDecayMask } : {}) })];
}

/** Options of `sgd`. */
export interface SgdOptions extends WeightDecayOptions {
  /** Step size α: a number or a schedule. */
  readonly learningRate: ScheduleLike;
  /** Momentum β in PyTorch's convention v ← βv + g (default 0: plain SGD). */
  readonly momentum?: number;
  /** Nesterov momentum (needs momentum > 0; default false). */
  readonly nesterov?: boolean;
}

/**
 * Stochastic gradient descent as torch.optim.SGD: φ ← φ − α·g, with optional PyTorch-convention
 * momentum and coupled weight decay. Full-batch gradient descent is sgd with batch size n (the
 * batch size is the runner's choice, not the optimizer's).
 */
export function sgd(options: SgdOptions): Transformation<unknown> {
  const fn = "sgd";
  checkOptions(fn, options, { weightDecay: true, weightDecayMask: true, learningRate: true, momentum: true, nesterov: true });
  const lr = learningRateOf(fn, options);
  const beta = optionalNumber(fn, "momentum", options.momentum, 0, { min: 0, below: 1 });
  const nesterov = optionalBoolean(fn, "nesterov", options.nesterov, false);
  if (nesterov && beta === 0) throw new OptionError(fn, "nesterov", "needs momentum > 0");
  const parts: Transformation<unknown>[] = [...coupledDecay(fn, options)];
  if (beta > 0) parts.push(traceMomentum({ beta, nesterov }));
  parts.push(scaleByLearningRate(lr));
  return chain(...parts);
}

/** Options of `momentum`. */
export interface MomentumOptions extends WeightDecayOptions {
  /** Step size α: a number or a schedule. */
  readonly learningRate: ScheduleLike;
  /** Momentum coefficient β in [0, 1) (default 0.9). */
  readonly beta?: number;
  /** Nesterov's variant (default false). */
  readonly nesterov?: boolean;
  /**
   * "ema" (default): the book's eq. 6.11, m ← βm + (1 − β)g; "trace": PyTorch's v ← βv + g
   * (same as `sgd({ momentum })`).
   */
  readonly convention?: "ema" | "trace";
}

/** Gradient descent with momentum, in the book's convention by default (see MomentumOptions.convention). */
export function momentum(options: MomentumOptions): Transformation<unknown> {
  const fn = "momentum";
  checkOptions(fn, options, { weightDecay: true, weightDecayMask: true, learningRate: true, beta: true, nesterov: true, convention: true });
  const lr = learningRateOf(fn, options);
  const beta = optionalNumber(fn, "beta", options.beta, 0.9, { min: 0, below: 1 });
  const nesterov = optionalBoolean(fn, "nesterov", options.nesterov, false);
  const convention = optionOr(options.convention, "ema");
  if (convention !== "ema" && convention !== "trace") throw new OptionError(fn, "convention", `must be "ema" or "trace", got ${String(convention)}`);
  const m = convention === "ema" ? emaMomentum({ beta, nesterov }) : traceMomentum({ beta, nesterov });
  return chain(...coupledDecay(fn, options), m, scaleByLearningRate(lr));
}

/** Options of `adam` and `adamw`. */
export interface AdamOptions {
  /** Step size α: a number or a schedule. */
  readonly learningRate: ScheduleLike;
  /** β₁ (default 0.9). */
  readonly b1?: number;
  /** β₂ (default 0.999). */
  readonly b2?: number;
  /** ε outside the square root (default 1e-8). */
  readonly eps?: number;
  /** ε inside the square root (default 0). */
  readonly epsRoot?: number;
}

function adamCore(options: AdamOptions) {
  return scaleByAdam({
    ...(options.b1 !== undefined ? { b1: options.b1 } : {}),
    ...(options.b2 !== undefined ? { b2: options.b2 } : {}),
    ...(options.eps !== undefined ? { eps: options.eps } : {}),
    ...(options.epsRoot !== undefined ? { epsRoot: options.epsRoot } : {}),
  });
}

/**
 * Adam as torch.optim.Adam: `chain(scaleByAdam, scaleByLearningRate)`; its `weightDecay` is the
 * coupled L2 gradient added before the preconditioner ("Adam + L2"), which is not AdamW.
 */
export function adam(options: AdamOptions & WeightDecayOptions): Transformation<unknown> {
  const fn = "adam";
  checkOptions(fn, options, { learningRate: true, b1: true, b2: true, eps: true, epsRoot: true, weightDecay: true, weightDecayMask: true });
  const lr = learningRateOf(fn, options);
  return chain(...coupledDecay(fn, options), adamCore(options), scaleByLearningRate(lr));
}

/** Options of `adamw`. */
export interface AdamwOptions extends AdamOptions {
  /** Decoupled decay λ (default 0.01, as torch.optim.AdamW): a step shrinks φ by the factor (1 − αλ). */
  readonly weightDecay?: number;
  /** Which tensors decay (default "weights": biases are left alone; pass `true` to decay everything, like PyTorch). */
  readonly weightDecayMask?: Mask;
}

/** AdamW (Loshchilov & Hutter): literally `chain(scaleByAdam, addDecayedWeights, scaleByLearningRate)`. */
export function adamw(options: AdamwOptions): Transformation<unknown> {
  const fn = "adamw";
  checkOptions(fn, options, { learningRate: true, b1: true, b2: true, eps: true, epsRoot: true, weightDecay: true, weightDecayMask: true });
  const lr = learningRateOf(fn, options);
  const wd = optionalNumber(fn, "weightDecay", options.weightDecay, 0.01, { min: 0 });
  if (options.weightDecayMask !== undefined) checkMask(fn, "weightDecayMask", options.weightDecayMask);
  const decay = addDecayedWeights({ weightDecay: wd, ...(options.weightDecayMask !== undefined ? { mask: options.weightDecayMask } : {}) });
  return chain(adamCore(options), decay, scaleByLearningRate(lr));
}

/** Options of `rmsprop`. */
export interface RmspropOptions extends WeightDecayOptions {
  /** Step size α: a number or a schedule. */
  readonly learningRate: ScheduleLike;
  /** Decay ρ of the squared-gradient average (default 0.99, PyTorch's alpha). */
  readonly decay?: number;
  /** ε added to √v (default 1e-8). */
  readonly eps?: number;
  /** Centred variant (default false). */
  readonly centered?: boolean;
  /** PyTorch-convention momentum on the preconditioned gradient (default 0). */
  readonly momentum?: number;
}

/** RMSprop as torch.optim.RMSprop: `chain(scaleByRms, [traceMomentum], scaleByLearningRate)`. */
export function rmsprop(options: RmspropOptions): Transformation<unknown> {
  const fn = "rmsprop";
  checkOptions(fn, options, { weightDecay: true, weightDecayMask: true, learningRate: true, decay: true, eps: true, centered: true, momentum: true });
  const lr = learningRateOf(fn, options);
  const beta = optionalNumber(fn, "momentum", options.momentum, 0, { min: 0, below: 1 });
  const parts: Transformation<unknown>[] = [...coupledDecay(fn, options)];
  parts.push(scaleByRms({
    ...(options.decay !== undefined ? { decay: options.decay } : {}),
    ...(options.eps !== undefined ? { eps: options.eps } : {}),
    ...(options.centered !== undefined ? { centered: options.centered } : {}),
  }));
  if (beta > 0) parts.push(traceMomentum({ beta }));
  parts.push(scaleByLearningRate(lr));
  return chain(...parts);
}
