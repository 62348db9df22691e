import { describe, it } from "vitest";
import { pluginConformanceTests, tinyClassification } from "@regularize/core-train/testing";
import { adversarialTraining } from "./adversarial.js";
import { disturbLabel } from "./disturb-label.js";
import { dropConnect } from "./drop-connect.js";
import { dropout } from "./dropout.js";
import { gradientNoise } from "./gradient-noise.js";
import { inputNoise } from "./input-noise.js";
import { labelSmoothing } from "./label-smoothing.js";
import { betaDropout, gaussianDropout, uniformDropout } from "./multiplicative-noise.js";
import { weightNoise } from "./weight-noise.js";

// Every plugin of the package runs core-train's conformance suite on its factory.
const api = { describe, it };
// label plugins need class labels: the regression problem has none
const classificationOnly = { problems: [tinyClassification()] };

pluginConformanceTests("dropout (inverted)", () => dropout({ rate: 0.5 }), api);
pluginConformanceTests("dropout (weight-scaling, fixed-count)", () => dropout({ rate: 0.25, inference: "weight-scaling", sampling: "fixed-count", sharedMask: true }), api);
pluginConformanceTests("gaussianDropout", () => gaussianDropout({ rate: 0.3 }), api);
pluginConformanceTests("uniformDropout", () => uniformDropout({ rate: 0.3 }), api);
pluginConformanceTests("betaDropout", () => betaDropout({ rate: 0.3 }), api);
pluginConformanceTests("dropConnect", () => dropConnect({ rate: 0.3 }), api);
pluginConformanceTests("inputNoise", () => inputNoise({ sigma: 0.1 }), api);
pluginConformanceTests("weightNoise", () => weightNoise({ sigma: 0.05 }), api);
pluginConformanceTests("labelSmoothing", () => labelSmoothing({ rho: 0.1, classes: 3 }), api, classificationOnly);
pluginConformanceTests("disturbLabel", () => disturbLabel({ alpha: 0.2, classes: 3 }), api, classificationOnly);
pluginConformanceTests("gradientNoise", () => gradientNoise({ eta: 0.01 }), api);
pluginConformanceTests("adversarialTraining (FGSM)", () => adversarialTraining({ epsilon: 0.05 }), api);
pluginConformanceTests("adversarialTraining (PGD)", () => adversarialTraining({ epsilon: 0.05, steps: 3, randomStart: true }), api);
