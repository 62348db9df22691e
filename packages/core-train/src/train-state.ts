import type { Tree } from "@regularize/core-autodiff";

/** Running sums of the current epoch's step metrics (so a resumed epoch reports the same means). */
export interface EpochAccumulator {
  readonly lossSum: number;
  readonly dataLossSum: number;
  /** Steps that computed a loss. */
  readonly count: number;
  /** Batches consumed (cancelled ones included). */
  readonly batches: number;
}

/**
 * Everything needed to continue a fit exactly where it stopped: resuming with
 * `fit({ ...sameOptions, initialState })` reproduces the uninterrupted run bit for bit. Holds tensors
 * in memory; `serializeState` turns it into plain JSON.
 */
export interface TrainState {
  readonly version: 1;
  readonly params: Tree;
  /** State of the fit's optimizer. */
  readonly optimizer: unknown;
  /** State of each plugin `transform`, by plugin name. */
  readonly transforms: Readonly<Record<string, unknown>>;
  /** `saveState()` of each plugin that has one, by plugin name. */
  readonly plugins: Readonly<Record<string, unknown>>;
  /** The state of each plugin with `stepState`, by plugin name (absent when the run has none). */
  readonly stepStates?: Readonly<Record<string, unknown>>;
  /** Steps completed (the next step's index). */
  readonly step: number;
  /** Current epoch (0-based). */
  readonly epoch: number;
  /** Batches of `epoch` already consumed. */
  readonly batchInEpoch: number;
  /** Whether beforeEpoch has run for `epoch` (the epoch is open). */
  readonly inEpoch: boolean;
  readonly epochStats: EpochAccumulator;
  /** The root PRNG key's two words: the data order, init and every plugin stream derive from it. */
  readonly key: readonly [number, number];
  /** The data-order geometry the position above refers to. */
  readonly data: { readonly n: number; readonly batchSize: number; readonly shuffle: boolean; readonly dropLast: boolean };
}
