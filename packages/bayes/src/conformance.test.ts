import { describe, it } from "vitest";
import { pluginConformanceTests } from "@regularize/core-train/testing";
import { gaussianPrior } from "./log-posterior.js";
import { posteriorSamples, sgMcmcNoise } from "./sg-mcmc.js";
import { swag } from "./swag.js";
import { bayesByBackprop } from "./variational.js";

// The package's plugins that act on any model run core-train's conformance suite (purity,
// determinism, state round trip, an interrupted run resumed bit for bit, …). bayesByBackprop over a
// meanField-wrapped model needs a model the suite's fixed problems do not have (variational.test.ts);
// with plugin-owned scales it acts on any model and runs the suite.
const api = { describe, it };

pluginConformanceTests("gaussianPrior", () => gaussianPrior({ variance: 1, dataSize: 12 }), api);
pluginConformanceTests("posteriorSamples", () => posteriorSamples({ burnIn: 2, thinning: 2 }), api);
pluginConformanceTests("sgMcmcNoise (SGLD)", () => sgMcmcNoise({ learningRate: 0.1, dataSize: 12, burnIn: 2, thinning: 2 }), api);
pluginConformanceTests("sgMcmcNoise (SGHMC, T = 0.5)", () => sgMcmcNoise({ learningRate: 0.1, dataSize: 12, friction: 0.2, temperature: 0.5 }), api);
pluginConformanceTests("swag (per epoch)", () => swag({ startEpoch: 0, rank: 3 }), api);
pluginConformanceTests("swag (every 2 steps)", () => swag({ startEpoch: 0, everySteps: 2, rank: 3 }), api);
pluginConformanceTests("sgMcmcNoise (SGLD, Rademacher noise)", () => sgMcmcNoise({ learningRate: 0.1, dataSize: 12, noise: "rademacher" }), api);
pluginConformanceTests("bayesByBackprop (plugin-owned scales)", () => bayesByBackprop({ dataSize: 12, scales: { initStd: 0.01 } }), api);
