import { type PRNGKey, Tensor, crossEntropy, randint } from "@regularize/core-autodiff";
import { check } from "./errors.js";
import { type Pretext, checkSignals } from "./pretext.js";
import { optionOr } from "@regularize/core-train";

/** A deterministic transformation of one signal (in → out, same length). */
export type SignalTransform = (row: Float64Array, out: Float64Array) => void;

/** The default transformations: identity, time reversal, negation, both (RotNet's four rotations, in 1-D). */
export const FLIPS: readonly SignalTransform[] = [
  (r, o) => o.set(r),
  (r, o) => { for (let j = 0; j < r.length; j++) o[j] = r[r.length - 1 - j]!; },
  (r, o) => { for (let j = 0; j < r.length; j++) o[j] = -r[j]!; },
  (r, o) => { for (let j = 0; j < r.length; j++) o[j] = -r[r.length - 1 - j]!; },
];

/** Options of {@link transformPrediction}. */
export interface TransformPredictionOptions {
  /** Signal length L. */
  readonly length: number;
  /** The candidate transformations; the label is the index of the one applied (default FLIPS). */
  readonly transforms?: readonly SignalTransform[];
}

/**
 * Pretext: apply one of k transformations, drawn per signal, and predict which (Gidaris et al.'s
 * rotation prediction in 1-D: by default identity / reversal / negation / both, k = 4). Unlike the
 * absolute shift, which the generator's own random translation makes partly ambiguous, the applied
 * flip is identifiable from any asymmetric pattern.
 * @example const flips = transformPrediction({ length: 40 }) // 4 classes
 */
export function transformPrediction(options: TransformPredictionOptions): Pretext {
  const fn = "transformPrediction";
  check.options(fn, options, { length: true, transforms: true }, { required: true });
  const L = check.integer(fn, "length", options.length, 1);
  const ts = optionOr(options.transforms, FLIPS);
  if (!Array.isArray(ts) || ts.length < 2 || ts.some((t) => typeof t !== "function")) check.fail(fn, "transforms", `must be an array of at least 2 functions (row, out) => void`);
  return {
    name: "transform",
    outputs: ts.length,
    make: (x: Tensor, key: PRNGKey) => {
      checkSignals(fn, "x", x, L);
      const B = x.shape[0]!;
      const labels = randint(key, [B], 0, ts.length);
      const d = Float64Array.from(x.data);
      const out = new Float64Array(B * L);
      for (let b = 0; b < B; b++) ts[labels.data[b]!]!(d.subarray(b * L, b * L + L), out.subarray(b * L, b * L + L));
      return { x: new Tensor(x.dtype === "float32" ? Float32Array.from(out) : out, [B, L], x.dtype), y: labels };
    },
    loss: (pred, batch) => crossEntropy(pred, batch.y, { reduction: "mean" }),
  };
}
