import { describe, it } from "vitest";
import { type Tree, scalar } from "@regularize/core-autodiff";
import { type Model, mlp } from "@regularize/core-train";
import { type ConformanceProblem, pluginConformanceTests, tinyClassification, tinyRegression } from "@regularize/core-train/testing";
import { activityRegularization } from "./activity.js";
import { maxNorm, spectralNormalization } from "./constraints.js";
import { elasticNet } from "./elastic-net.js";
import { groupLasso } from "./group-lasso.js";
import { inputGradient } from "./input-gradient.js";
import { l0Gates, withL0Gates } from "./l0-gates.js";
import { l1 } from "./l1.js";
import { l1Prox } from "./l1-prox.js";
import { l2 } from "./l2.js";
import { l2sp } from "./l2-sp.js";
import { lp } from "./lp.js";
import { spectralPenalty } from "./spectral-norm.js";

// Every plugin of the package runs core-train's conformance suite on its factory.
const api = { describe, it };
const cls = tinyClassification();

/** The conformance classification problem with hard-concrete gates on both hidden layers. */
const gatedProblem: ConformanceProblem = {
  ...cls,
  name: "tiny classification with L0 gates",
  model: withL0Gates(mlp({ widths: [4, 8, 8, 3] }), { units: { hidden0: 8, hidden1: 8 } }) as Model<Tree>,
};

pluginConformanceTests("l2", () => l2({ lambda: 1e-2 }), api);
pluginConformanceTests("l2 with a centre on every tensor", () => l2({ lambda: 1e-2, center: { beta: scalar(0.5) }, mask: () => true }), api, { problems: [tinyRegression()] });
pluginConformanceTests("l1", () => l1({ lambda: 1e-2 }), api);
pluginConformanceTests("l1Prox", () => l1Prox({ lambda: 1e-2, learningRate: 0.05 }), api);
pluginConformanceTests("elasticNet", () => elasticNet({ l1: 1e-2, l2: 1e-2 }), api);
pluginConformanceTests("lp", () => lp({ lambda: 1e-2, p: 0.5 }), api);
pluginConformanceTests("groupLasso", () => groupLasso({ lambda: 1e-2 }), api);
pluginConformanceTests("l0Gates", () => l0Gates({ lambda: 1e-2 }), api, { problems: [gatedProblem, tinyRegression()] });
pluginConformanceTests("spectralPenalty", () => spectralPenalty({ lambda: 1e-2 }), api);
pluginConformanceTests("spectralNormalization", () => spectralNormalization({ maxNorm: 1 }), api);
pluginConformanceTests("maxNorm", () => maxNorm({ c: 1 }), api);
pluginConformanceTests("activityRegularization", () => activityRegularization({ lambda: 1e-2 }), api);
pluginConformanceTests("inputGradient", () => inputGradient({ lambda: 1e-2 }), api);
pluginConformanceTests("inputGradient (output)", () => inputGradient({ lambda: 1e-2, of: "output" }), api);
pluginConformanceTests("l2sp", () => l2sp({ alpha: 1e-2, beta: 1e-3, pretrained: {} }), api);
