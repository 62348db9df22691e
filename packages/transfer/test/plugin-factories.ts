import { tensor } from "@regularize/core-autodiff";
import type { FactoryUnderTest } from "@regularize/core-train/testing";
import * as transfer from "../src/index.js";

// Every plugin factory and options-taking pretext / task factory of the package, with options it
// accepts; the fuzz mutates each key in turn. A new function export must be listed here or in
// OTHER_FUNCTIONS.
const multiTask = transfer.multiTask({ tasks: [{ name: "digit", outputs: 3 }, { name: "aux", outputs: 2, weight: 0.5 }] });
const pretext = transfer.shiftPrediction({ length: 8, classes: 2 });
const view = (x: ReturnType<typeof tensor>): ReturnType<typeof tensor> => x;
export const FACTORIES: Record<string, FactoryUnderTest> = {
  pcgrad: { factory: transfer.pcgrad, valid: { multiTask, name: "pcgrad" } },
  uncertaintyWeighting: { factory: transfer.uncertaintyWeighting, valid: { multiTask, learningRate: 0.01, init: 0, name: "uw" } },
  gradNorm: {
    factory: transfer.gradNorm, valid: { multiTask, shared: transfer.under("trunk"), alpha: 1.5, learningRate: 0.025, name: "gradNorm" },
    accepts: { "shared={}": "a record mask tree; matched against the parameters at the first step" },
  },
  auxiliaryTask: {
    factory: transfer.auxiliaryTask,
    valid: { multiTask, task: "aux", pretext, pool: tensor([[1, 2, 3, 4, 5, 6, 7, 8]]), batchSize: 1, name: "aux" },
  },
  pretextTask: { factory: (o: never) => transfer.pretextTask(pretext, o), valid: { name: "pretext" } },
  shiftPrediction: { factory: transfer.shiftPrediction, valid: { length: 8, classes: 4 } },
  maskedReconstruction: { factory: transfer.maskedReconstruction, valid: { length: 8, fraction: 0.25, fill: 0 } },
  contrastive: { factory: transfer.contrastive, valid: { view, outputs: 4, temperature: 0.5, length: 8 } },
  transformPrediction: { factory: transfer.transformPrediction, valid: { length: 8, transforms: transfer.FLIPS } },
  multiTask: { factory: transfer.multiTask, valid: { tasks: [{ name: "digit", outputs: 3 }] } },
};
export const OTHER_FUNCTIONS = [
  "withHead", "replaceHead", "multiHead", "paramGroups", "freeze", "under", "detach", "linearSurrogate", "replaceDataLoss", "taskGradients",
  "taskLossesAt", "weightedSum", "projectConflicting", "pcgradCombine", "uncertaintyWeightedLoss", "uncertaintyLogVarGradient", "gradNormStep", "checkSignals",
  "rollRows", "maskedMseLoss", "ntXent", "augmentationView", "isAugmentation",
];
