import { describe, expect, it } from "vitest";
import { normal, prngKey, tensor } from "@regularize/core-autodiff";
import { fit, linear, mlp } from "@regularize/core-train";
import { sgd } from "@regularize/optim";
import { multiHead, multiTask } from "@regularize/transfer";
import { ExperimentParamsError } from "../errors.js";
import { createPlugin, listPlugins } from "./lookup.js";

const tasks = "digit:10,aux:4:0.5";

describe("transfer plugin specs", () => {
  it("are listed under their packages", () => {
    const names = listPlugins().filter((p) => p.package === "@regularize/transfer").map((p) => p.name).sort();
    expect(names).toEqual(["gradNorm", "pcgrad", "pretextTask", "uncertaintyWeighting"]);
    expect(listPlugins().find((p) => p.name === "l2sp")?.package).toBe("@regularize/penalties");
  });

  it("create plugins from validated options", () => {
    expect(createPlugin("l2sp", { alpha: 0.1 }).name).toBe("l2sp");
    expect(createPlugin("pcgrad", { tasks }).objective).toBeTypeOf("function");
    expect(createPlugin("uncertaintyWeighting", { tasks, learningRate: 0.05 }).stepState?.init).toBeTypeOf("function");
    expect(createPlugin("gradNorm", { tasks, shared: "trunk.layers[1]" }).name).toBe("gradNorm");
    expect(createPlugin("pretextTask", { task: "transform", length: 40 }).name).toBe("pretext:transform");
  });

  it("reject bad options with an error naming the plugin", () => {
    expect(() => createPlugin("l2sp", { alpha: -1 })).toThrow(ExperimentParamsError);
    expect(() => createPlugin("pcgrad", { tasks: "" })).toThrow(/pcgrad/);
    expect(() => createPlugin("pcgrad", { tasks: "a:2", bogus: 1 })).toThrow(ExperimentParamsError);
    expect(() => createPlugin("pcgrad", { tasks: "a:two" })).toThrow(/name:outputs/);
    expect(() => createPlugin("pretextTask", { task: "nope" })).toThrow(/pretextTask/);
  });
});

describe("transfer plugin specs in fit", () => {
  const mt = multiTask({ tasks: [{ name: "digit", outputs: 10 }, { name: "aux", outputs: 4, weight: 0.5 }] });
  const model = multiHead(mlp({ widths: [6, 8] }), { digit: linear({ inputs: 8, outputs: 10 }), aux: linear({ inputs: 8, outputs: 4 }) }, { activation: "relu" });
  const x = normal(prngKey(1), [12, 6]);
  const y = mt.labels(12, { digit: Array.from({ length: 12 }, (_, i) => i % 10), aux: Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? NaN : i % 4)) });
  for (const [name, options] of [["pcgrad", { tasks }], ["uncertaintyWeighting", { tasks }], ["gradNorm", { tasks, shared: "trunk" }]] as const) {
    it(`${name}: creates from its options and trains 4 finite steps on a two-task problem`, async () => {
      const r = await fit({ model, data: { x, y }, loss: mt.loss, optimizer: sgd({ learningRate: 0.1 }), batchSize: 6, steps: 4, seed: 1, plugins: [createPlugin(name, options)] });
      expect(r.history.steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    });
  }
  for (const task of ["shift", "transform", "masked"] as const) {
    it(`pretextTask(${task}) trains 4 finite steps on unlabelled signals`, async () => {
      const outputs = task === "transform" ? 4 : 6;
      const plugin = createPlugin("pretextTask", { task, length: 6 });
      const loss = (await import("@regularize/transfer"))[task === "shift" ? "shiftPrediction" : task === "transform" ? "transformPrediction" : "maskedReconstruction"]({ length: 6 }).loss;
      const r = await fit({ model: mlp({ widths: [6, 8, outputs] }), data: { x, y: tensor(new Int32Array(12), { dtype: "int32" }) }, loss, optimizer: sgd({ learningRate: 0.1 }), batchSize: 6, steps: 4, seed: 1, plugins: [plugin] });
      expect(r.history.steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    });
  }
});
