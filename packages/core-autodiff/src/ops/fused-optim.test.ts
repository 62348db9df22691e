import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Tensor, ShapeError, ValueError, DTypeError, adamStep, add, div, grad, jit, mul, normal, prngKey, pureCallback, split, sqrt, square, sum, tensor,
} from "../index.js";

function composed(m: Tensor, v: Tensor, g: Tensor, o: { b1: number; b2: number; c1: number; c2: number; eps: number; epsRoot: number }) {
  const mu = add(mul(m, o.b1), mul(g, 1 - o.b1));
  const nu = add(mul(v, o.b2), mul(square(g), 1 - o.b2));
  return [mu, nu, div(div(mu, o.c1), add(sqrt(add(div(nu, o.c2), o.epsRoot)), o.eps))];
}
const bits = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));

describe("adamStep", () => {
  for (const dtype of ["float64", "float32"] as const) {
    it(`equals the composed ops bit for bit, ${dtype} (property over values, sizes and constants)`, () => {
      fc.assert(fc.property(
        fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 700 }), fc.double({ min: 0, max: 0.999, noNaN: true }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }), fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, 1e-8, 1e-3), fc.constantFrom(0, 1e-12),
        (seed, n, b1, b2, t, eps, epsRoot) => {
          const [k1, k2, k3] = split(prngKey(seed), 3);
          const m = normal(k1!, [n], { dtype }), g = normal(k2!, [n], { dtype });
          const v = square(normal(k3!, [n], { dtype }));
          const o = { b1, b2, c1: 1 - b1 ** t, c2: 1 - b2 ** t, eps, epsRoot };
          const got = adamStep(m, v, g, o), want = composed(m, v, g, o);
          return got.every((x, i) => x.dtype === dtype && bits(x).join() === bits(want[i]!).join());
        }), { numRuns: 60 });
    });
  }

  it("stays differentiable: the gradient through it equals the composed ops' (and finite differences)", () => {
    const m = tensor([0.1, -0.2, 0.3]), v = tensor([0.01, 0.02, 0.5]);
    const o = { b1: 0.9, b2: 0.999, c1: 0.19, c2: 0.002, eps: 1e-8, epsRoot: 0 };
    const f = (g: Tensor) => sum(mul(adamStep(m, v, g, o)[2], tensor([1, 2, 3])));
    const h = (g: Tensor) => sum(mul(composed(m, v, g, o)[2]!, tensor([1, 2, 3])));
    const g0 = tensor([0.5, -1, 2]);
    expect(bits(grad(f)(g0)).join()).toBe(bits(grad(h)(g0)).join());
    const e = 1e-6, gr = grad(f)(g0).toFlatArray();
    for (let i = 0; i < 3; i++) {
      const d = [0, 0, 0]; d[i] = e;
      const fd = (f(add(g0, tensor(d))).item() - f(add(g0, tensor(d.map((x) => -x)))).item()) / (2 * e);
      expect(Math.abs(fd - gr[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
    }
  });

  it("replays under jit", () => {
    const o = { b1: 0.9, b2: 0.999, c1: 0.1, c2: 0.001, eps: 1e-8, epsRoot: 0 };
    const f = jit((m: Tensor, v: Tensor, g: Tensor) => adamStep(m, v, g, o));
    for (let s = 0; s < 3; s++) {
      const [a, b, c] = split(prngKey(s), 3);
      const m = normal(a!, [37]), v = square(normal(b!, [37])), g = normal(c!, [37]);
      const got = f(m, v, g), want = adamStep(m, v, g, o);
      got.forEach((x, i) => expect(bits(x).join()).toBe(bits(want[i]!).join()));
    }
  });

  it("rejects mismatched shapes, dtypes and non-finite constants, naming them", () => {
    const o = { b1: 0.9, b2: 0.999, c1: 0.1, c2: 0.001, eps: 1e-8, epsRoot: 0 };
    expect(() => adamStep(tensor([1, 2]), tensor([1, 2]), tensor([1, 2, 3]), o)).toThrow(ShapeError);
    expect(() => adamStep(tensor([1]), tensor([1]), tensor([1], { dtype: "float32" }), o)).toThrow(DTypeError);
    expect(() => adamStep(tensor([1]), tensor([1]), tensor([1]), { ...o, c1: NaN })).toThrow(/adamStep: c1 must be a finite number/);
    expect(() => adamStep(tensor([1]), tensor([1]), tensor([1]), { ...o, eps: Infinity })).toThrow(ValueError);
  });
});

describe("adamStep with tensor corrections under jit", () => {
  for (const dtype of ["float64", "float32"] as const) {
    it(`replays with each call's corrections, bit-identical to numbers, ${dtype} (WASM kernel when resident)`, () => {
      // the corrections come from a step-count tensor through pureCallback, as scaleByAdam does
      const step = jit((m: Tensor, v: Tensor, g: Tensor, t: Tensor) => {
        const c1 = pureCallback((o, td) => { o[0] = 1 - 0.9 ** td[0]!; }, [t], [], "float64");
        const c2 = pureCallback((o, td) => { o[0] = 1 - 0.999 ** td[0]!; }, [t], [], "float64");
        return adamStep(m, v, g, { b1: 0.9, b2: 0.999, c1, c2, eps: 1e-8, epsRoot: 0 });
      });
      for (let t = 1; t <= 6; t++) {
        const [k1, k2, k3] = split(prngKey(70 + t), 3);
        const n = 37; // odd: the SIMD body and the scalar tail
        const m = normal(k1!, [n], { dtype }), g = normal(k2!, [n], { dtype }), v = square(normal(k3!, [n], { dtype }));
        const got = step(m, v, g, tensor(t, { dtype: "float64" }));
        const want = adamStep(m, v, g, { b1: 0.9, b2: 0.999, c1: 1 - 0.9 ** t, c2: 1 - 0.999 ** t, eps: 1e-8, epsRoot: 0 });
        got.forEach((x, i) => expect(bits(x).join()).toBe(bits(want[i]!).join()));
      }
      expect(step.traceCount).toBe(1);
    });
  }
});
