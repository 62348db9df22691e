import { describe, expect, expectTypeOf, it } from "vitest";
import {
  NonFiniteError, type Tensor, TransformError, ShapeError, add, cos, crossEntropy, exp, grad, hvp, jvp, log, matmul, mean, mul,
  noGrad, reshape, scalar, sin, sqrt, square, stopGradient, sum, tanh, tensor, valueAndGrad, vjp, vmap, zeros, assertFinite,
} from "./index.js";
import "../test/matchers.js";

const tight = { rtol: 1e-12, atol: 1e-14 } as const;

describe("grad", () => {
  it("differentiates three times: d³/dx³ sin = −cos", () => {
    const x = tensor([0.3, -1.1, 2.5]);
    const s = (t: Tensor) => sum(sin(t));
    const d1 = grad(s), d2 = grad((t: Tensor) => sum(d1(t))), d3 = grad((t: Tensor) => sum(d2(t)));
    expect(d1(x)).toBeAllclose(cos(x), tight);
    expect(d2(x)).toBeAllclose(mul(sin(x), -1), tight);
    expect(d3(x)).toBeAllclose(mul(cos(x), -1), tight);
  });

  it("keeps nested variables apart (no perturbation confusion): d/dx [x · d/dy (x·y)] = 2x", () => {
    const f = (x: Tensor) => mul(x, grad((y: Tensor) => mul(x, y))(scalar(1)));
    expect(grad(f)(scalar(3))).toBeAllclose(6, tight);
    // and the inner derivative taken at a y that depends on x: d/dx [d/dy (x·y²)]|_{y=x} = d/dx 2x² = 4x
    const g = (x: Tensor) => grad((y: Tensor) => mul(x, square(y)))(x);
    expect(grad(g)(scalar(1.5))).toBeAllclose(6, tight);
  });

  it("returns zeros of the input's shape and dtype when f does not depend on x", () => {
    const x = tensor([[1, 2, 3]], { dtype: "float32" });
    const g = grad((_x: Tensor) => sum(tensor([4, 5])))(x);
    expect(g.shape).toEqual([1, 3]);
    expect(g.dtype).toBe("float32");
    expect(g).toBeAllclose([[0, 0, 0]], { rtol: 0, atol: 0 });
  });

  it("differentiates with respect to trees (objects and arrays), keeping their structure", () => {
    const params = { w: tensor([[1, 2], [3, 4]]), layers: [tensor([0.5, -1]), { b: scalar(2) }] } as const;
    type P = typeof params;
    const loss = (p: P) => add(sum(square(matmul(p.w, p.layers[0]))), mul(p.layers[1].b, 3));
    const g = grad(loss)(params);
    // d/dW Σ(Wv)² = 2(Wv)vᵀ with Wv = (−1.5, −2.5)
    expect(g.w).toBeAllclose([[-1.5, 3], [-2.5, 5]], tight);
    // d/dv Σ(Wv)² = 2Wᵀ(Wv) = 2·(1·−1.5 + 3·−2.5, 2·−1.5 + 4·−2.5)
    expect(g.layers[0]).toBeAllclose([-18, -26], tight);
    expect(g.layers[1].b).toBeAllclose(3, tight);
  });

  it("passes extra arguments through undifferentiated", () => {
    const f = (w: Tensor, x: Tensor, k: number) => sum(mul(mul(w, x), k));
    expect(grad(f)(tensor([1, 2]), tensor([3, 4]), 2)).toBeAllclose([6, 8], tight);
  });
});

describe("valueAndGrad", () => {
  it("returns value, gradient and aux with hasAux; aux is not differentiated", () => {
    const f = (p: { a: Tensor; b: Tensor[] }): [Tensor, { pred: Tensor; n: number }] => {
      const pred = mul(p.a, p.b[0]!);
      return [sum(square(pred)), { pred, n: 7 }];
    };
    const [v, g, aux] = valueAndGrad(f, { hasAux: true })({ a: tensor([1, -2]), b: [tensor([3, 0.5])] });
    expect(v).toBeAllclose(9 + 1, tight);
    expect(g.a).toBeAllclose([18, -1], tight); // 2ab²
    expect(g.b[0]).toBeAllclose([6, 4], tight); // 2a²b
    const { pred, n } = aux as { pred: Tensor; n: number };
    expect(pred).toBeAllclose([3, -1], tight);
    expect(n).toBe(7);
  });

  it("throws TransformError when the output is not a scalar", () => {
    expect(() => grad((x: Tensor) => mul(x, 2))(tensor([1, 2]))).toThrow(TransformError);
    expect(() => grad((x: Tensor) => mul(x, 2))(tensor([1, 2]))).toThrow(/grad.*scalar.*\[2\]/);
  });

  it("throws TransformError when hasAux is set but f does not return [value, aux]", () => {
    expect(() => valueAndGrad((x: Tensor) => sum(x), { hasAux: true })(tensor([1]))).toThrow(TransformError);
  });

  it("throws TransformError when differentiating with respect to int32", () => {
    expect(() => grad((x: Tensor) => sum(x))(tensor([1], { dtype: "int32" }))).toThrow(/int32 tensor of shape \[1\]/);
  });

  it("with checkFinite, throws NonFiniteError on a NaN/Inf value or gradient", () => {
    const opts = { checkFinite: true } as const;
    expect(() => valueAndGrad((x: Tensor) => sum(log(x)), opts)(tensor([1, 0]))).toThrow(NonFiniteError);
    // finite value, infinite gradient: d/dx √x at 0
    expect(() => valueAndGrad((x: Tensor) => sum(sqrt(x)), opts)(tensor([1, 0]))).toThrow(/valueAndGrad: gradient leaf 0 \[2\] holds Infinity at flat index 1/);
    expect(() => valueAndGrad((x: Tensor) => sum(sqrt(x)), opts)(tensor([1, 4]))).not.toThrow();
    // without the option the same call returns the non-finite value
    const [v] = valueAndGrad((x: Tensor) => sum(log(x)))(tensor([1, 0]));
    expect(v.item()).toBe(-Infinity);
  });
});

describe("vjp", () => {
  it("returns the primal output and a pullback over trees", () => {
    const [y, back] = vjp((p: { a: Tensor; b: Tensor }) => [mul(p.a, p.b), sin(p.a)], { a: tensor([1, 2]), b: tensor([3, 4]) });
    expect(y[0]).toBeAllclose([3, 8], tight);
    const g = back([tensor([1, 1]), tensor([2, 0])]);
    expect(g.a).toBeAllclose([3 + 2 * Math.cos(1), 4], tight);
    expect(g.b).toBeAllclose([1, 2], tight);
  });

  it("rejects cotangents of the wrong shape with ShapeError naming both shapes", () => {
    const [, back] = vjp((x: Tensor) => sin(x), tensor([1, 2]));
    expect(() => back(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => back(tensor([1, 2, 3]))).toThrow(/vjp.*\[3\].*\[2\]/);
  });
});

describe("jvp", () => {
  it("computes J·v for a tree input", () => {
    const [y, t] = jvp((p: { a: Tensor; b: Tensor }) => mul(p.a, exp(p.b)), { a: tensor([2]), b: tensor([0]) }, { a: tensor([1]), b: tensor([3]) });
    expect(y).toBeAllclose([2], tight);
    expect(t).toBeAllclose([1 + 2 * 3], tight);
  });

  it("rejects tangents with another structure", () => {
    expect(() => jvp((x: Tensor) => x, tensor([1, 2]), tensor([1]))).toThrow(ShapeError);
  });
});

describe("hvp on trees", () => {
  it("equals the analytic Hessian-vector product of Σ a²b", () => {
    // H of a²b: ∂²/∂a² = 2b, ∂²/∂a∂b = 2a, ∂²/∂b² = 0
    const f = (p: { a: Tensor; b: Tensor }) => sum(mul(square(p.a), p.b));
    const r = hvp(f, { a: tensor([1, 2]), b: tensor([3, 4]) }, { a: tensor([1, 0]), b: tensor([0, 1]) });
    expect(r.a).toBeAllclose([2 * 3 * 1 + 0, 2 * 4 * 0 + 2 * 2 * 1], tight);
    expect(r.b).toBeAllclose([2 * 1 * 1, 0], tight);
  });
});

describe("vmap", () => {
  it("per-example gradients equal a loop of grad over examples", () => {
    const W = tensor([[0.2, -0.4, 0.1], [0.5, 0.3, -0.2]]);
    const X = tensor([[1, 2, 3], [-1, 0.5, 2], [0, 0, 1], [2, -2, 0.5]]);
    const Y = tensor([1, 0, 1, 0], { dtype: "int32" });
    // one example: x [3], y an int32 scalar
    const loss = (w: Tensor, x: Tensor, y: Tensor) => crossEntropy(reshape(matmul(w, x), [1, 2]), reshape(y, [1]));
    const perExample = vmap(grad(loss), [null, 0, 0])(W, X, Y);
    expect(perExample.shape).toEqual([4, 2, 3]);
    for (let i = 0; i < 4; i++) {
      const xi = tensor(Array.from(X.data.slice(3 * i, 3 * i + 3)));
      const yi = tensor(Y.data[i]!, { dtype: "int32" });
      const gi = grad(loss)(W, xi, yi);
      expect(tensor(Array.from(perExample.data.slice(6 * i, 6 * i + 6)), { shape: [2, 3] })).toBeAllclose(gi, tight);
    }
    // and their mean is the batch gradient of the mean loss
    const batchLoss = (w: Tensor) => crossEntropy(matmul(X, w, { transB: true }), Y);
    expect(mean(perExample, { axis: 0 })).toBeAllclose(grad(batchLoss)(W), tight);
  });

  it("maps trees and stacks tree outputs", () => {
    const out = vmap((p: { a: Tensor; b: Tensor }) => ({ s: add(p.a, p.b), d: mul(p.a, p.b) }))({ a: tensor([[1, 2], [3, 4]]), b: tensor([[1, 1], [2, 2]]) });
    expect(out.s).toBeAllclose([[2, 3], [5, 6]], tight);
    expect(out.d).toBeAllclose([[1, 2], [6, 8]], tight);
  });

  it("rejects disagreeing batch sizes and unmapped calls", () => {
    expect(() => vmap((a: Tensor, b: Tensor) => add(a, b))(zeros([2, 3]), zeros([3, 3]))).toThrow(/vmap.*batch size \(2 vs 3\)/);
    expect(() => vmap((a: Tensor) => a, [null])(zeros([2]))).toThrow(TransformError);
  });
});

describe("stopGradient and noGrad", () => {
  it("stopGradient blocks the gradient but keeps the value", () => {
    const f = (x: Tensor) => sum(mul(x, stopGradient(x)));
    expect(grad(f)(tensor([2, 3]))).toBeAllclose([2, 3], tight);
  });

  it("noGrad inside a traced function treats its result as a constant", () => {
    const f = (x: Tensor) => sum(mul(x, noGrad(() => square(x))));
    expect(grad(f)(tensor([2, 3]))).toBeAllclose([4, 9], tight);
  });

  it("a transform called inside noGrad still differentiates its own function (regression)", () => {
    const g = noGrad(() => grad((x: Tensor) => sum(square(x)))(tensor([1, 2])));
    expect(g).toBeAllclose([2, 4], tight);
  });

  it("a gradient computed inside noGrad within an outer trace is a constant for the outer grad", () => {
    // outer f(x) = Σ x · stop(∇Σx³) = Σ x · 3x²|const → gradient 3x², not 9x²
    const f = (x: Tensor) => sum(mul(x, noGrad(() => grad((y: Tensor) => sum(mul(y, square(y))))(x))));
    expect(grad(f)(tensor([1, 2]))).toBeAllclose([3, 12], tight);
  });
});

describe("assertFinite", () => {
  it("passes finite tensors through and names the tensor, shape and index otherwise", () => {
    const x = tensor([1, 2]);
    expect(assertFinite(x)).toBe(x);
    expect(() => assertFinite(tensor([1, NaN, 3]), "loss")).toThrow(NonFiniteError);
    expect(() => assertFinite(tensor([[1, Infinity]]), "grad w")).toThrow(/assertFinite: grad w \[1, 2\] holds Infinity at flat index 1/);
  });
});

describe("composite gradients", () => {
  it("grad of Σ tanh(x)² equals the hand-derived 2 tanh(x)(1 − tanh²(x))", () => {
    const x = tensor([-0.7, 0.2, 1.4]);
    const t = Array.from(x.data, Math.tanh);
    expect(grad((v: Tensor) => sum(square(tanh(v))))(x)).toBeAllclose(t.map((v) => 2 * v * (1 - v * v)), tight);
  });
});

describe("types (checked by tsc on the test sources)", () => {
  it("infers Tensor for unannotated grad arguments, trees from annotations, and aux from hasAux functions", () => {
    expectTypeOf(grad((x) => sum(x))).toEqualTypeOf<(x: Tensor) => Tensor>();
    const vg = valueAndGrad((p: { w: Tensor; b: Tensor[] }): [Tensor, { acc: number }] => [sum(p.w), { acc: 1 }], { hasAux: true });
    expectTypeOf(vg).returns.toEqualTypeOf<[Tensor, { w: Tensor; b: Tensor[] }, { acc: number }]>();
    expectTypeOf(vjp((x: Tensor) => [x, x], tensor([1]))[1]).parameter(0).toEqualTypeOf<Tensor[]>();
    // a runtime check as well, so the test asserts something when types are erased
    expect(vg({ w: tensor([1, 2]), b: [] })[2]).toEqual({ acc: 1 });
  });
});
