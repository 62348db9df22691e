import { now } from "./event-loop.js";
import type { Progress } from "./fit-options.js";

/**
 * @internal Progress reports: every `every` steps and once at the end, with the speed over the
 * steps since the previous report (steps/s as users see it, compiled or not).
 */
export class ProgressReporter {
  private readonly t0 = now();
  private lastT = this.t0;
  private lastStep: number;
  private rate = NaN;

  constructor(private readonly sink: ((p: Progress) => void) | undefined, readonly every: number, firstStep: number) {
    this.lastStep = firstStep;
  }

  report(step: number, epoch: number, totalSteps: number | undefined, loss: number): void {
    if (this.sink === undefined) return;
    const t = now();
    if (step > this.lastStep && t > this.lastT) this.rate = ((step - this.lastStep) * 1000) / (t - this.lastT);
    this.lastT = t;
    this.lastStep = step;
    this.sink({
      step, epoch, totalSteps,
      fraction: totalSteps ? Math.min(1, step / totalSteps) : undefined,
      loss, elapsedMs: t - this.t0, stepsPerSecond: this.rate,
    });
  }
}
