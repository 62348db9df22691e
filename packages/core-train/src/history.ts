/** Metrics of one training step. `loss` is the differentiated objective (data loss + penalties, after objective wrappers). */
export interface StepRecord {
  /** 0-based step index. */
  readonly step: number;
  /** Epoch the step belongs to. */
  readonly epoch: number;
  /** Value of the differentiated objective. */
  readonly loss: number;
  /** Data loss of the first forward pass of the step (no penalties). */
  readonly dataLoss: number;
  /** Global L2 norm of the raw gradient (before any transform). */
  readonly gradNorm?: number;
  /** Optimizer hyperparameters (e.g. `lr`, from `GradientTransformation.hyperparams`) and plugin-logged metrics. */
  readonly [metric: string]: number | undefined;
}

/**
 * Metrics of one epoch: means of the step metrics, validation metrics, plugin-logged metrics.
 * An epoch cut short (step budget, abort, cancel('fit')) has fewer `batches` than a full one.
 */
export interface EpochRecord {
  readonly epoch: number;
  /** Steps completed at the end of the epoch. */
  readonly step: number;
  /** Batches that ran in this epoch (cancelled batches included). */
  readonly batches: number;
  /** Mean `loss` over the epoch's steps (absent if no step computed a loss). */
  readonly trainLoss?: number;
  /** Mean `dataLoss` over the epoch's steps. */
  readonly trainDataLoss?: number;
  /** Data loss on the validation set, in eval mode (the fit's `loss` on the whole set). */
  readonly valLoss?: number;
  /** Validation accuracy (classification targets only). */
  readonly valAccuracy?: number;
  readonly [metric: string]: number | undefined;
}

/** What `fit` records: per-step and per-epoch metrics, and metrics logged by fit-level hooks. */
export interface History {
  readonly steps: readonly StepRecord[];
  readonly epochs: readonly EpochRecord[];
  /** Metrics logged in beforeFit / afterFit. */
  readonly summary: Readonly<Record<string, number>>;
}
