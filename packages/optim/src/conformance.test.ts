import { describe, it } from "vitest";
import { pluginConformanceTests } from "@regularize/core-train/testing";
import { decoupledWeightDecay } from "./weight-decay-plugin.js";
import { earlyStopping } from "./early-stopping.js";
import { entropySgd } from "./entropy-sgd.js";
import { flooding } from "./flooding.js";
import { modifiedLoss } from "./modified-loss-plugin.js";
import { sam } from "./sam.js";
import { sharpnessMonitor } from "./sharpness-monitor.js";

// Every plugin of the package runs core-train's conformance suite on its factory (purity, determinism,
// state round trip, a real run interrupted mid-way and resumed bit for bit, …).
const api = { describe, it };

pluginConformanceTests("decoupledWeightDecay", () => decoupledWeightDecay({ rate: 1e-2 }), api);
pluginConformanceTests("earlyStopping (every epoch, restores)", () => earlyStopping({ patience: 2 }), api);
pluginConformanceTests("earlyStopping (every 2 steps)", () => earlyStopping({ every: 2, patience: 1, minDelta: 1e-6 }), api);
pluginConformanceTests("entropySgd", () => entropySgd({ gamma: 0.1, innerSteps: 2, innerLr: 0.05, noise: 1e-3 }), api);
pluginConformanceTests("flooding", () => flooding({ level: 0.05 }), api);
pluginConformanceTests("modifiedLoss", () => modifiedLoss({ alpha: 0.05 }), api);
pluginConformanceTests("sam", () => sam({ rho: 0.05 }), api);
pluginConformanceTests("sam (adaptive)", () => sam({ rho: 0.05, adaptive: true }), api);
pluginConformanceTests("sharpnessMonitor", () => sharpnessMonitor({ every: 2, iters: 5 }), api);
