import { describe, it } from "vitest";
import { type Tree, normal, prngKey, tensor } from "@regularize/core-autodiff";
import { type Model, mlp } from "@regularize/core-train";
import { type ConformanceProblem, pluginConformanceTests } from "@regularize/core-train/testing";
import { twoTaskProblem } from "../test/helpers.js";
import { auxiliaryTask } from "./auxiliary-task.js";
import { gradNorm } from "./grad-norm.js";
import { maskedReconstruction } from "./masked-reconstruction.js";
import { under } from "./param-groups.js";
import { pcgrad } from "./pcgrad.js";
import { pretextTask } from "./pretext.js";
import { shiftPrediction } from "./shift-prediction.js";
import { uncertaintyWeighting } from "./uncertainty-weighting.js";
import { multiHead } from "./with-head.js";
import { linear } from "@regularize/core-train";
import { multiTask } from "./multi-task.js";

// Every plugin of the package runs core-train's conformance suite, on problems of its own kind.
const api = { describe, it };
const { mt, problem } = twoTaskProblem(24);
const opts = { problems: [problem] };

pluginConformanceTests("pcgrad", () => pcgrad({ multiTask: mt }), api, opts);
pluginConformanceTests("uncertaintyWeighting", () => uncertaintyWeighting({ multiTask: mt }), api, opts);
pluginConformanceTests("gradNorm", () => gradNorm({ multiTask: mt, shared: under("trunk.layers[0].w") }), api, opts);

const signals = { x: normal(prngKey(1), [16, 6]), y: tensor(new Int32Array(16), { dtype: "int32" }) };
const shift = shiftPrediction({ length: 6 });
const shiftProblem: ConformanceProblem = {
  name: "shift prediction (mlp 6-8-6)", model: mlp({ widths: [6, 8, 6] }) as Model<Tree>, data: signals,
  validation: { x: normal(prngKey(2), [8, 6]), y: tensor(new Int32Array(8), { dtype: "int32" }) }, loss: shift.loss, batchSize: 4,
};
pluginConformanceTests("pretextTask(shift)", () => pretextTask(shift), api, { problems: [shiftProblem] });
const masked = maskedReconstruction({ length: 6 });
// validation has no pretext batch: its y holds target|mask directly. The training set's labels are
// placeholders the pretext replaces; fit checks that they have the validation labels' row shape.
const maskedValidation = masked.make(normal(prngKey(2), [8, 6]), prngKey(3));
const maskedProblem: ConformanceProblem = {
  ...shiftProblem, name: "masked reconstruction (mlp 6-8-6)", loss: masked.loss,
  data: { x: signals.x, y: tensor(new Float64Array(16 * maskedValidation.y.shape[1]!), { shape: [16, maskedValidation.y.shape[1]!] }) },
  validation: maskedValidation,
};
pluginConformanceTests("pretextTask(masked)", () => pretextTask(masked), api, { problems: [maskedProblem] });

// multi-task with an auxiliary shift task drawn from an unlabelled pool
const mt2 = multiTask({ tasks: [{ name: "cls", outputs: 3 }, { name: "shift", outputs: 4 }] });
const auxProblem: ConformanceProblem = {
  name: "digit + auxiliary shift (multiHead mlp 4-8 → 3 + 4)",
  model: multiHead(mlp({ widths: [4, 8] }), { cls: linear({ inputs: 8, outputs: 3 }), shift: linear({ inputs: 8, outputs: 4 }) }, { activation: "relu" }) as Model<Tree>,
  data: { x: problem.data.x, y: mt2.labels(24, { cls: Array.from({ length: 24 }, (_, i) => i % 3) }) },
  validation: { x: problem.validation.x, y: mt2.labels(12, { cls: Array.from({ length: 12 }, (_, i) => i % 3) }) },
  loss: mt2.loss, batchSize: 8,
};
pluginConformanceTests("auxiliaryTask", () => auxiliaryTask({ multiTask: mt2, task: "shift", pretext: shiftPrediction({ length: 4 }), pool: normal(prngKey(5), [30, 4]), batchSize: 6 }), api, { problems: [auxProblem] });
