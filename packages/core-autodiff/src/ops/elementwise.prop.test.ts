import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  type Tensor, abs, add, astype, clip, cos, div, elu, exp, grad, leakyRelu, log, log1p, maximum, minimum, mul, neg, pow,
  reciprocal, relu, sigmoid, sin, softplus, sqrt, square, sub, sum, tanh, tensor, where,
} from "../index.js";
import {
  anyTensorArb, awayFrom, broadcastShapesArb, distinct, runs, shapeArb, signedMagnitude, tensorArb,
} from "../../test/arbitraries.js";
import { FD64, checkOpGrads } from "../../test/fd.js";
import "../../test/matchers.js";
import { refElementwise } from "../../test/reference.js";

// Every case: values from a domain where the op is smooth, random shapes of rank 0–3.
interface UnaryCase {
  readonly name: string;
  readonly f: (x: Tensor) => Tensor;
  readonly ref: (v: number) => number;
  readonly lo: number;
  readonly hi: number;
  readonly map?: (v: number[]) => number[];
}

const unaryCases: UnaryCase[] = [
  { name: "neg", f: neg, ref: (v) => -v, lo: -2, hi: 2 },
  { name: "square", f: square, ref: (v) => v * v, lo: -2, hi: 2 },
  { name: "sqrt", f: sqrt, ref: Math.sqrt, lo: 0.2, hi: 3 },
  { name: "exp", f: exp, ref: Math.exp, lo: -2, hi: 2 },
  { name: "log", f: log, ref: Math.log, lo: 0.2, hi: 3 },
  { name: "log1p", f: log1p, ref: Math.log1p, lo: -0.8, hi: 3 },
  { name: "abs", f: abs, ref: Math.abs, lo: -2, hi: 2, map: awayFrom([0], 1e-3) },
  { name: "sin", f: sin, ref: Math.sin, lo: -3, hi: 3 },
  { name: "cos", f: cos, ref: Math.cos, lo: -3, hi: 3 },
  { name: "tanh", f: tanh, ref: Math.tanh, lo: -2, hi: 2 },
  { name: "sigmoid", f: sigmoid, ref: (v) => 1 / (1 + Math.exp(-v)), lo: -4, hi: 4 },
  { name: "relu", f: relu, ref: (v) => Math.max(v, 0), lo: -2, hi: 2, map: awayFrom([0], 1e-3) },
  { name: "leakyRelu", f: (x) => leakyRelu(x, 0.1), ref: (v) => (v > 0 ? v : 0.1 * v), lo: -2, hi: 2, map: awayFrom([0], 1e-3) },
  { name: "softplus", f: softplus, ref: (v) => Math.log(1 + Math.exp(v)), lo: -4, hi: 4 },
  { name: "elu", f: (x) => elu(x, 1.3), ref: (v) => (v > 0 ? v : 1.3 * (Math.exp(v) - 1)), lo: -2, hi: 2, map: awayFrom([0], 1e-3) },
  { name: "reciprocal", f: reciprocal, ref: (v) => 1 / v, lo: -2, hi: 2, map: signedMagnitude(0.5, 2) },
  { name: "clip", f: (x) => clip(x, -0.5, 0.7), ref: (v) => Math.min(Math.max(v, -0.5), 0.7), lo: -2, hi: 2, map: awayFrom([-0.5, 0.7], 1e-3) },
  { name: "pow (constant exponent 3)", f: (x) => pow(x, 3), ref: (v) => v ** 3, lo: -2, hi: 2 },
  { name: "pow (constant exponent −1.5)", f: (x) => pow(x, -1.5), ref: (v) => v ** -1.5, lo: 0.3, hi: 2 },
];

describe("unary ops", () => {
  for (const c of unaryCases) {
    test.prop([anyTensorArb({}, c.lo, c.hi, c.map)], { numRuns: runs(30) })(
      `${c.name}: forward matches Math, grad and H·v match finite differences`,
      (x) => {
        expect(c.f(x)).toBeAllclose(refElementwise(c.ref, x), { rtol: 1e-12, atol: 1e-14 });
        checkOpGrads(c.f, [x], FD64);
      },
    );
  }
});

interface BinaryCase {
  readonly name: string;
  readonly f: (a: Tensor, b: Tensor) => Tensor;
  readonly ref: (a: number, b: number) => number;
  readonly a: [number, number, ((v: number[]) => number[])?];
  readonly b: [number, number, ((v: number[]) => number[])?];
  /** Make a and b jointly tie-free (maximum/minimum). */
  readonly distinct?: boolean;
}

const binaryCases: BinaryCase[] = [
  { name: "add", f: add, ref: (a, b) => a + b, a: [-2, 2], b: [-2, 2] },
  { name: "sub", f: sub, ref: (a, b) => a - b, a: [-2, 2], b: [-2, 2] },
  { name: "mul", f: mul, ref: (a, b) => a * b, a: [-2, 2], b: [-2, 2] },
  { name: "div", f: div, ref: (a, b) => a / b, a: [-2, 2], b: [-2, 2, signedMagnitude(0.5, 2)] },
  { name: "pow", f: pow, ref: (a, b) => a ** b, a: [0.5, 2], b: [-2, 2] },
  { name: "maximum", f: maximum, ref: Math.max, a: [-2, 2], b: [-2, 2], distinct: true },
  { name: "minimum", f: minimum, ref: Math.min, a: [-2, 2], b: [-2, 2], distinct: true },
];

/** Two tensors whose shapes broadcast together (every NumPy pattern), values from each case's domain. */
function binaryArb(c: BinaryCase): fc.Arbitrary<[Tensor, Tensor]> {
  return broadcastShapesArb(2).chain(({ operands: [sa, sb] }) =>
    fc.tuple(tensorArb(sa!, c.a[0], c.a[1], c.a[2]), tensorArb(sb!, c.b[0], c.b[1], c.b[2])).map(([a, b]): [Tensor, Tensor] => {
      if (!c.distinct) return [a, b];
      const all = distinct([...a.data, ...b.data]);
      return [tensor(all.slice(0, a.size), { shape: a.shape }), tensor(all.slice(a.size), { shape: b.shape })];
    }),
  );
}

describe("binary ops with broadcasting", () => {
  for (const c of binaryCases) {
    test.prop([binaryArb(c)], { numRuns: runs(30) })(`${c.name}: forward matches a naive broadcast, grads match FD`, ([a, b]) => {
      expect(c.f(a, b)).toBeAllclose(refElementwise(c.ref, a, b), { rtol: 1e-12, atol: 1e-14 });
      checkOpGrads(c.f, [a, b], FD64);
    });
  }

  // forward only (cheap), so ranks up to 5 exercise the kernels' odometers over many axes
  test.prop([broadcastShapesArb(3, 5)], { numRuns: runs(60) })("binary kernels and where agree with a naive broadcast up to rank 5", ({ operands }) => {
    const [sc, sa, sb] = operands as [number[], number[], number[]];
    const fill = (s: number[], f: (i: number) => number) => tensor(Array.from({ length: s.reduce((p, d) => p * d, 1) }, (_, i) => f(i)), { shape: s });
    const a = fill(sa, (i) => Math.sin(i + 0.5)), b = fill(sb, (i) => Math.cos(3 * i + 1)), cond = fill(sc, (i) => (i % 3 === 1 ? 0 : 1));
    expect(sub(a, b)).toBeAllclose(refElementwise((x, y) => x - y, a, b), { rtol: 0, atol: 0 });
    expect(mul(b, a)).toBeAllclose(refElementwise((x, y) => x * y, b, a), { rtol: 0, atol: 0 });
    expect(where(cond, a, b)).toBeAllclose(refElementwise((c, x, y) => (c !== 0 ? x : y), cond, a, b), { rtol: 0, atol: 0 });
  });

  test.prop([broadcastShapesArb(3)], { numRuns: runs(30) })("where: cond, a and b all broadcast; grads reach a and b only", ({ operands }) => {
    const [sc, sa, sb] = operands as [number[], number[], number[]];
    const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
    const cond = tensor(Array.from({ length: size(sc) }, (_, i) => (i * 7 + sc.length) % 3 === 0 ? 0 : 1), { shape: sc });
    const a = tensor(Array.from({ length: size(sa) }, (_, i) => Math.sin(i + 1)), { shape: sa });
    const b = tensor(Array.from({ length: size(sb) }, (_, i) => Math.cos(2 * i + 1)), { shape: sb });
    expect(where(cond, a, b)).toBeAllclose(refElementwise((c, x, y) => (c !== 0 ? x : y), cond, a, b), { rtol: 0, atol: 0 });
    // square inside so the second-order check sees a non-zero Hessian through where
    checkOpGrads((x, y) => where(cond, square(x), mul(y, 3)), [a, b], FD64);
  });
});

describe("astype", () => {
  test.prop([anyTensorArb({}, -2, 2)], { numRuns: runs(25) })(
    "float64→float32→float64 round trip: grads match FD at float32 tolerance",
    (x) => {
      // the float32 leg rounds every gradient value to an ulp of up to ~4e-6 (|g| ≤ ~40 for the
      // second-order check's quartic scalarisation R·f + S·f²), so FD of the gradient carries
      // ulp/2h of quantisation plus the central difference's h²·4S truncation on the cubic
      // gradient: ~1e-4 each at h = 1e-2, hence a 1e-3 tolerance (a wrong rule is off by O(1))
      const f = (t: Tensor) => astype(square(astype(t, "float32")), "float64");
      expect(f(x).dtype).toBe("float64");
      checkOpGrads(f, [x], { rtol: 1e-3, atol: 1e-3, h: 1e-2 });
    },
  );

  test.prop([shapeArb({ minRank: 1 })], { numRuns: runs(20) })("the gradient of a float32 cast comes back in the input's dtype", (shape) => {
    const x = tensor(shape.reduce((p, d) => p * d, 1) > 0 ? Array.from({ length: shape.reduce((p, d) => p * d, 1) }, (_, i) => i / 3) : [], { shape });
    const g = grad((t: Tensor) => sum(square(astype(t, "float32"))))(x);
    expect(g.dtype).toBe("float64");
    expect(g).toBeAllclose(mul(x, 2), { rtol: 1e-6, atol: 1e-6 });
  });
});
