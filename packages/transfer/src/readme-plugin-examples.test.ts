import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import type { Tree } from "@regularize/core-autodiff";
import { type Dataset, type Model, linear, mlp } from "@regularize/core-train";
import { type ConformanceProblem, pluginFactoryNames, readmeExampleTests, tinyClassification } from "@regularize/core-train/testing";
import { FACTORIES } from "../test/plugin-factories.js";
import * as transfer from "./index.js";

// The README's "one example per plugin" table, each example run as written through fit(): the
// multi-task plugins on a two-head model (`mt` in the examples), the pretext plugin on a shift task.
const cls = tinyClassification();
const mt = transfer.multiTask({ tasks: [{ name: "digit", outputs: 3 }, { name: "aux", outputs: 2 }] });
const heads = transfer.multiHead(mlp({ widths: [4, 8] }), { digit: linear({ inputs: 8, outputs: 3 }), aux: linear({ inputs: 8, outputs: 2 }) }, { activation: "relu" });
const labelled = (d: Dataset): Dataset => ({ x: d.x, y: mt.labels(d.x.shape[0] ?? 0, { digit: d.y }) });
const multi: ConformanceProblem = {
  name: "two-head multi-task", model: heads as Model<Tree>, data: labelled(cls.data), validation: labelled(cls.validation), loss: mt.loss, batchSize: cls.batchSize,
};
const shift: ConformanceProblem = { ...cls, name: "shift prediction", model: mlp({ widths: [4, 8, 4] }) as Model<Tree>, loss: "crossEntropy" };
readmeExampleTests(readFileSync(new URL("../README.md", import.meta.url), "utf8"), { ...transfer, mt }, pluginFactoryNames(FACTORIES), { describe, it }, {
  defaultProblems: [multi],
  problems: { pretextTask: [shift] },
});
