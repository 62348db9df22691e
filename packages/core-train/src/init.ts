import { type FloatDType, type PRNGKey, type Tensor, full, normal, uniform } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { ownOptions } from "./check.js";
import { safeText } from "./train-error.js";

/** Fan-in / fan-out of the layer a tensor belongs to (a bias takes its layer's fans). */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

/** A seeded parameter initialiser: a tensor of `shape` drawn with `key`, scaled by the layer's fans. */
export type Initializer = (key: PRNGKey, shape: readonly number[], fans: Fans, dtype: FloatDType) => Tensor;

function uniformBound(key: PRNGKey, shape: readonly number[], bound: number, dtype: FloatDType): Tensor {
  return uniform(key, shape, { minval: -bound, maxval: bound, dtype });
}

function positiveFan(op: string, fan: number): number {
  if (!(typeof fan === "number" && fan > 0)) throw new FitOptionsError(op, `needs a positive fan, got ${safeText(fan)} (a layer with no inputs?)`);
  return fan;
}

/** Options of the Kaiming (He) initialisers, with PyTorch's defaults. */
export interface KaimingOptions {
  /** Negative slope of the leaky ReLU the gain is computed for (PyTorch default 0 = ReLU, gain √2). */
  readonly a?: number;
  /** Which fan to preserve the variance of (default "fanIn", as PyTorch). */
  readonly mode?: "fanIn" | "fanOut";
}

/** Kaiming options: a plain object of `a` (a finite number) and `mode` ("fanIn" | "fanOut") only. */
function kaimingOptions(op: string, opts: KaimingOptions): void {
  ownOptions(op, opts, ["a", "mode"]);
  if (opts.a !== undefined && (typeof opts.a !== "number" || !Number.isFinite(opts.a))) throw new FitOptionsError(`${op}.a`, `must be a finite number, got ${safeText(opts.a)}`, op);
  if (opts.mode !== undefined && opts.mode !== "fanIn" && opts.mode !== "fanOut") throw new FitOptionsError(`${op}.mode`, `must be "fanIn" or "fanOut", got ${safeText(opts.mode)}`, op);
}

/** The initialiser's `fans` argument, checked (fit always passes one; a direct call may not). */
function fansOf(op: string, fans: Fans): Fans {
  if (fans === null || typeof fans !== "object") throw new FitOptionsError(op, `needs fans { fanIn, fanOut }, got ${safeText(fans)}`);
  return fans;
}

function kaimingStd(op: string, fans: Fans, opts: KaimingOptions): number {
  const a = opts.a ?? 0;
  fans = fansOf(op, fans);
  const fan = positiveFan(op, opts.mode === "fanOut" ? fans.fanOut : fans.fanIn);
  return Math.sqrt(2 / (1 + a * a)) / Math.sqrt(fan);
}

/**
 * PyTorch's `kaiming_uniform_`: U(±gain·√(3/fan)), gain = √(2/(1+a²)). With the defaults
 * (a = 0, fan_in) the bound is √(6/fan_in), the He-uniform init of the chapter's notebooks.
 */
export function kaimingUniform(opts: KaimingOptions = {}): Initializer {
  kaimingOptions("kaimingUniform", opts);
  return (key, shape, fans, dtype) => uniformBound(key, shape, Math.sqrt(3) * kaimingStd("kaimingUniform", fans, opts), dtype);
}

/** PyTorch's `kaiming_normal_`: N(0, gain²/fan), gain = √(2/(1+a²)). */
export function kaimingNormal(opts: KaimingOptions = {}): Initializer {
  kaimingOptions("kaimingNormal", opts);
  return (key, shape, fans, dtype) => normal(key, shape, { std: kaimingStd("kaimingNormal", fans, opts), dtype });
}

/**
 * PyTorch's default weight init of `nn.Linear` / `nn.Conv1d`: kaiming_uniform(a = √5), which
 * simplifies to U(±1/√fan_in).
 */
export function torchDefaultWeight(): Initializer {
  return kaimingUniform({ a: Math.sqrt(5) });
}

/** PyTorch's default bias init of `nn.Linear` / `nn.Conv1d`: U(±1/√fan_in) with the layer's fan_in. */
export function torchDefaultBias(): Initializer {
  return (key, shape, fans, dtype) => uniformBound(key, shape, 1 / Math.sqrt(positiveFan("torchDefaultBias", fansOf("torchDefaultBias", fans).fanIn)), dtype);
}

/** Glorot/Xavier uniform: U(±√(6/(fan_in+fan_out))). */
export function glorotUniform(): Initializer {
  return (key, shape, fans, dtype) => uniformBound(key, shape, Math.sqrt(6 / positiveFan("glorotUniform", fansOf("glorotUniform", fans).fanIn + fans.fanOut)), dtype);
}

/** Glorot/Xavier normal as PyTorch's `xavier_normal_` (not truncated): N(0, 2/(fan_in+fan_out)). */
export function glorotNormal(): Initializer {
  return (key, shape, fans, dtype) => normal(key, shape, { std: Math.sqrt(2 / positiveFan("glorotNormal", fansOf("glorotNormal", fans).fanIn + fans.fanOut)), dtype });
}

/** N(mean, σ²) regardless of the fans (e.g. the chapter's ω ~ N(0, 0.5²)). */
export function normalInit(opts: { readonly std: number; readonly mean?: number }): Initializer {
  if (!(opts?.std >= 0) || !Number.isFinite(opts.std)) throw new FitOptionsError("normalInit.std", `must be a finite number ≥ 0, got ${safeText(opts?.std)}`);
  return (key, shape, _fans, dtype) => normal(key, shape, { std: opts.std, mean: opts.mean ?? 0, dtype });
}

/** U(low, high) regardless of the fans. */
export function uniformInit(opts: { readonly low: number; readonly high: number }): Initializer {
  if (!(opts?.low <= opts?.high)) throw new FitOptionsError("uniformInit", `needs low ≤ high, got ${safeText(opts?.low)}, ${safeText(opts?.high)}`);
  return (key, shape, _fans, dtype) => uniform(key, shape, { minval: opts.low, maxval: opts.high, dtype });
}

/** A constant fill (the key is ignored). */
export function constantInit(value: number): Initializer {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new FitOptionsError("constantInit.value", `must be a finite number, got ${safeText(value)}`, "constantInit");
  return (_key, shape, _fans, dtype) => full(shape, value, { dtype });
}

/** Zeros (the notebooks' bias init). */
export function zerosInit(): Initializer {
  return constantInit(0);
}
