import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import { intParam, numberParam } from "../params.js";
import type { UncertaintyResult } from "../impl/mnist1d-uncertainty.js";

/** MNIST-1D: accuracy, NLL and calibration of five uncertainty methods on one MLP (README table of @regularize/bayes). */
export const mnist1dUncertainty = defineExperiment({
  id: "mnist1d-uncertainty",
  title: "MNIST-1D uncertainty: deep ensemble, MC dropout, Laplace, SWAG, SGLD, Bayes by Backprop",
  reproduces: "§9.3 (ensembles, dropout, Bayesian approaches) on MNIST-1D; no figure of the book",
  description:
    "Trains the reference MLP 40-100-100-10 (residual, Adam, batch 100) as a MAP model, a deep ensemble of M seeds, an MC-dropout net, " +
    "then Laplace on the MAP (last-layer Kronecker, diagonal and KFAC over all layers; prior precision by the evidence), SWAG and SGLD continued from it with SGD, " +
    "and Bayes by Backprop (mean field, trained from scratch with the same Adam schedule). " +
    "Reports test accuracy, NLL and ECE (15 bins) of every Predictive.",
  params: v.object({
    samples: intParam(5000, 50, 1_000_000, "MNIST-1D size before the split (4000 train / 1000 test by default)"),
    dataSeed: intParam(42, 0, 2 ** 32 - 1, "seed of the MNIST-1D generator"),
    steps: intParam(6000, 1, 10_000_000, "Adam steps of each training (MAP, ensemble members, dropout net)"),
    lr: numberParam(1e-2, 1e-8, 10, "Adam learning rate"),
    members: intParam(5, 1, 100, "deep-ensemble size M (member 0 is the MAP model)"),
    dropoutRate: numberParam(0.1, 0, 0.9, "dropout rate of the MC-dropout net"),
    mcSamples: intParam(30, 1, 10_000, "MC-dropout passes / Laplace and SWAG samples"),
    sgdLr: numberParam(1e-2, 1e-8, 10, "SGD step size of the SWAG and SGLD phases (per-example scale)"),
    swagEpochs: intParam(20, 2, 100_000, "epochs of constant-lr SGD for SWAG (one moment per epoch)"),
    swagRank: intParam(10, 0, 100, "SWAG rank K"),
    sgldSteps: intParam(2000, 1, 10_000_000, "SGLD steps after the MAP"),
    sgldSamples: intParam(20, 1, 10_000, "SGLD samples kept (evenly thinned over the second half)"),
    priorVariance: numberParam(1, 1e-6, 1e6, "σ_p² of the Gaussian prior used by SGLD and Bayes by Backprop"),
    temperature: numberParam(1, 1e-6, 1e6, "SGLD temperature T"),
    seed: intParam(0, 0, 2 ** 31 - 1, "seed of the trainings (member m uses seed + m)"),
  }),
  load: async () => (await import("../impl/mnist1d-uncertainty.js")).mnist1dUncertainty,
  plots: (r: UncertaintyResult) => [
    {
      name: "nll", title: "Test NLL by method (lower is better)", x: { label: "method" }, y: { label: "NLL (nats)" },
      marks: [{ type: "bar", x: r.rows.map((m) => m.method), y: r.rows.map((m) => m.nll) }],
    },
    {
      name: "ece", title: "Test ECE (15 bins) by method", x: { label: "method" }, y: { label: "ECE" },
      marks: [{ type: "bar", x: r.rows.map((m) => m.method), y: r.rows.map((m) => m.ece) }],
    },
  ],
});
