// Edge cases the property tests avoid on purpose: ties, kinks, ±∞, −0, empty tensors, int32.
import { describe, expect, it } from "vitest";
import {
  type Tensor, abs, argmax, argmin, clip, eq, floor, ge, grad, gt, hvp, isFinite, le, logSoftmax, logsumexp, lt, max, maximum, maxPool1d,
  min, minimum, ne, oneHot, relu, sign, softmax, sum, tensor, where, zeros, matmul, mean, take, crossEntropy, log, mul,
} from "../index.js";
import "../../test/matchers.js";

const exact = { rtol: 0, atol: 0 } as const;
const d = (f: (x: Tensor) => Tensor) => grad((x: Tensor) => sum(f(x)));

describe("ties and kinks", () => {
  it("max/min share the gradient equally between tied maxima (as PyTorch's amax)", () => {
    expect(d((x) => max(x))(tensor([1, 3, 3, 2]))).toBeAllclose([0, 0.5, 0.5, 0], exact);
    expect(d((x) => max(x, { axis: 1 }))(tensor([[1, 3, 3], [2, 2, 2]]))).toBeAllclose([[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], exact);
    expect(d((x) => min(x, { axis: 0, keepdims: true }))(tensor([[1, 0], [1, 4]]))).toBeAllclose([[0.5, 1], [0.5, 0]], exact);
  });

  it("maximum/minimum send a tie's gradient to the first operand", () => {
    const b = tensor([1, 5]);
    expect(d((x) => maximum(x, b))(tensor([1, 2]))).toBeAllclose([1, 0], exact);
    expect(d((x) => minimum(x, b))(tensor([1, 7]))).toBeAllclose([1, 0], exact);
    expect(grad((y: Tensor) => sum(maximum(tensor([1, 2]), y)))(b)).toBeAllclose([0, 1], exact);
  });

  it("relu, abs and clip use the subgradient conventions 0, 0 and pass-through at the bounds", () => {
    expect(d(relu)(tensor([0, -0, 1e-300]))).toBeAllclose([0, 0, 1], exact);
    expect(d(abs)(tensor([0, -2, 3]))).toBeAllclose([0, -1, 1], exact);
    expect(d((x) => clip(x, 0, 1))(tensor([-0.1, 0, 0.5, 1, 1.1]))).toBeAllclose([0, 1, 1, 1, 0], exact);
  });

  it("maxPool1d sends each window's gradient to its maximum, summing over overlapping windows", () => {
    const x = tensor([[[1, 5, 2, 4]]]);
    // windows (stride 1, kernel 2, padding 1): [−∞,1] [1,5] [5,2] [2,4] [4,−∞] → maxima 1 5 5 4 4
    expect(maxPool1d(x, { kernel: 2, stride: 1, padding: 1 })).toBeAllclose([[[1, 5, 5, 4, 4]]], exact);
    expect(d((t) => maxPool1d(t, { kernel: 2, stride: 1, padding: 1 }))(x)).toBeAllclose([[[1, 2, 0, 2]]], exact);
    // all-negative inputs: the −∞ padding never wins
    expect(maxPool1d(tensor([[[-3, -1]]]), { kernel: 2, stride: 1, padding: 1 })).toBeAllclose([[[-3, -1, -1]]], exact);
  });
});

describe("infinities", () => {
  it("logsumexp ignores −∞ entries and keeps their gradient at 0 (first and second order)", () => {
    const x = tensor([[-Infinity, 0, Math.log(3)], [-Infinity, -Infinity, 2]]);
    expect(logsumexp(x, { axis: 1 })).toBeAllclose([Math.log(4), 2], { rtol: 1e-15, atol: 0 });
    expect(d((t) => logsumexp(t, { axis: 1 }))(x)).toBeAllclose([[0, 0.25, 0.75], [0, 0, 1]], { rtol: 1e-15, atol: 1e-16 });
    // H·v of logsumexp = p⊙v − p(pᵀv) per row, with p = softmax
    const v = tensor([[5, 1, -1], [7, 0, 2]]);
    const ptv = 0.25 * 1 + 0.75 * -1;
    expect(hvp((t: Tensor) => sum(logsumexp(t, { axis: 1 })), x, v)).toBeAllclose(
      [[0, 0.25 * 1 - 0.25 * ptv, 0.75 * -1 - 0.75 * ptv], [0, 0, 0]], { rtol: 1e-14, atol: 1e-15 },
    );
  });

  it("logsumexp of an all −∞ row is −∞, and +∞ dominates", () => {
    expect(logsumexp(tensor([-Infinity, -Infinity])).item()).toBe(-Infinity);
    expect(logsumexp(tensor([Infinity, 1])).item()).toBe(Infinity);
  });

  it("softmax/logSoftmax give −∞ entries probability 0 (masking) with finite gradients elsewhere", () => {
    const x = tensor([[-Infinity, 0, Math.log(3)]]);
    expect(softmax(x)).toBeAllclose([[0, 0.25, 0.75]], { rtol: 1e-15, atol: 0 });
    expect(logSoftmax(x)).toBeAllclose([[-Infinity, Math.log(0.25), Math.log(0.75)]], { rtol: 1e-15, atol: 0 });
    const w = tensor([[0, 1, 2]]);
    const g = grad((t: Tensor) => sum(mul(softmax(t), w)))(x);
    // ∂/∂x_j Σ w_i p_i = p_j (w_j − Σ w_i p_i)
    const wp = 0.25 * 1 + 0.75 * 2;
    expect(g).toBeAllclose([[0, 0.25 * (1 - wp), 0.75 * (2 - wp)]], { rtol: 1e-14, atol: 1e-16 });
  });

  it("where copies −0, NaN and ±∞ untouched from the chosen branch", () => {
    const r = where(tensor([1, 0, 1, 0]), tensor([-0, 1, Infinity, 1]), tensor([5, NaN, 5, -Infinity]));
    expect(Object.is(r.data[0], -0)).toBe(true);
    expect(r).toBeAllclose([-0, NaN, Infinity, -Infinity], { rtol: 0, atol: 0, equalNan: true });
  });

  it("where sends no gradient to the unselected branch; the double-where idiom keeps log's gradient finite", () => {
    const x = tensor([2, 0]);
    expect(grad((t: Tensor) => sum(where(gt(t, 0), mul(t, 3), 0)))(x)).toBeAllclose([3, 0], exact);
    // where(x > 0, log(x), 0) has a NaN gradient at 0 (0 · ∞ inside log's rule, as in JAX and PyTorch);
    // feeding log a safe value where the branch is unused avoids it
    const safeLog = (t: Tensor) => where(gt(t, 0), log(where(gt(t, 0), t, 1)), 0);
    expect(grad((t: Tensor) => sum(safeLog(t)))(x)).toBeAllclose([0.5, 0], exact);
  });

  it("isFinite, sign and floor", () => {
    expect(isFinite(tensor([1, NaN, Infinity, -Infinity]))).toBeAllclose([1, 0, 0, 0], exact);
    expect(sign(tensor([-2, 0, 3, NaN]))).toBeAllclose([-1, 0, 1, NaN], { rtol: 0, atol: 0, equalNan: true });
    expect(floor(tensor([-1.5, 2.7]))).toBeAllclose([-2, 2], exact);
  });
});

describe("comparisons", () => {
  it("compare int32 tensors with numbers by value (regression: used to throw DTypeError)", () => {
    const labels = tensor([0, 3, 1, 3], { dtype: "int32" });
    const r = eq(labels, 3);
    expect(r.dtype).toBe("float64");
    expect(r).toBeAllclose([0, 1, 0, 1], exact);
    expect(lt(2, labels)).toBeAllclose([0, 1, 0, 1], exact);
    expect(ge(labels, 1.5)).toBeAllclose([0, 1, 0, 1], exact);
  });

  it("all six comparisons broadcast and return 1/0", () => {
    const a = tensor([[1], [2]]), b = tensor([1, 2, 3]);
    expect(eq(a, b)).toBeAllclose([[1, 0, 0], [0, 1, 0]], exact);
    expect(ne(a, b)).toBeAllclose([[0, 1, 1], [1, 0, 1]], exact);
    expect(lt(a, b)).toBeAllclose([[0, 1, 1], [0, 0, 1]], exact);
    expect(le(a, b)).toBeAllclose([[1, 1, 1], [0, 1, 1]], exact);
    expect(gt(a, b)).toBeAllclose([[0, 0, 0], [1, 0, 0]], exact);
    expect(ge(a, b)).toBeAllclose([[1, 0, 0], [1, 1, 0]], exact);
  });

  it("argmax/argmin pick the first extreme and treat NaN as the extreme (NumPy)", () => {
    expect(argmax(tensor([[1, 3, 3], [NaN, 0, 1]])).toFlatArray()).toEqual([1, 0]);
    expect(argmin(tensor([[2, 1, 1], [4, 0, NaN]]), 1).toFlatArray()).toEqual([1, 2]);
    expect(argmax(tensor([[1, 5], [7, 2]]), 0).toFlatArray()).toEqual([1, 0]);
  });

  it("oneHot encodes int32 labels of any shape", () => {
    const r = oneHot(tensor([[2], [0]], { dtype: "int32" }), 3);
    expect(r.shape).toEqual([2, 1, 3]);
    expect(r).toBeAllclose([[[0, 0, 1]], [[1, 0, 0]]], exact);
  });
});

describe("empty tensors", () => {
  it("sum over an empty axis is 0 and its gradient is empty", () => {
    expect(sum(zeros([0, 3]), { axis: 0 })).toBeAllclose([0, 0, 0], exact);
    expect(grad((x: Tensor) => sum(x))(zeros([0, 3])).shape).toEqual([0, 3]);
  });

  it("matmul with K = 0 gives zeros, with M = 0 gives an empty result", () => {
    expect(matmul(zeros([2, 0]), zeros([0, 3]))).toBeAllclose([[0, 0, 0], [0, 0, 0]], exact);
    expect(matmul(zeros([0, 2]), zeros([2, 3])).shape).toEqual([0, 3]);
  });

  it("take with no indices and max over a non-empty axis of an empty batch", () => {
    expect(take(tensor([[1, 2], [3, 4]]), tensor([], { dtype: "int32" }), 0).shape).toEqual([0, 2]);
    expect(max(zeros([0, 3]), { axis: 1 }).shape).toEqual([0]);
  });

  it("mean over an empty axis is rejected rather than NaN", () => {
    expect(() => mean(zeros([0]))).toThrow(/mean over an empty axis of \[0\]/);
    expect(() => max(zeros([2, 0]), { axis: 1 })).toThrow(/max: cannot reduce an empty axis 1 of \[2, 0\]/);
  });

  it("crossEntropy with reduction none on an empty batch is empty", () => {
    expect(crossEntropy(zeros([0, 3]), tensor([], { dtype: "int32" }), { reduction: "none" }).shape).toEqual([0]);
  });
});
