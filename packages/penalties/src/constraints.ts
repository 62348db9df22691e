import type { FitContext, Plugin, OptionKeys } from "@regularize/core-train";
import { checkHookContext, optionOr } from "@regularize/core-train";
import { Tensor, type Tree } from "@regularize/core-autodiff";
import { check, PenaltyOptionError, requirePositive, requirePositiveInteger, requireTensor } from "./errors.js";
import { type ParamMask, mapSelected, weightsOnly } from "@regularize/core-train";
import { PowerIterationVectors } from "./spectral-norm.js";

function scaled(w: Tensor, s: number): Tensor {
  const d = w.dtype === "float32" ? new Float32Array(w.size) : new Float64Array(w.size);
  for (let i = 0; i < d.length; i++) d[i] = w.data[i]! * s;
  return new Tensor(d, w.shape, w.dtype);
}

/** Options of {@link spectralNormalization}. */
export interface SpectralNormalizationOptions {
  /** The bound c on σ_max(W) (default 1: every layer 1-Lipschitz). */
  readonly maxNorm?: number;
  /** Power-iteration steps per projection (default 1; vectors persist across steps). */
  readonly iterations?: number;
  /** Which tensors are constrained. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Seed of the start vectors (default 0). */
  readonly seed?: number;
  /** Plugin name (default "spectralNormalization"). */
  readonly name?: string;
}
const MAX_NORM_KEYS: OptionKeys<MaxNormOptions> = { c: true, axis: true, mask: true, name: true };
const SPECTRAL_NORMALIZATION_KEYS: OptionKeys<SpectralNormalizationOptions> = { maxNorm: true, iterations: true, mask: true, seed: true, name: true };

/** W / max(1, σ(W)/c) for every selected tensor, with σ from the persisted power iteration. */
export function projectSpectral(params: Tree, vectors: PowerIterationVectors, c: number, iterations: number, mask: ParamMask): Tree {
  return mapSelected(params, mask, (path, w) => {
    const { sigma } = vectors.step(path, w, iterations);
    return sigma > c ? scaled(w, c / sigma) : w;
  });
}

/**
 * Spectral normalization as a constraint (Miyato et al. 2018, in projection form): after each step,
 * W ← W / max(1, σ_max(W)/c), so every layer's spectral norm stays ≤ c.
 * @example spectralNormalization({ maxNorm: 1 })
 */
export function spectralNormalization(options: SpectralNormalizationOptions = {}): Plugin {
  const name = check.plugin("spectralNormalization", options, SPECTRAL_NORMALIZATION_KEYS, { required: false });
  if (options.mask !== undefined) check.func(name, "mask", options.mask);
  if (options.seed !== undefined) check.integer(name, "seed", options.seed, 0, Number.MAX_SAFE_INTEGER);
  const c = requirePositive(name, "maxNorm", optionOr(options.maxNorm, 1));
  const iterations = requirePositiveInteger(name, "iterations", optionOr(options.iterations, 1));
  const vectors = new PowerIterationVectors(options.seed ?? 0);
  return {
    name,
    afterStep(ctx: FitContext) {
      checkHookContext(name, "afterStep", ctx, ["params", "setParams"]);
      ctx.setParams(projectSpectral(ctx.params, vectors, c, iterations, options.mask ?? weightsOnly));
    },
    beforeFit: () => vectors.reset(),
    saveState: () => vectors.save(),
    loadState: (s) => vectors.load(s),
  };
}

/** Options of {@link maxNorm}. */
export interface MaxNormOptions {
  /** The bound c on each unit's incoming-weight norm ‖W[:, j]‖₂ (Srebro & Shraibman 2005; used with dropout). */
  readonly c: number;
  /** Axis summed inside one unit's norm (default 0, core-train's [inputs, units] layout). */
  readonly axis?: number;
  /** Which tensors are constrained. Default: tensors with ≥ 2 dims. */
  readonly mask?: ParamMask;
  /** Plugin name (default "maxNorm"). */
  readonly name?: string;
}

/** Rescale every group along `axis` whose L2 norm exceeds c down to norm c. */
export function projectMaxNorm(w: Tensor, c: number, axis: number): Tensor {
  requireTensor("projectMaxNorm", "w", w);
  if (!Number.isInteger(axis) || axis < -w.ndim || axis >= w.ndim) throw new PenaltyOptionError("projectMaxNorm", "axis", `must be an integer axis of a ${w.ndim}-D tensor`);
  const ax = axis < 0 ? axis + w.ndim : axis;
  const shape = w.shape;
  const inner = shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const n = shape[ax]!;
  const outer = w.size / (n * inner);
  const d = w.dtype === "float32" ? Float32Array.from(w.data) : Float64Array.from(w.data);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += d[(o * n + i) * inner + k]! ** 2;
      const norm = Math.sqrt(s);
      if (norm > c) for (let i = 0; i < n; i++) d[(o * n + i) * inner + k]! *= c / norm;
    }
  }
  return new Tensor(d, shape, w.dtype);
}

/**
 * Max-norm constraint: after each step, project every unit's incoming weights onto the ball
 * ‖W[:, j]‖₂ ≤ c (Hinton et al. 2012 pair it with dropout).
 * @example maxNorm({ c: 3 })
 */
export function maxNorm(options: MaxNormOptions): Plugin {
  const name = check.plugin("maxNorm", options, MAX_NORM_KEYS);
  const c = requirePositive(name, "c", options.c);
  const axis = check.integer(name, "axis", optionOr(options.axis, 0), -32, 31);
  const mask = options.mask === undefined ? weightsOnly : check.func<ParamMask>(name, "mask", options.mask);
  return {
    name,
    afterStep(ctx: FitContext) {
      ctx.setParams(mapSelected(ctx.params, mask, (_path, w) => projectMaxNorm(w, c, axis)));
    },
  };
}
