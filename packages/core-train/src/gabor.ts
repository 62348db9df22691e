import { type Tensor, ShapeError, add, exp, mul, reshape, sin, slice, square, tensor, uniform, split } from "@regularize/core-autodiff";
import { FitOptionsError } from "./errors.js";
import { applyArgs, ownOptions } from "./check.js";
import { describeValue } from "./plugin-options.js";
import { type Model, type ModelDTypeOptions, passThrough } from "./model.js";

/** Parameters of the Gabor model: φ = [φ0, φ1] (offset, frequency). */
export type GaborParams = {
  readonly phi: Tensor;
};

/** Options of `gabor`. */
export interface GaborOptions extends ModelDTypeOptions {
  /** Fixed starting point [φ0, φ1] (e.g. [2.6, 8.5] as notebook 9.1); default: uniform over the plot window. */
  readonly init?: readonly [number, number];
}

/**
 * The Gabor function of eq. 6.8, f = sin(z)·exp(−z²/32), z = φ0 + 0.06·φ1·x, broadcasting φ0, φ1 and x
 * (e.g. φ columns [P, 1] against x [1, N] evaluate P parameter points at once, as the figures' loss
 * surfaces do). The one definition of the formula: `gabor().apply` calls it.
 */
export function gaborFunction(phi0: Tensor, phi1: Tensor, x: Tensor): Tensor {
  const z = add(phi0, mul(mul(phi1, 0.06), x));
  return mul(sin(z), exp(mul(square(z), -1 / 32)));
}

/**
 * The Gabor model of eq. 6.8 (figs 9.1, 9.4): f(x; φ) = sin(z)·exp(−z²/32), z = φ0 + 0.06·φ1·x.
 * x [N] → [N] (or any shape: it is elementwise). No sites. Without `init`, φ0 ~ U[−10, 10] and
 * φ1 ~ U[2.5, 22.5] (the chapter's plot window).
 */
export function gabor(opts: GaborOptions = {}): Model<GaborParams> {
  opts = ownOptions("gabor", opts, ["init", "dtype"]);
  const dtype = opts.dtype ?? "float64";
  const start = opts.init;
  if (start !== undefined && (!Array.isArray(start) || start.length !== 2 || !start.every(Number.isFinite))) {
    throw new FitOptionsError("gabor.init", `must be two finite numbers [φ0, φ1], got ${describeValue(start)}`);
  }
  return {
    name: "gabor",
    sites: [],
    init: (key) => {
      if (start) return { phi: tensor([start[0], start[1]], { dtype }) };
      const [k0, k1] = split(key, 2) as [typeof key, typeof key];
      const p0 = uniform(k0, [1], { minval: -10, maxval: 10, dtype }).data[0]!;
      const p1 = uniform(k1, [1], { minval: 2.5, maxval: 22.5, dtype }).data[0]!;
      return { phi: tensor([p0, p1], { dtype }) };
    },
    apply: (params, x, _ctx = passThrough) => {
      applyArgs("gabor", params, x, _ctx, ["phi"]);
      if (params.phi.ndim !== 1 || params.phi.shape[0] !== 2) throw new ShapeError("gabor", `phi must be [2], got [${params.phi.shape.join(", ")}]`);
      const phi0 = reshape(slice(params.phi, [[0, 1]]), []);
      const phi1 = reshape(slice(params.phi, [[1, 2]]), []);
      return gaborFunction(phi0, phi1, x);
    },
  };
}
