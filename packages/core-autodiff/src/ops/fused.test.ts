import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Tensor, add, astype, crossEntropy, grad, logSoftmax, matmul, mean, neg, relu, reshape, sigmoid, softmax, sum,
  takeAlongAxis, tanh, tensor, treeSquaredNorm, valueAndGrad,
} from "../index.js";
import { FD64, checkOpGrads, randomTensor, rng } from "../../test/fd.js";
import "../../test/matchers.js";
import { type LinearActivation, crossEntropyPerExample, linear, softmaxFused } from "./fused.js";

const acts: LinearActivation[] = ["none", "relu", "tanh", "sigmoid"];
const composedAct = (a: LinearActivation, z: Tensor): Tensor => (a === "relu" ? relu(z) : a === "tanh" ? tanh(z) : a === "sigmoid" ? sigmoid(z) : z);
const dims = fc.constantFrom(1, 2, 3, 5, 7, 17);

function bits(t: Tensor): number[] {
  return Array.from(t.data);
}

describe("linear", () => {
  it("is bit-identical to act(add(matmul(x, W), b)) forward, float64 and float32, with or without bias", () => {
    fc.assert(
      fc.property(dims, dims, dims, fc.constantFrom(...acts), fc.boolean(), fc.constantFrom("float64", "float32" as const), fc.integer(), (B, I, O, act, withBias, dt, seed) => {
        const next = rng(seed);
        const x = astype(randomTensor(next, [B, I], -2, 2), dt), w = astype(randomTensor(next, [I, O]), dt), b = astype(randomTensor(next, [O]), dt);
        const got = linear(x, w, withBias ? b : null, { activation: act });
        const ref = composedAct(act, withBias ? add(matmul(x, w), b) : matmul(x, w));
        expect(got.shape).toEqual(ref.shape);
        expect(got.dtype).toBe(dt);
        expect(bits(got)).toEqual(bits(ref));
      }),
      { numRuns: 40 },
    );
  });

  it("has exact first and second derivatives (finite differences, float64) for every activation", () => {
    const next = rng(7);
    for (const act of acts) {
      // pre-activations kept away from relu's kink at 0
      const x = randomTensor(next, [3, 4], 0.5, 1.5), w = randomTensor(next, [4, 5], 0.1, 0.6), b = randomTensor(next, [5], -0.2, 0.2);
      checkOpGrads((xx, ww, bb) => linear(xx, ww, bb, { activation: act }), [x, w, b], { ...FD64, seed: 3 });
    }
  });

  it("gives the composed op's gradients and keeps leading axes", () => {
    const next = rng(11);
    const x = randomTensor(next, [2, 3, 4]), w = randomTensor(next, [4, 6]), b = randomTensor(next, [6]);
    const f = (p: { x: Tensor; w: Tensor; b: Tensor }) => sum(tanh(linear(p.x, p.w, p.b, { activation: "relu" })));
    const g = (p: { x: Tensor; w: Tensor; b: Tensor }) => sum(tanh(relu(add(matmul(p.x, p.w), p.b))));
    expect(linear(x, w, b).shape).toEqual([2, 3, 6]);
    const [v1, g1] = valueAndGrad(f)({ x, w, b });
    const [v2, g2] = valueAndGrad(g)({ x, w, b });
    expect(v1).toBeAllclose(v2, { rtol: 1e-14, atol: 0 });
    for (const k of ["x", "w", "b"] as const) expect(g1[k]).toBeAllclose(g2[k], { rtol: 1e-12, atol: 1e-14 });
  });

  it("rejects mismatched shapes and dtypes", () => {
    expect(() => linear(tensor([[1, 2]]), tensor([[1, 2]]))).toThrow(/linear: x \[1, ?2\] has 2 features/);
    expect(() => linear(tensor([[1, 2]]), tensor([[1], [2]]), tensor([1, 2]))).toThrow(/bias must be \[1\]/);
    expect(() => linear(tensor([[1, 2]]), astype(tensor([[1], [2]]), "float32"))).toThrow(/dtypes differ/);
  });
});

describe("softmaxFused", () => {
  it("is bit-identical to the composed softmax on any axis, float64 and float32, including ±Infinity", () => {
    fc.assert(
      fc.property(dims, dims, fc.constantFrom(0, 1, -1), fc.constantFrom("float64", "float32" as const), fc.integer(), (R, C, axis, dt, seed) => {
        const next = rng(seed);
        const x = astype(randomTensor(next, [R, C], -30, 30), dt);
        expect(bits(softmaxFused(x, axis))).toEqual(bits(softmax(x, axis)));
      }),
      { numRuns: 40 },
    );
    const inf = tensor([[1, Infinity, 2], [-Infinity, 0, 1]]);
    expect(bits(softmaxFused(inf))).toEqual(bits(softmax(inf)));
  });

  it("has exact first and second derivatives (float64)", () => {
    const x = randomTensor(rng(5), [3, 4], -2, 2);
    checkOpGrads((t) => softmaxFused(t, 1), [x], { ...FD64, seed: 9 });
    checkOpGrads((t) => softmaxFused(t, 0), [x], { ...FD64, seed: 10 });
  });
});

describe("crossEntropyPerExample", () => {
  const composed = (z: Tensor, y: Tensor): Tensor => neg(reshape(takeAlongAxis(logSoftmax(z, 1), reshape(y, [-1, 1]), 1), [-1]));

  it("is bit-identical to −log softmax(z)[y] composed of public ops, float64 and float32", () => {
    fc.assert(
      fc.property(dims, fc.integer({ min: 1, max: 12 }), fc.constantFrom("float64", "float32" as const), fc.integer(), (N, C, dt, seed) => {
        const next = rng(seed);
        const z = astype(randomTensor(next, [N, C], -20, 20), dt);
        const y = tensor(Array.from({ length: N }, () => Math.floor(next() * C)), { dtype: "int32" });
        expect(bits(crossEntropyPerExample(z, y))).toEqual(bits(composed(z, y)));
      }),
      { numRuns: 40 },
    );
  });

  it("has exact first and second derivatives (float64), so the modified loss L + α/4‖∇L‖² is exact", () => {
    const next = rng(21);
    const z = randomTensor(next, [4, 5], -2, 2);
    const y = tensor([0, 3, 4, 1], { dtype: "int32" });
    checkOpGrads((t) => crossEntropyPerExample(t, y), [z], { ...FD64, seed: 4 });
    // the gradient of ‖∇_W L‖² through a linear layer agrees with the composed path
    const x = randomTensor(next, [4, 3]), w = randomTensor(next, [3, 5]);
    const mod = (ce: (z: Tensor) => Tensor) => (p: { w: Tensor }) => {
      const [l, g] = valueAndGrad((q: { w: Tensor }) => mean(ce(matmul(x, q.w))))(p);
      return add(l, treeSquaredNorm(g));
    };
    const g1 = grad(mod((t) => crossEntropyPerExample(t, y)))({ w });
    const g2 = grad(mod((t) => composed(t, y)))({ w });
    expect(g1.w).toBeAllclose(g2.w, { rtol: 1e-12, atol: 1e-14 });
  });

  it("validates labels like crossEntropy", () => {
    const z = tensor([[1, 2], [3, 4]]);
    expect(() => crossEntropyPerExample(z, tensor([0, 2], { dtype: "int32" }))).toThrow(/label 2 is outside \[0, 1\]/);
    expect(() => crossEntropyPerExample(z, tensor([0], { dtype: "int32" }))).toThrow(/labels must be \[2\]/);
    expect(crossEntropy(z, tensor([0, 1], { dtype: "int32" })).item()).toBeCloseTo(mean(crossEntropyPerExample(z, tensor([0, 1], { dtype: "int32" }))).item(), 14);
  });
});
