import { TrainError } from "./errors.js";
import type { EpochRecord, History, StepRecord } from "./history.js";
import type { FitEvent } from "./plugin.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * @internal The run's History as it grows: a row per logged step, a row per epoch, a summary.
 * `log` files a plugin's metric where its event belongs: fit events → summary, epoch events → the
 * epoch's metrics, batch events → the step's row (or a row of its own when the step computed none).
 */
export class HistoryRecorder {
  readonly history: { steps: StepRecord[]; epochs: EpochRecord[]; summary: Record<string, number> } = { steps: [], epochs: [], summary: {} };
  /** Metrics of the epoch being closed (read by afterEpoch hooks as ctx.metrics). */
  epochMetrics: Record<string, number> | undefined;
  private row: Mutable<StepRecord> | undefined;
  private pending: Record<string, number> | undefined;

  /** A new batch: no row yet. */
  beginBatch(): void {
    this.row = undefined;
    this.pending = undefined;
  }

  /** The step's row, with metrics logged before it existed. */
  stepRow(r: StepRecord): void {
    this.row = this.pending === undefined ? { ...r } : { ...r, ...this.pending };
    this.pending = undefined;
    this.history.steps.push(this.row);
  }

  /** A batch that computed no row but logged metrics gets a row of its own. */
  endBatch(step: number, epoch: number, logged: boolean): void {
    if (this.row === undefined && this.pending !== undefined && logged) {
      this.history.steps.push({ step, epoch, loss: NaN, dataLoss: NaN, ...this.pending });
    }
  }

  log(event: FitEvent, name: string, value: number): void {
    if (typeof value !== "number") throw new TrainError(`log("${name}"): value must be a number, got ${typeof value}`);
    switch (event) {
      case "beforeFit":
      case "afterFit":
      case "onError":
        this.history.summary[name] = value;
        return;
      case "beforeEpoch":
      case "afterEpoch":
        (this.epochMetrics ??= {})[name] = value;
        return;
      default:
        if (this.row !== undefined) this.row[name] = value;
        else (this.pending ??= {})[name] = value;
    }
  }

  epochRow(r: EpochRecord): void {
    this.history.epochs.push(r);
  }
}
