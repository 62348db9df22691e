import * as v from "valibot";
import {
  activityRegularization, allParams, elasticNet, groupLasso, inputGradient, l0Gates, l1, l1Prox, l2, l2sp, lp, maxNorm,
  spectralNormalization, spectralPenalty, weightsOnly,
} from "@regularize/penalties";
import { definePlugin } from "./catalog.js";
import { maskOption, opt, optBool, optEnum, optInt, req } from "./options.js";

const PKG = "@regularize/penalties";
const maskOf = (m: "weights" | "all") => (m === "all" ? allParams : weightsOnly);

/** Every user-facing plugin of @regularize/penalties, by name. */
export const PENALTY_PLUGINS = [
  definePlugin({
    name: "l2", package: PKG,
    description: "coupled L2 (ridge, eq. 9.5): adds λ·Σφ² to the loss",
    options: v.strictObject({ lambda: req(0, 1e6, "λ ≥ 0, weight of Σφ² (no hidden ½)"), mask: maskOption }),
    create: (o) => l2({ lambda: o.lambda, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "l1", package: PKG,
    description: "L1 (lasso): adds λ·Σ|φ| to the loss",
    options: v.strictObject({ lambda: req(0, 1e6, "λ ≥ 0, weight of Σ|φ|"), mask: maskOption }),
    create: (o) => l1({ lambda: o.lambda, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "l1Prox", package: PKG,
    description: "proximal L1: soft-thresholds the weights by α·λ after each step (exact zeros)",
    options: v.strictObject({
      lambda: req(0, 1e6, "λ ≥ 0 of λ·Σ|φ|"),
      learningRate: req(1e-12, 1e3, "the optimizer's learning rate α (threshold α·λ)"),
      mask: maskOption,
    }),
    create: (o) => l1Prox({ lambda: o.lambda, learningRate: o.learningRate, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "elasticNet", package: PKG,
    description: "elastic net: λ₁·Σ|φ| + λ₂·Σφ²",
    options: v.strictObject({ l1: req(0, 1e6, "λ₁ ≥ 0"), l2: req(0, 1e6, "λ₂ ≥ 0"), mask: maskOption }),
    create: (o) => elasticNet({ l1: o.l1, l2: o.l2, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "lp", package: PKG,
    description: "Lp penalty λ·Σ|φ|^P (problem 9.6; P < 1 is non-convex and sparsifying)",
    options: v.strictObject({ lambda: req(0, 1e6, "λ ≥ 0"), p: req(1e-3, 10, "exponent P > 0"), mask: maskOption }),
    create: (o) => lp({ lambda: o.lambda, p: o.p, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "groupLasso", package: PKG,
    description: "group lasso: λ·Σ_units ‖incoming weights‖₂ (prunes whole units)",
    options: v.strictObject({
      lambda: req(0, 1e6, "λ ≥ 0"),
      axis: optInt(0, 0, 1, "axis summed inside a group (0 = a unit's incoming weights)"),
      scaleBySize: optBool(false, "multiply each norm by √(group size)"),
      mask: maskOption,
    }),
    create: (o) => groupLasso({ lambda: o.lambda, axis: o.axis, scaleBySize: o.scaleBySize, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "l0Gates", package: PKG,
    description: "hard-concrete L0: λ·expected number of open gates (needs a model wrapped by withL0Gates; 0 otherwise)",
    options: v.strictObject({ lambda: req(0, 1e6, "λ ≥ 0") }),
    create: (o) => l0Gates({ lambda: o.lambda }),
  }),
  definePlugin({
    name: "spectralPenalty", package: PKG,
    description: "spectral-norm penalty λ·Σ_l σ_max(W_l)² (power iteration)",
    options: v.strictObject({
      lambda: req(0, 1e6, "λ ≥ 0"),
      iterations: optInt(1, 1, 100, "power-iteration steps per evaluation"),
      seed: optInt(0, 0, 2 ** 31 - 1, "seed of the start vectors"),
      mask: maskOption,
    }),
    create: (o) => spectralPenalty({ lambda: o.lambda, iterations: o.iterations, seed: o.seed, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "spectralNormalization", package: PKG,
    description: "constraint: projects every weight matrix to σ_max(W) ≤ c after each step",
    options: v.strictObject({
      maxNorm: opt(1, 1e-6, 1e6, "the bound c on σ_max(W)"),
      iterations: optInt(1, 1, 100, "power-iteration steps per projection"),
      seed: optInt(0, 0, 2 ** 31 - 1, "seed of the start vectors"),
      mask: maskOption,
    }),
    create: (o) => spectralNormalization({ maxNorm: o.maxNorm, iterations: o.iterations, seed: o.seed, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "maxNorm", package: PKG,
    description: "constraint: each unit's incoming-weight norm ≤ c after each step (used with dropout)",
    options: v.strictObject({ c: req(1e-6, 1e6, "the bound c"), axis: optInt(0, 0, 1, "axis of a unit's norm"), mask: maskOption }),
    create: (o) => maxNorm({ c: o.c, axis: o.axis, mask: maskOf(o.mask) }),
  }),
  definePlugin({
    name: "activity", package: PKG,
    description: "activity regularisation: λ·(1/N)·Σ|h|^P over hidden activations",
    options: v.strictObject({ lambda: req(0, 1e6, "λ ≥ 0"), p: v.optional(v.pipe(v.picklist([1, 2]), v.description("P: 1 sparse, 2 small")), 2) }),
    create: (o) => activityRegularization({ lambda: o.lambda, p: o.p }),
  }),
  definePlugin({
    name: "inputGradient", package: PKG,
    description: "input-gradient penalty λ·‖∂L/∂x‖² (double backprop) or λ·‖∂f/∂x‖²",
    options: v.strictObject({ lambda: req(0, 1e6, "λ ≥ 0"), of: optEnum(["loss", "output"], "loss", "gradient of the loss or of the outputs") }),
    create: (o) => inputGradient({ lambda: o.lambda, of: o.of }),
  }),
  definePlugin({
    name: "l2sp", package: PKG,
    description: "L2-SP: α·Σ(φ − φ⁰)² towards the weights the fit starts from (start it from pretrained weights)",
    options: v.strictObject({ alpha: opt(0.01, 0, 1e6, "α ≥ 0, weight of Σ(φ − φ⁰)² (no hidden ½)"), mask: maskOption }),
    create: (o) => l2sp({ alpha: o.alpha, pretrained: "initial", mask: maskOf(o.mask) }),
  }),
];
