import { describe, expect, it } from "vitest";
import { tensor } from "@regularize/core-autodiff";
import { gaborLoss, runGaborDemo } from "./gabor.ts";

describe("gabor demo", () => {
  it("reproduces the notebook's loss values (CHAPTER9 §1.3)", () => {
    const L = gaborLoss();
    expect(L(tensor([0.6, -0.2])).item()).toBeCloseTo(16.419, 3);
    expect(L(tensor([2.6, 8.5])).item()).toBeCloseTo(18.5032, 4);
  });

  it("ends where notebook 9.1's 41 GD steps end, with and without the λ = 0.2 regularizer", () => {
    const plain = runGaborDemo({ start: [2.6, 8.5], learningRate: 0.1, steps: 41, lambda: 0 }).at(-1)!;
    expect(plain.phi0).toBeCloseTo(6.05, 1);
    expect(plain.phi1).toBeCloseTo(12.84, 1);
    expect(plain.loss).toBeCloseTo(5.64, 1);
    const reg = runGaborDemo({ start: [2.6, 8.5], learningRate: 0.1, steps: 41, lambda: 0.2 }).at(-1)!;
    expect(reg.phi0).toBeCloseTo(0.1, 1);
    expect(reg.phi1).toBeCloseTo(13.48, 1);
  });
});
