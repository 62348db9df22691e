import { type PRNGKey, foldIn, foldInString } from "@regularize/core-autodiff";
import type { FitEvent } from "./plugin.js";

/**
 * @internal The key tree of a run: every stream derives from the root by name, so a resumed run
 * (same root, same step) draws the same numbers. Per step: stepKey = foldIn(foldInString(root,
 * "step"), step); a plugin's base key = foldInString(stepKey, name), from which its hooks derive
 * theirs ("objective", "transform", "site", "forwardParams", or the event name).
 */
export class RunKeys {
  readonly data: PRNGKey;
  readonly init: PRNGKey;
  readonly eval: PRNGKey;
  private readonly stepRoot: PRNGKey;
  private readonly epochRoot: PRNGKey;
  private readonly fitRoot: PRNGKey;
  private cachedStep = -1;
  private cached: PRNGKey | undefined;

  constructor(readonly root: PRNGKey) {
    this.data = foldInString(root, "data");
    this.init = foldInString(root, "init");
    this.eval = foldInString(root, "eval");
    this.stepRoot = foldInString(root, "step");
    this.epochRoot = foldInString(root, "epoch");
    this.fitRoot = foldInString(root, "fit");
  }

  /** The key of step `step` (cached for the current step). */
  step(step: number): PRNGKey {
    if (this.cachedStep !== step) {
      this.cachedStep = step;
      this.cached = foldIn(this.stepRoot, step);
    }
    return this.cached!;
  }

  /** A plugin's key for an event hook: distinct per event, and per step or epoch. */
  event(plugin: string, event: FitEvent, step: number, epoch: number): PRNGKey {
    switch (event) {
      case "beforeFit":
      case "afterFit":
        return foldInString(foldInString(this.fitRoot, plugin), event);
      case "beforeEpoch":
      case "afterEpoch":
        return foldInString(foldInString(foldIn(this.epochRoot, epoch), plugin), event);
      default:
        return foldInString(foldInString(this.step(step), plugin), event);
    }
  }
}
