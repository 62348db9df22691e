import * as v from "valibot";
import {
  adversarialTraining, allParams, betaDropout, disturbLabel, dropConnect, dropout, gaussianDropout, gradientNoise, inputNoise,
  labelSmoothing, uniformDropout, weightNoise, weightsOnly,
} from "@regularize/noise";
import { definePlugin } from "./catalog.js";
import { maskOption, opt, optBool, optEnum, optInt, req } from "./options.js";

const PKG = "@regularize/noise";
const maskOf = (m: "weights" | "all") => (m === "all" ? allParams : weightsOnly);
const rate = (description: string) => req(0, 0.99, description);

/** Every user-facing plugin of @regularize/noise, by name. */
export const NOISE_PLUGINS = [
  definePlugin({
    name: "dropout", package: PKG,
    description: "dropout on every hidden layer (§9.3.3): drop units with probability p",
    options: v.strictObject({
      rate: v.optional(rate("drop probability p in [0, 0.99]"), 0.5),
      inference: optEnum(["inverted", "weight-scaling"], "inverted", "inverted: train m/(1−p), test identity; weight-scaling: the book's rule"),
      sampling: optEnum(["bernoulli", "fixed-count"], "bernoulli", "independent drops, or exactly round(p·units) dropped"),
      sharedMask: optBool(false, "one mask for the whole batch"),
    }),
    create: (o) => dropout({ rate: o.rate, inference: o.inference, sampling: o.sampling, sharedMask: o.sharedMask }),
  }),
  definePlugin({
    name: "gaussianDropout", package: PKG,
    description: "multiplicative Gaussian noise N(1, p/(1−p)) on hidden units",
    options: v.strictObject({ rate: rate("the dropout rate p mimicked, in [0, 0.99]") }),
    create: (o) => gaussianDropout({ rate: o.rate }),
  }),
  definePlugin({
    name: "uniformDropout", package: PKG,
    description: "multiplicative uniform noise of mean 1, variance p/(1−p) on hidden units",
    options: v.strictObject({ rate: rate("the dropout rate p mimicked, in [0, 0.99]") }),
    create: (o) => uniformDropout({ rate: o.rate }),
  }),
  definePlugin({
    name: "betaDropout", package: PKG,
    description: "multiplicative Beta(κ(1−p), κp)/(1−p) noise on hidden units",
    options: v.strictObject({ rate: rate("the dropout rate p mimicked, in [0, 0.99]"), concentration: opt(1, 1e-6, 1e6, "κ = a + b") }),
    create: (o) => betaDropout({ rate: o.rate, concentration: o.concentration }),
  }),
  definePlugin({
    name: "dropConnect", package: PKG,
    description: "DropConnect: drop individual weights with probability p",
    options: v.strictObject({
      rate: rate("drop probability p in [0, 0.99]"),
      inference: optEnum(["inverted", "weight-scaling"], "inverted", "inverted: train W·m/(1−p); weight-scaling: test W·(1−p)"),
      mask: maskOption,
    }),
    create: (o) => dropConnect({ rate: o.rate, inference: o.inference, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "inputNoise", package: PKG,
    description: "Gaussian noise on the inputs x + ε, ε ~ N(0, σx²), fresh every step (fig 9.10)",
    options: v.strictObject({ sigma: req(0, 1e3, "σx ≥ 0") }),
    create: (o) => inputNoise({ sigma: o.sigma }),
  }),
  definePlugin({
    name: "weightNoise", package: PKG,
    description: "Gaussian noise on the weights φ + ε in the forward pass, fresh every step",
    options: v.strictObject({ sigma: req(0, 1e3, "σ ≥ 0"), mask: maskOption }),
    create: (o) => weightNoise({ sigma: o.sigma, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "labelSmoothing", package: PKG,
    description: "label smoothing: the true class gets 1 − ρ, the others ρ/(D − 1) (§9.3.3)",
    options: v.strictObject({ rho: req(0, 0.999, "ρ in [0, 1)"), classes: optInt(10, 2, 100_000, "number of classes D") }),
    create: (o) => labelSmoothing({ rho: o.rho, classes: o.classes }),
  }),
  definePlugin({
    name: "disturbLabel", package: PKG,
    description: "DisturbLabel: each label replaced by a uniform class with probability α",
    options: v.strictObject({ alpha: req(0, 1, "α in [0, 1]"), classes: optInt(10, 2, 100_000, "number of classes D") }),
    create: (o) => disturbLabel({ alpha: o.alpha, classes: o.classes }),
  }),
  definePlugin({
    name: "gradientNoise", package: PKG,
    description: "annealed Gaussian gradient noise, σ_t² = η/(1 + t)^γ (Neelakantan et al.)",
    options: v.strictObject({ eta: req(0, 1e3, "η ≥ 0"), gamma: opt(0.55, 0, 10, "annealing exponent γ ≥ 0") }),
    create: (o) => gradientNoise({ eta: o.eta, gamma: o.gamma }),
  }),
  definePlugin({
    name: "adversarial", package: PKG,
    description: "adversarial training (FGSM, or PGD with steps > 1) in an L∞ ball of radius ε",
    options: v.strictObject({
      epsilon: req(1e-9, 1e3, "ε > 0"),
      steps: optInt(1, 1, 1000, "attack steps (1 = FGSM)"),
      randomStart: optBool(false, "start PGD at a random point of the ball"),
      mix: opt(0.5, 0, 1, "weight of the adversarial loss"),
    }),
    create: (o) => adversarialTraining({ epsilon: o.epsilon, steps: o.steps, randomStart: o.randomStart, mix: o.mix }),
  }),
];
