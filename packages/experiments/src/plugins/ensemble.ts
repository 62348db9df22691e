import * as v from "valibot";
import { ema, fastGeometric, snapshotEnsemble, swa } from "@regularize/ensemble";
import { definePlugin } from "./catalog.js";
import { optBool, optInt, opt } from "./options.js";

const PKG = "@regularize/ensemble";
const int = (min: number, max: number, description: string) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max), v.description(description));

/** Every user-facing plugin of @regularize/ensemble, by name. Their learning-rate schedules (swaSchedule, snapshotSchedule, fgeSchedule) belong to the optimizer. */
export const ENSEMBLE_PLUGINS = [
  definePlugin({
    name: "swa", package: PKG,
    description: "stochastic weight averaging: running mean of the iterates from a start epoch (result.plugins.swa.params); pair with swaSchedule",
    options: v.strictObject({
      startEpoch: int(0, 1e9, "first epoch whose end is averaged"),
      everySteps: v.optional(int(1, 1e9, "average every k steps instead of once per epoch")),
      applyAtEnd: optBool(false, "replace the final parameters with the average"),
    }),
    create: (o) => swa({ startEpoch: o.startEpoch, applyAtEnd: o.applyAtEnd, ...(o.everySteps !== undefined ? { everySteps: o.everySteps } : {}) }),
  }),
  definePlugin({
    name: "ema", package: PKG,
    description: "exponential moving average of the iterates, avg ← δ·avg + (1 − δ)·φ after every step (result.plugins.ema.params)",
    options: v.strictObject({
      decay: opt(0.999, 0, 1, "decay δ"),
      startStep: optInt(0, 0, 1e9, "first averaged step"),
      everySteps: optInt(1, 1, 1e9, "update every k steps"),
      applyAtEnd: optBool(false, "replace the final parameters with the average"),
    }),
    create: (o) => ema({ decay: o.decay, startStep: o.startStep, everySteps: o.everySteps, applyAtEnd: o.applyAtEnd }),
  }),
  definePlugin({
    name: "snapshot", package: PKG,
    description: "snapshot ensemble: keeps the parameters at the end of every cosine cycle (result.plugins.snapshot.snapshots); pair with snapshotSchedule",
    options: v.strictObject({
      cycleSteps: int(1, 1e9, "steps per cosine cycle"),
      keepLast: v.optional(int(1, 1e6, "keep only the last k snapshots")),
    }),
    create: (o) => snapshotEnsemble({ cycleSteps: o.cycleSteps, ...(o.keepLast !== undefined ? { keepLast: o.keepLast } : {}) }),
  }),
  definePlugin({
    name: "fge", package: PKG,
    description: "fast geometric ensembling: collects a model at the end of every triangular LR cycle after startStep (result.plugins.fge.snapshots); pair with fgeSchedule",
    options: v.strictObject({
      startStep: int(0, 1e9, "step at which the cyclic phase starts"),
      cycleSteps: int(1, 1e9, "steps per triangular cycle"),
      keepLast: v.optional(int(1, 1e6, "keep only the last k models")),
    }),
    create: (o) => fastGeometric({ startStep: o.startStep, cycleSteps: o.cycleSteps, ...(o.keepLast !== undefined ? { keepLast: o.keepLast } : {}) }),
  }),
];
