import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { boolParam, enumParam, intParam, numberParam } from "../params.js";
import type { TrainResult } from "../impl/mnist1d-train.js";
import { lossFigure } from "./figures.js";

/** One MNIST-1D training with the notebooks' reference protocol (was `regularize mnist1d`). */
export const mnist1d = defineExperiment({
  id: "mnist1d",
  title: "MNIST-1D training (reference protocol)",
  reproduces: "MNIST-1D reference protocol (MNIST1D.md §10); 8000 samples / split 0.5 is fig 9.5's data",
  description:
    "Trains an MNIST-1D model: MLP 40-100-100-10 (residual second layer), Adam 1e-2, batch 100 taken in order, 6000 steps, seed 42, float32, " +
    "on the default 4000/1000 split. Any catalog plugin can be added (--plugin); resumable (Ctrl-C, --resume).",
  acceptsPlugins: true,
  resumable: true,
  params: v.object({
    model: enumParam(["mlp", "cnn", "linear"], "mlp", "mlp = 40-100-100-10 (residual), cnn = the reference conv net, linear = 40-10"),
    optimizer: enumParam(["adam", "adamw", "sgd"], "adam", "weight decay is coupled (L2 in the gradient) for adam/sgd, decoupled for adamw"),
    lr: numberParam(1e-2, 1e-8, 10, "learning rate"),
    weightDecay: numberParam(0, 0, 10, "weight decay λ (weights only, biases untouched)"),
    batch: intParam(100, 1, 100_000, "batch size"),
    steps: intParam(6000, 1, 10_000_000, "training steps"),
    seed: intParam(42, 0, 2 ** 31 - 1, "seed of the initialisation and the run's random streams"),
    shuffle: boolParam(false, "reshuffle every epoch (the reference takes batches in order)"),
    samples: intParam(5000, 10, 1_000_000, "dataset size (8000 with split 0.5 is fig 9.5's setting)"),
    split: numberParam(0.8, 0.01, 0.99, "train fraction"),
    dataSeed: intParam(42, 0, 2 ** 32 - 1, "seed of the MNIST-1D generator"),
    evalEvery: intParam(500, 0, 10_000_000, "test accuracy every this many steps (0 = only at the end)"),
    checkFinite: boolParam(true, "stop with an error on a NaN/Inf loss, gradient or update"),
    dtype: enumParam(["float32", "float64"], "float32", "float type of the data and the model (float32 as the reference's PyTorch)"),
  }),
  load: async () => (await import("../impl/mnist1d.js")).mnist1d,
  plots: (r: TrainResult) => [
    lossFigure("loss", "Training loss", "step", "cross-entropy (batch)", [{ name: "train loss", x: r.loss.steps, y: r.loss.values }], "log"),
    ...(r.curve.steps.length > 0
      ? [lossFigure("test-accuracy", "Test accuracy", "step", "test accuracy", [{ name: "test", x: r.curve.steps, y: r.curve.testAccuracy }])]
      : []),
  ],
});
