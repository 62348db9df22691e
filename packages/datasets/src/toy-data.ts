import { DatasetArgumentError, assertFinite, assertInteger, describe, ownOptions } from "./errors.js";
import type { Split } from "./split.js";
import { RandomState } from "./random-state.js";

/**
 * Which value of 2π the toy function uses: `"notebook"` is the companion notebooks' `2*3.1413`
 * (reproduces their data and errors), `"exact"` is `2·Math.PI` (the book's formula).
 */
export type TwoPiConvention = "notebook" | "exact";

/** The constant the UDL notebooks use for 2π (`2*3.1413`), about 5.9e-4 short of the true value. */
export const NOTEBOOK_TWO_PI = 2 * 3.1413;

/** Options shared by the toy-function helpers. */
export interface TrueFunctionOptions {
  /** Value of 2π, default `"notebook"` (see {@link TwoPiConvention}). */
  readonly twoPi?: TwoPiConvention;
}

function twoPiValue(convention: TwoPiConvention | undefined): number {
  if (convention === undefined || convention === "notebook") return NOTEBOOK_TWO_PI;
  if (convention === "exact") return 2 * Math.PI;
  throw new DatasetArgumentError("twoPi", `must be "notebook" or "exact", got ${describe(convention)}`);
}

/** The chapter-8/9 toy regression target μ(x) = exp(sin(2πx)) on [0, 1], for a number or an array. */
export function trueFunction(x: number, options?: TrueFunctionOptions): number;
export function trueFunction(x: ArrayLike<number>, options?: TrueFunctionOptions): Float64Array;
export function trueFunction(x: number | ArrayLike<number>, options: TrueFunctionOptions = {}): number | Float64Array {
  const c = twoPiValue(ownOptions(options, ["twoPi"]).twoPi);
  if (typeof x === "number") return Math.exp(Math.sin(x * c));
  if (!Array.isArray(x) && !(ArrayBuffer.isView(x) && !(x instanceof DataView))) throw new DatasetArgumentError("x", `must be a number or an array of numbers, got ${describe(x)}`);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== "number") throw new DatasetArgumentError(`x[${i}]`, `must be a number, got ${describe(v)}`);
    out[i] = Math.exp(Math.sin(v * c));
  }
  return out;
}

/** Alias of {@link trueFunction}, the notebooks' name for it. */
export const mu = trueFunction;

/** Options of {@link makeToyData}. */
export interface ToyDataOptions extends TrueFunctionOptions {
  /** Number of points I (default 15). */
  readonly n?: number;
  /** Noise standard deviation σ_y (default 0.3). */
  readonly sigma?: number;
  /** Legacy NumPy seed (default 1, the notebooks' `np.random.seed(1)`); ignored when `rng` is given. */
  readonly seed?: number;
  /** Continue an existing stream instead (it advances by n uniforms and n normals). */
  readonly rng?: RandomState;
}

/**
 * Draws the toy regression data of notebooks 8.2/9.3/9.4: stratified `x_i ~ U[i/I, (i+1)/I]`,
 * then `y_i = μ(x_i) + N(0, σ²)`, taking all I uniforms first and then all I normals.
 * With the defaults it reproduces the notebooks' seed-1 data set.
 */
export function makeToyData(options: ToyDataOptions = {}): Split<Float64Array> {
  ownOptions(options, ["n", "sigma", "seed", "rng", "twoPi"]);
  const n = options.n ?? 15;
  const sigma = options.sigma ?? 0.3;
  assertInteger("n", n, 1, 2 ** 31 - 1);
  assertFinite("sigma", sigma);
  if (sigma < 0) throw new DatasetArgumentError("sigma", `must be non-negative, got ${sigma}`);
  twoPiValue(options.twoPi);
  if (options.rng !== undefined && !(options.rng instanceof RandomState)) {
    throw new DatasetArgumentError("rng", "must be a RandomState");
  }
  const rng = options.rng ?? new RandomState(options.seed ?? 1);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(i / n, (i + 1) / n);
  const y = trueFunction(x, options.twoPi === undefined ? {} : { twoPi: options.twoPi });
  for (let i = 0; i < n; i++) y[i] = y[i]! + rng.normal(0, sigma);
  return { x, y, n, dim: 1 };
}

const COSH1 = Math.cosh(1);
const SINH1 = Math.sinh(1);

/** Display transform of figs 9.2/9.6: `y' = 0.6·(y − cosh 1)/sinh 1`, mapping [1/e, e] onto [−0.6, 0.6]. */
export function toDisplayUnits(y: number): number {
  if (typeof y !== "number") throw new DatasetArgumentError("y", `must be a number, got ${describe(y)}`);
  return (0.6 * (y - COSH1)) / SINH1;
}

/** Inverse of {@link toDisplayUnits}: raw units from the scaled display axis. */
export function fromDisplayUnits(yDisplay: number): number {
  if (typeof yDisplay !== "number") throw new DatasetArgumentError("yDisplay", `must be a number, got ${describe(yDisplay)}`);
  return (yDisplay * SINH1) / 0.6 + COSH1;
}
