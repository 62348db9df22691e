import { describe, expect, it } from "vitest";
import { tensor } from "@regularize/core-autodiff";
import { TransferError } from "./errors.js";
import { gradNormStep } from "./grad-norm.js";
import { maskedMseLoss } from "./masked-reconstruction.js";
import { checkSignals } from "./pretext.js";
import { rollRows } from "./shift-prediction.js";
import { replaceDataLoss, taskGradients, taskLossesAt, weightedSum } from "./task-objective.js";
import { uncertaintyLogVarGradient, uncertaintyWeightedLoss } from "./uncertainty-weighting.js";

/** The TransferError `f` throws, or a failure naming what it threw instead. */
function caught(f: () => unknown): TransferError {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(TransferError);
    return e as TransferError;
  }
  throw new Error("did not throw");
}

const call = (f: (...a: unknown[]) => unknown, ...a: unknown[]) => () => f(...a);

describe("argument guards of the exported helpers", () => {
  it.each([
    ["taskLossesAt", call(taskLossesAt as never), "mt"],
    ["taskGradients", call(taskGradients as never, { tasks: [], weights: [], taskLosses: () => [] }, undefined), "ctx"],
    ["weightedSum", call(weightedSum as never), "losses"],
    ["weightedSum", call(weightedSum as never, [tensor(1)], [1, 2]), "w"],
    ["replaceDataLoss", call(replaceDataLoss as never, { tasks: [], weights: [], taskLosses: () => [] }, null), "inner"],
    ["uncertaintyWeightedLoss", call(uncertaintyWeightedLoss as never, [tensor(1)]), "logVars"],
    ["uncertaintyLogVarGradient", call(uncertaintyLogVarGradient as never, [1], ["a"]), "logVars[0]"],
    ["gradNormStep", call(gradNormStep as never, [1, 1], [1]), "gradNorms"],
    ["rollRows", call(rollRows as never, tensor([[1, 2], [3, 4]])), "shifts"],
    ["maskedMseLoss", call(maskedMseLoss as never, NaN), "length"],
    // 2**40 was accepted, though no tensor can hold a row of it (process probe, seed 1618)
    ["maskedMseLoss", call(maskedMseLoss as never, 2 ** 40), "length"],
    // a null-prototype object made the message's String() throw a TypeError (fuzz, seed 4242)
    ["maskedMseLoss", call(maskedMseLoss as never, Object.create(null)), "length"],
    ["maskedMseLoss", call(maskedMseLoss(2) as never, tensor([[1, 2]])), "batch"],
  ])("%s names itself and the argument (%s)", (fn, f, argument) => {
    const e = caught(f);
    expect([e.fn, e.argument]).toEqual([fn, argument]);
    expect(e.message).toContain(fn);
  });

  it("a Symbol as a name is formatted, not a TypeError of the error itself", () => {
    const e = caught(() => checkSignals(Symbol("s") as never, "x", {}));
    expect(e.fn).toBe("Symbol(s)");
    // a null-prototype object has no toString: String() threw "Cannot convert object to primitive value" (fuzz, seed 31337)
    const n = caught(() => checkSignals(Object.create(null) as never, "x", 0));
    expect(n).toBeInstanceOf(TransferError);
    expect(n.message).toMatch(/^an object: x must be a Tensor/);
  });

  it("taskLossesAt takes ctx.batch when no batch is given, and checks it", () => {
    const mt = { tasks: [{}], weights: [1], taskLosses: (pred: unknown) => [pred] };
    const ctx = { batch: { x: tensor([[1, 2]]), y: tensor([[0]]) }, forward: (_p: unknown, x: unknown) => x };
    expect(taskLossesAt(mt as never, ctx as never, {} as never)[0]?.shape).toEqual([1, 2]);
    expect(caught(() => taskLossesAt(mt as never, { forward: ctx.forward } as never, {} as never)).argument).toBe("ctx.batch");
  });
});
