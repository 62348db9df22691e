import * as v from "valibot";
import { bayesByBackprop, gaussianPrior, klAnnealing, posteriorSamples, sgMcmcNoise } from "@regularize/bayes";
import { definePlugin } from "./catalog.js";
import { opt, optEnum, optInt, req } from "./options.js";

const PKG = "@regularize/bayes";

const chain = {
  learningRate: req(1e-12, 10, "ε: the optimizer's step size (give the same number to the optimizer)"),
  dataSize: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e9), v.description("N, the training-set size (noise variance ∝ 1/N)")),
  temperature: opt(1, 1e-6, 1e6, "T dividing the log posterior (T < 1: cold posterior)"),
  burnIn: optInt(0, 0, 1e9, "steps discarded before the first sample"),
  thinning: optInt(1, 1, 1e9, "keep every k-th step after burn-in"),
  maxSamples: optInt(1000, 1, 1e6, "stop collecting after this many samples"),
  noise: optEnum(["gaussian", "rademacher"], "gaussian", "law of the injected noise (same mean and variance; rademacher: one random bit per parameter, much cheaper)"),
};

/**
 * Every user-facing plugin of @regularize/bayes that works on any model, by name. bayesByBackprop is the
 * variant with plugin-owned scales: the model's parameters are μ, the plugin keeps ρ (no meanField wrapper).
 */
export const BAYES_PLUGINS = [
  definePlugin({
    name: "sgld", package: PKG,
    description: "stochastic gradient Langevin dynamics: with optimizer sgd(ε), adds N(0, 2T/(Nε)) to the gradients so each step is −εg + N(0, 2εT/N); collects posterior samples",
    options: v.strictObject(chain),
    create: (o) => sgMcmcNoise({ ...o }),
  }),
  definePlugin({
    name: "sghmc", package: PKG,
    description: "stochastic gradient HMC: with optimizer sgd(ε, momentum 1 − α), adds N(0, 2αT/(Nε)) to the gradients; collects posterior samples",
    options: v.strictObject({ ...chain, friction: opt(0.1, 1e-6, 1, "friction α (the optimizer's momentum must be 1 − α)") }),
    create: (o) => sgMcmcNoise({ ...o }),
  }),
  definePlugin({
    name: "posteriorSamples", package: PKG,
    description: "collects the parameters along a run with burn-in and thinning (fit returns them under this name)",
    options: v.strictObject({ burnIn: chain.burnIn, thinning: chain.thinning, maxSamples: chain.maxSamples }),
    create: (o) => posteriorSamples(o),
  }),
  definePlugin({
    name: "gaussianPrior", package: PKG,
    description: "the Gaussian prior N(0, σ_p² I) as the penalty ‖φ‖²/(2σ_p²N) (the log prior's share of a mean loss)",
    options: v.strictObject({ variance: req(1e-12, 1e12, "σ_p²"), dataSize: chain.dataSize }),
    create: (o) => gaussianPrior(o),
  }),
  definePlugin({
    name: "bayesByBackprop", package: PKG,
    description: "Bayes by Backprop (mean-field Gaussian q): the forward uses θ = μ + softplus(ρ)·ε, the penalty is β·KL(q‖p)/N; the model's parameters are μ, the plugin learns ρ (Adam) and returns { rho, std }",
    options: v.strictObject({
      dataSize: chain.dataSize,
      priorVariance: opt(1, 1e-12, 1e12, "σ_p² of the prior N(0, σ_p² I)"),
      klWeight: opt(1, 0, 1e6, "β multiplying the KL (1: the ELBO)"),
      annealSteps: optInt(0, 0, 1e9, "KL annealing: β grows linearly to klWeight over this many steps (0: none)"),
      initStd: opt(1e-3, 1e-12, 1e3, "initial posterior sd softplus(ρ₀)"),
      scaleLearningRate: opt(1e-2, 1e-12, 10, "Adam learning rate of ρ"),
    }),
    create: (o) => {
      const anneal = o.annealSteps > 0 ? klAnnealing(o.annealSteps) : undefined;
      return bayesByBackprop({
        dataSize: o.dataSize, priorVariance: o.priorVariance, klWeight: anneal ? (t: number) => o.klWeight * anneal(t) : o.klWeight,
        scales: { initStd: o.initStd, learningRate: o.scaleLearningRate },
      });
    },
  }),
];
