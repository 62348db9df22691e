import { DatasetArgumentError, assertFinite, assertInteger, describe } from "./errors.js";
import { RandomState } from "./random-state.js";

/** Options of {@link injectLabelNoise}. */
export interface LabelNoiseOptions {
  /** Share of labels to corrupt, in [0, 1]. */
  readonly rate: number;
  /** Number of classes C; labels must lie in [0, C). */
  readonly numClasses: number;
  /**
   * Integer seed in [0, 2³² − 1] (default 0). The generator is `new RandomState([seed])`, i.e. the
   * stream of Python's `random.seed(seed)`, which is what UDL notebook 8.3 draws its label noise from.
   */
  readonly seed?: number;
  /** Draw from this generator instead of seeding one. */
  readonly rng?: RandomState;
  /**
   * `"bernoulli"` (default): each label independently with probability `rate` (notebook 8.3);
   * `"exact"`: exactly `round(rate · n)` labels, chosen by `choice(n, k, replace=False)`.
   */
  readonly selection?: "bernoulli" | "exact";
  /**
   * `"any"` (default): the new label is uniform over all C classes, so it may equal the old one
   * (notebook 8.3: `int(random() * 10)`); `"different"`: uniform over the C − 1 other classes.
   */
  readonly replacement?: "any" | "different";
}

/** Noisy labels plus which rows were selected for corruption and which actually changed. */
export interface LabelNoiseResult {
  /** A corrupted copy of the labels. */
  readonly y: Int32Array;
  /** Rows that drew a replacement label, ascending. */
  readonly selected: Int32Array;
  /** Rows whose label differs from the input, ascending (equals `selected` for `"different"`). */
  readonly changed: Int32Array;
}

/**
 * Replaces a share of class labels with random classes, for the "label noise" variants of
 * MNIST-1D experiments. Defaults reproduce notebook 8.3's loop: for each label,
 * `if random() < rate: label = int(random() · C)`.
 */
export function injectLabelNoise(y: Int32Array, options: LabelNoiseOptions): LabelNoiseResult {
  if (!(y instanceof Int32Array)) throw new DatasetArgumentError("y", "must be an Int32Array");
  const { rate, numClasses } = options;
  assertFinite("rate", rate);
  if (rate < 0 || rate > 1) throw new DatasetArgumentError("rate", `must be in [0, 1], got ${rate}`);
  assertInteger("numClasses", numClasses, 1, 2 ** 31 - 1);
  const selection = options.selection ?? "bernoulli";
  if (selection !== "bernoulli" && selection !== "exact") {
    throw new DatasetArgumentError("selection", `must be "bernoulli" or "exact", got ${describe(selection)}`);
  }
  const replacement = options.replacement ?? "any";
  if (replacement !== "any" && replacement !== "different") {
    throw new DatasetArgumentError("replacement", `must be "any" or "different", got ${describe(replacement)}`);
  }
  if (replacement === "different" && numClasses < 2) {
    throw new DatasetArgumentError("numClasses", "must be at least 2 to replace a label by a different class");
  }
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (c < 0 || c >= numClasses) {
      throw new DatasetArgumentError("y", `label ${c} at row ${i} is not in [0, ${numClasses})`);
    }
  }
  let rng: RandomState;
  if (options.rng !== undefined) {
    if (!(options.rng instanceof RandomState)) throw new DatasetArgumentError("rng", "must be a RandomState");
    rng = options.rng;
  } else {
    const seed = options.seed ?? 0;
    assertInteger("seed", seed, 0, 0xffffffff);
    rng = new RandomState([seed]);
  }

  const out = y.slice();
  const selected: number[] = [];
  const replace = (i: number): void => {
    const old = out[i]!;
    if (replacement === "any") {
      out[i] = Math.trunc(rng.randomSample() * numClasses);
    } else {
      const c = Math.trunc(rng.randomSample() * (numClasses - 1));
      out[i] = c >= old ? c + 1 : c;
    }
    selected.push(i);
  };
  if (selection === "bernoulli") {
    for (let i = 0; i < out.length; i++) if (rng.randomSample() < rate) replace(i);
  } else {
    const k = Math.round(rate * out.length);
    const rows = rng.choice(out.length, k, { replace: false });
    for (const i of rows) replace(i);
  }
  selected.sort((a, b) => a - b);
  const changed: number[] = [];
  for (const i of selected) if (out[i] !== y[i]) changed.push(i);
  return { y: out, selected: Int32Array.from(selected), changed: Int32Array.from(changed) };
}
