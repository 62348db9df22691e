import * as v from "valibot";
import { decoupledWeightDecay, earlyStopping, entropySgd, flooding, modifiedLoss, sam, sharpnessMonitor } from "@regularize/optim";
import { definePlugin } from "./catalog.js";
import { maskOption, opt, optBool, optEnum, optInt, req } from "./options.js";

const PKG = "@regularize/optim";

/** Every user-facing plugin of @regularize/optim, by name. */
export const OPTIM_PLUGINS = [
  definePlugin({
    name: "weightDecay", package: PKG,
    description: "decoupled weight decay (eq. 9.13): φ ← (1 − λ')φ after every step, independent of α",
    options: v.strictObject({ rate: req(0, 0.5, "λ' in [0, 0.5]"), mask: maskOption }),
    create: (o) => decoupledWeightDecay({ rate: o.rate, mask: o.mask === "all" ? () => true : "weights" }),
  }),
  definePlugin({
    name: "earlyStopping", package: PKG,
    description: "early stopping: watches the validation metric and restores the best parameters (needs a validation set)",
    options: v.strictObject({
      every: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e9), v.description("validate every T steps (default: every epoch)"))),
      patience: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1e9), v.description("evaluations without improvement before stopping (default: never stop early, restore at the end)"))),
      minDelta: opt(0, 0, 1e6, "an improvement must beat the best by more than this"),
      metric: optEnum(["valLoss", "valAccuracy"], "valLoss", "what to monitor"),
    }),
    create: (o) => earlyStopping({
      metric: o.metric, minDelta: o.minDelta,
      ...(o.every !== undefined ? { every: o.every } : {}), ...(o.patience !== undefined ? { patience: o.patience } : {}),
    }),
  }),
  definePlugin({
    name: "modifiedLoss", package: PKG,
    description: "explicit implicit regulariser: adds (α/4)‖∇L‖² to the loss (eq. 9.8, double backprop)",
    options: v.strictObject({ alpha: req(0, 1e3, "α ≥ 0 (usually the learning rate)") }),
    create: (o) => modifiedLoss({ alpha: o.alpha }),
  }),
  definePlugin({
    name: "sam", package: PKG,
    description: "sharpness-aware minimisation: the gradient at the worst point of a ρ-ball (flat minima)",
    options: v.strictObject({
      rho: opt(0.05, 0, 100, "radius ρ of the neighbourhood"),
      adaptive: optBool(false, "adaptive SAM (radius relative to |φ|)"),
      eta: opt(0.01, 0, 100, "η of adaptive SAM's |φ| + η"),
    }),
    create: (o) => sam({ rho: o.rho, adaptive: o.adaptive, eta: o.eta }),
  }),
  definePlugin({
    name: "flooding", package: PKG,
    description: "flooding: keeps the training loss near level b (ascends when below it)",
    options: v.strictObject({ level: req(0, 1e6, "flood level b ≥ 0, on the fit loss's scale") }),
    create: (o) => flooding({ level: o.level }),
  }),
  definePlugin({
    name: "entropySgd", package: PKG,
    description: "Entropy-SGD: descends the local entropy estimated by inner SGLD steps (flat minima)",
    options: v.strictObject({
      gamma: opt(0.03, 0, 1e3, "coupling γ"),
      innerSteps: optInt(20, 1, 1000, "inner SGLD steps L"),
      innerLr: opt(0.1, 1e-9, 10, "inner step size η'"),
      noise: opt(1e-4, 0, 10, "thermal noise ε"),
      alpha: opt(0.75, 0, 1, "weight α of the running mean"),
    }),
    create: (o) => entropySgd({ gamma: o.gamma, innerSteps: o.innerSteps, innerLr: o.innerLr, noise: o.noise, alpha: o.alpha }),
  }),
  definePlugin({
    name: "sharpnessMonitor", package: PKG,
    description: "logs the top Hessian eigenvalue and trace estimate every T steps (a monitor, not a regulariser)",
    options: v.strictObject({
      every: req(1, 1e9, "measure after every T-th step"),
      eigenvalue: optBool(true, "log the top Hessian eigenvalue"),
      trace: optBool(true, "log Hutchinson's trace estimate"),
      iters: optInt(20, 1, 1000, "power iterations"),
      samples: optInt(10, 1, 1000, "Hutchinson probes"),
    }),
    create: (o) => sharpnessMonitor({ every: Math.round(o.every), eigenvalue: o.eigenvalue, trace: o.trace, iters: o.iters, samples: o.samples }),
  }),
];
