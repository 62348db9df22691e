import { type PRNGKey, Tensor, crossEntropy, randint } from "@regularize/core-autodiff";
import { TransferError, check, requireArrayOf } from "./errors.js";
import { type Pretext, checkSignals } from "./pretext.js";
import { optionOr } from "@regularize/core-train";

/** Circular shift of each row of x [B, L] right by shifts[b] (pure; x is not modified). */
export function rollRows(x: Tensor, shifts: Int32Array | readonly number[]): Tensor {
  checkSignals("rollRows", "x", x);
  const [B, L] = x.shape as [number, number];
  requireArrayOf<number>("rollRows", "shifts", shifts, Number.isInteger as (v: unknown) => boolean, "an integer");
  if (shifts.length !== B) throw new TransferError("rollRows", "shifts", `must have one shift per row (${B}), got ${shifts.length}`);
  const d = x.data;
  const out = x.dtype === "float32" ? new Float32Array(B * L) : new Float64Array(B * L);
  for (let b = 0; b < B; b++) {
    const s = ((shifts[b]! % L) + L) % L;
    const o = b * L;
    for (let j = 0; j < L; j++) out[o + ((j + s) % L)] = d[o + j]!;
  }
  return new Tensor(out, [B, L], x.dtype);
}

/** Options of {@link shiftPrediction}. */
export interface ShiftPredictionOptions {
  /** Signal length L (40 for MNIST-1D). */
  readonly length: number;
  /** Shifts are drawn uniformly from {0, …, classes − 1} (default L: every circular shift). */
  readonly classes?: number;
}

/**
 * Pretext: circularly shift each signal by a random s and predict s (classes outputs, cross-entropy).
 * The digit is invisible to this task, but solving it needs the features that locate a pattern in time.
 * @example const shift = shiftPrediction({ length: 40 }) // 40 classes
 */
export function shiftPrediction(options: ShiftPredictionOptions): Pretext {
  const fn = "shiftPrediction";
  check.options(fn, options, { length: true, classes: true }, { required: true });
  const L = check.integer(fn, "length", options.length, 1);
  const classes = check.integer(fn, "classes", optionOr(options.classes, L), 2, L);
  return {
    name: "shift",
    outputs: classes,
    make: (x: Tensor, key: PRNGKey) => {
      checkSignals(fn, "x", x, L);
      const s = randint(key, [x.shape[0]!], 0, classes);
      return { x: rollRows(x, s.data as Int32Array), y: s };
    },
    loss: (pred, batch) => crossEntropy(pred, batch.y, { reduction: "mean" }),
  };
}
