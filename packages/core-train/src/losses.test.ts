import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { FitOptionsError } from "./errors.js";
import { crossEntropyLoss, crossEntropySumLoss, losses, mseLoss, resolveLoss, sseLoss } from "./losses.js";

const pred = tensor([1, 2, 4]);
const batch = { x: tensor([0, 0, 0]), y: tensor([0, 2, 2]) };

describe("losses", () => {
  it("sse sums the squared errors (the book's figure 9.6 loss) and mse averages them", () => {
    expect(sseLoss(pred, batch).item()).toBe(1 + 0 + 4);
    expect(mseLoss(pred, batch).item()).toBeCloseTo(5 / 3, 15);
  });

  it("crossEntropy is the batch mean of −log softmax (PyTorch default), crossEntropySum the sum", () => {
    const logits = tensor([[2, 0], [0, 1]]);
    const b = { x: logits, y: tensor([0, 0], { dtype: "int32" }) };
    const l0 = Math.log(1 + Math.exp(-2)), l1 = Math.log(1 + Math.exp(1));
    expect(crossEntropyLoss(logits, b).item()).toBeCloseTo((l0 + l1) / 2, 14);
    expect(crossEntropySumLoss(logits, b).item()).toBeCloseTo(l0 + l1, 14);
    const soft = { x: logits, y: tensor([[1, 0], [1, 0]]) };
    expect(crossEntropyLoss(logits, soft).item()).toBeCloseTo((l0 + l1) / 2, 14);
  });

  it("resolves names and rejects unknown ones with a FitOptionsError naming the option", () => {
    expect(resolveLoss("sse")).toBe(losses.sse);
    expect(resolveLoss(mseLoss)).toBe(mseLoss);
    expect(() => resolveLoss("l1" as never)).toThrow(FitOptionsError);
    expect(() => resolveLoss("toString" as never)).toThrow(/unknown loss/);
  });
});
