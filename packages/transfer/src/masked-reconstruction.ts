import { MAX_SIZE, type PRNGKey, Tensor, div, maximum, mul, randint, slice, square, sub, sum } from "@regularize/core-autodiff";
import type { Loss } from "@regularize/core-train";
import { TransferError, check, checkInt, requireObject, requireTensor } from "./errors.js";
import { type Pretext, checkSignals } from "./pretext.js";
import { optionOr } from "@regularize/core-train";

/** Options of {@link maskedReconstruction}. */
export interface MaskedReconstructionOptions {
  /** Signal length L (40 for MNIST-1D). */
  readonly length: number;
  /** Fraction of each signal hidden, as one contiguous (circular) span (default 0.25). */
  readonly fraction?: number;
  /** Value written into the hidden span (default 0, the mean of standardised MNIST-1D). */
  readonly fill?: number;
}

/**
 * The masked-reconstruction loss: y = [target (L) | mask (L)] per row; Σ mask·(pred − target)² / Σ mask
 * (the mean squared error over the hidden samples only, as in masked autoencoders).
 */
export function maskedMseLoss(length: number): Loss {
  // y holds 2·length columns: a longer signal could never be a tensor, so the loss could never run
  checkInt("maskedMseLoss", "length", length, 1, MAX_SIZE / 2);
  return (pred, batch) => {
    requireTensor("maskedMseLoss", "pred", pred);
    const y = requireTensor("maskedMseLoss", "batch.y", requireObject("maskedMseLoss", "batch", batch).y);
    if (pred.ndim !== 2 || pred.shape[1] !== length || y.ndim !== 2 || y.shape[1] !== 2 * length) {
      throw new TransferError("maskedMseLoss", "pred", `must be [B, ${length}] with y [B, ${2 * length}], got [${pred.shape.join(", ")}] and [${y.shape.join(", ")}]`);
    }
    const target = slice(y, [null, [0, length]]);
    const mask = slice(y, [null, [length, 2 * length]]);
    // the count stays a tensor: no value is read into JS (a jit-recorded step replays it per batch)
    return div(sum(mul(square(sub(pred, target)), mask)), maximum(sum(mask), 1));
  };
}

/**
 * Pretext: hide one random contiguous span of each signal (inpainting, the 1-D analogue of
 * figure 9.12c) and reconstruct the whole signal; the loss counts the hidden samples only.
 * @example const masked = maskedReconstruction({ length: 40, fraction: 0.25 }) // 10 of 40 samples hidden
 */
export function maskedReconstruction(options: MaskedReconstructionOptions): Pretext {
  const fn = "maskedReconstruction";
  check.options(fn, options, { length: true, fraction: true, fill: true }, { required: true });
  const L = check.integer(fn, "length", options.length, 1);
  const fraction = check.probability(fn, "fraction", optionOr(options.fraction, 0.25));
  // the fill replaces standardised signal values: a value far outside their range is a mistake
  const fill = check.number(fn, "fill", optionOr(options.fill, 0), { min: -1e6, max: 1e6 });
  const span = Math.max(1, Math.round(fraction * L));
  return {
    name: "masked",
    outputs: L,
    make: (x: Tensor, key: PRNGKey) => {
      checkSignals(fn, "x", x, L);
      const B = x.shape[0]!;
      const starts = randint(key, [B], 0, L).data;
      const d = x.data;
      const xin = new Float64Array(B * L);
      const y = new Float64Array(B * 2 * L);
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < L; j++) {
          xin[b * L + j] = d[b * L + j]!;
          y[b * 2 * L + j] = d[b * L + j]!;
        }
        for (let k = 0; k < span; k++) {
          const j = (starts[b]! + k) % L;
          xin[b * L + j] = fill;
          y[b * 2 * L + L + j] = 1;
        }
      }
      const cast = (a: Float64Array) => (x.dtype === "float32" ? Float32Array.from(a) : a);
      return { x: new Tensor(cast(xin), [B, L], x.dtype), y: new Tensor(cast(y), [B, 2 * L], x.dtype) };
    },
    loss: maskedMseLoss(L),
  };
}
