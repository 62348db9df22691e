import { tensor } from "@regularize/core-autodiff";
import type { FactoryUnderTest } from "@regularize/core-train/testing";
import * as optim from "../src/index.js";

// Every plugin factory and every options-taking transform / schedule factory of the package, with
// options it accepts; the fuzz mutates each key in turn. A new function export must be listed here
// or in OTHER_FUNCTIONS.
const mask = (): boolean => true;
const metric = (): number => 0;
const validation = { x: tensor([[0]]), y: tensor([0]) };
// {} is a (record) mask tree: its structure can only be matched against the parameters, at the first update
const treeMask = (option: string): Record<string, string> => ({ [`${option}={}`]: "a record mask tree; matched against the parameters at the first update" });
// schedules are value-agnostic (one may drive any quantity); their consumer (e.g. learningRate) checks the range
const anyValue = (...options: string[]): Record<string, string> =>
  Object.fromEntries(options.map((o) => [`${o}=-1e300`, "a schedule's values are checked by its consumer (learningRate ≥ 0 at use)"]));
export const FACTORIES: Record<string, FactoryUnderTest> = {
  // plugins
  sam: { factory: optim.sam, valid: { rho: 0.05, adaptive: false, eta: 0.01, name: "sam" } },
  flooding: { factory: optim.flooding, valid: { level: 0.1, name: "flooding" } },
  entropySgd: { factory: optim.entropySgd, valid: { gamma: 0.03, innerSteps: 2, innerLr: 0.1, noise: 1e-4, alpha: 0.75, name: "entropySgd" } },
  modifiedLoss: { factory: optim.modifiedLoss, valid: { alpha: 0.1, name: "modifiedLoss" } },
  sharpnessMonitor: {
    factory: optim.sharpnessMonitor,
    valid: { every: 10, loss: "batch", eigenvalue: true, trace: false, iters: 5, samples: 3, name: "sharpness" },
  },
  decoupledWeightDecay: { factory: optim.decoupledWeightDecay, valid: { rate: 1e-3, mask, name: "weightDecay" } , accepts: treeMask("mask") },
  earlyStopping: {
    factory: optim.earlyStopping,
    valid: { every: 10, patience: 3, minDelta: 0, metric, mode: "min", validation, name: "earlyStopping" },
    accepts: { "patience=Infinity": "patience: Infinity is documented: never stop, only restore the best parameters" },
  },
  // transforms and optimizers
  sgd: { factory: optim.sgd, valid: { learningRate: 0.1, momentum: 0.9, nesterov: false, weightDecay: 1e-4, weightDecayMask: mask } , accepts: treeMask("weightDecayMask") },
  momentum: { factory: optim.momentum, valid: { learningRate: 0.1, beta: 0.9, nesterov: false, convention: "trace", weightDecay: 0, weightDecayMask: mask } , accepts: treeMask("weightDecayMask") },
  adam: { factory: optim.adam, valid: { learningRate: 0.1, b1: 0.9, b2: 0.999, eps: 1e-8, epsRoot: 0, weightDecay: 0, weightDecayMask: mask } , accepts: treeMask("weightDecayMask") },
  adamw: { factory: optim.adamw, valid: { learningRate: 0.1, b1: 0.9, b2: 0.999, eps: 1e-8, epsRoot: 0, weightDecay: 1e-2, weightDecayMask: mask } , accepts: treeMask("weightDecayMask") },
  rmsprop: { factory: optim.rmsprop, valid: { learningRate: 0.1, decay: 0.9, eps: 1e-8, centered: false, momentum: 0, weightDecay: 0, weightDecayMask: mask } , accepts: treeMask("weightDecayMask") },
  traceMomentum: { factory: optim.traceMomentum, valid: { beta: 0.9, nesterov: false } },
  emaMomentum: { factory: optim.emaMomentum, valid: { beta: 0.9, nesterov: false } },
  scaleByAdam: { factory: optim.scaleByAdam, valid: { b1: 0.9, b2: 0.999, eps: 1e-8, epsRoot: 0 } },
  scaleByRms: { factory: optim.scaleByRms, valid: { decay: 0.9, eps: 1e-8, epsInSqrt: true, centered: false, initialScale: 0 } },
  addDecayedWeights: { factory: optim.addDecayedWeights, valid: { weightDecay: 1e-4, mask } , accepts: treeMask("mask") },
  addL2Gradient: { factory: optim.addL2Gradient, valid: { lambda: 1e-4, mask } , accepts: treeMask("mask") },
  clip: { factory: optim.clip, valid: { maxDelta: 1 } },
  clipByGlobalNorm: { factory: optim.clipByGlobalNorm, valid: { maxNorm: 1, eps: 1e-6 } },
  // schedules
  stepSchedule: { factory: optim.stepSchedule, valid: { init: 0.1, stepSize: 10, gamma: 0.5 } , accepts: anyValue("init") },
  piecewiseConstantSchedule: { factory: optim.piecewiseConstantSchedule, valid: { boundaries: [10], values: [0.1, 0.01] } },
  exponentialDecaySchedule: {
    factory: optim.exponentialDecaySchedule,
    valid: { init: 0.1, decayRate: 0.5, transitionSteps: 10, staircase: false, transitionBegin: 0, endValue: 0.001 },
    accepts: anyValue("init", "endValue"),
  },
  cosineDecaySchedule: { factory: optim.cosineDecaySchedule, valid: { init: 0.1, decaySteps: 100, alpha: 0 } , accepts: anyValue("init") },
  warmRestartsSchedule: { factory: optim.warmRestartsSchedule, valid: { init: 0.1, period: 10, periodMult: 2, minValue: 0 } , accepts: anyValue("init", "minValue") },
  cyclicSchedule: { factory: optim.cyclicSchedule, valid: { baseValue: 0.01, maxValue: 0.1, stepSize: 10, mode: "triangular" } , accepts: anyValue("baseValue", "maxValue") },
  linearSchedule: { factory: optim.linearSchedule, valid: { init: 0.1, end: 0.01, transitionSteps: 10, transitionBegin: 0 } , accepts: anyValue("init", "end") },
  linearWarmup: { factory: optim.linearWarmup, valid: { warmupSteps: 10, init: 0, then: 0.1 } , accepts: anyValue("init", "then") },
};
export const OTHER_FUNCTIONS = [
  "countTensor", "countValue", "defaultMask", "resolveMask", "identity", "chain", "scale", "scaleByLearningRate", "masked", "applyUpdates",
  "constantSchedule", "joinSchedules", "modifiedLossGD", "modifiedLossSGD", "implicitGdTerm", "implicitSgdTerm", "expectedSgdTerm",
  "gradientFlow", "hessianTopEigenvalue", "hessianTopEigenpair", "hessianTrace", "hessianTraceEstimate", "samObjective", "floodedLoss",
  "entropySgdObjective",
];
