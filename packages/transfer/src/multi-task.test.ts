import { describe, expect, it } from "vitest";
import { crossEntropy, mse, tensor } from "@regularize/core-autodiff";
import { TransferError } from "./errors.js";
import { multiTask } from "./multi-task.js";

const mt = multiTask({ tasks: [{ name: "digit", outputs: 3 }, { name: "recon", outputs: 2, targets: 2, loss: "mse", weight: 0.5 }] });
const pred = tensor([[1, 2, 3, 0.5, 0.5], [0, 1, 0, 1, 2], [2, 0, 0, -1, 1]]);

describe("multiTask", () => {
  it("lays out outputs and targets in task order", () => {
    expect(mt.outputs).toBe(5);
    expect(mt.targets).toBe(3);
    expect(mt.tasks.map((t) => [t.outputOffset, t.targetOffset])).toEqual([[0, 0], [3, 1]]);
  });

  it("takes each task's loss over its labelled rows only (NaN = unlabelled) and weights them", () => {
    const y = mt.labels(3, { digit: [2, NaN, 0], recon: [0, 0, NaN, NaN, 1, 1] });
    const [ld, lr] = mt.taskLosses(pred, { x: pred, y });
    const wantD = crossEntropy(tensor([[1, 2, 3], [2, 0, 0]]), tensor(Int32Array.of(2, 0), { dtype: "int32" })).item();
    const wantR = mse(tensor([[0.5, 0.5], [-1, 1]]), tensor([[0, 0], [1, 1]])).item();
    expect(ld!.item()).toBeCloseTo(wantD, 14);
    expect(lr!.item()).toBeCloseTo(wantR, 14);
    expect(mt.loss(pred, { x: pred, y }).item()).toBeCloseTo(wantD + 0.5 * wantR, 14);
  });

  it("gives 0 for a task without labelled rows and slices a task's outputs", () => {
    const y = mt.labels(3, { digit: [0, 1, 2] });
    expect(mt.taskLosses(pred, { x: pred, y })[1]!.item()).toBe(0);
    expect(mt.outputsOf(pred, "recon").shape).toEqual([3, 2]);
  });

  it("rejects bad specs, layouts and labels with a TransferError naming the argument", () => {
    expect(() => multiTask({ tasks: [] })).toThrow(TransferError);
    expect(() => multiTask({ tasks: [{ name: "a", outputs: 0 }] })).toThrow(/tasks\[0\].outputs/);
    expect(() => multiTask({ tasks: [{ name: "a", outputs: 2 }, { name: "a", outputs: 2 }] })).toThrow(/twice/);
    expect(() => multiTask({ tasks: [{ name: "a", outputs: 2, targets: 2 }] })).toThrow(/targets/);
    expect(() => mt.taskLosses(tensor([[1, 2]]), { x: pred, y: mt.labels(1, {}) })).toThrow(/pred/);
    expect(() => mt.taskLosses(pred, { x: pred, y: tensor(Int32Array.of(0, 1, 2), { dtype: "int32" }) })).toThrow(/batch.y/);
    expect(() => mt.labels(3, { digit: [1, 2] })).toThrow(/labels.digit/);
    expect(() => mt.labels(3, { nope: [1, 2, 3] })).toThrow(/"nope" is not a task/);
  });
});

describe("multiTask under fit's compiled steps", () => {
  it("gives the same run compiled (jit) and eager although each batch has other unlabelled rows", async () => {
    const { fit } = await import("@regularize/core-train");
    const { sgd } = await import("@regularize/optim");
    const { twoTaskProblem, bits } = await import("../test/helpers.js");
    const { mt: m2, model, data } = twoTaskProblem(24);
    const run = (compile: boolean) => fit({ model, data, loss: m2.loss, optimizer: sgd({ learningRate: 0.1 }), batchSize: 5, epochs: 3, seed: 4, compile });
    const [a, b] = [await run(true), await run(false)];
    expect(a.compiled).toBe(true);
    expect(bits(a.params)).toEqual(bits(b.params));
  });
});

describe("auxiliaryTask", () => {
  it("rejects a pretext whose width differs from its task's head, and an unknown task", async () => {
    const { auxiliaryTask } = await import("./auxiliary-task.js");
    const { shiftPrediction } = await import("./shift-prediction.js");
    expect(() => auxiliaryTask({ multiTask: mt, task: "digit", pretext: shiftPrediction({ length: 8 }) })).toThrow(/pretext has 8 outputs but task "digit" has 3/);
    expect(() => auxiliaryTask({ multiTask: mt, task: "nope", pretext: shiftPrediction({ length: 3 }) })).toThrow(/"nope" is not a task/);
  });
});
