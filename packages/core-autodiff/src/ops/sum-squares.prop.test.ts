// sumSquares sums in another order than sum(square(x)) (eight interleaved float64 accumulators):
// checked against an exact reference (the squares summed as float64 with error-free TwoSum
// compensation) within the standard bound of a float64 sum, float32 results round the float64
// sum once, and the gradient matches FD. Bit identity of eager and jit is checked too.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { astype, grad, jit, mul, square, sum, sumSquares, tensor, type Tensor } from "../index.js";
import { runs, valuesArb } from "../../test/arbitraries.js";
import { FD64, checkOpGrads } from "../../test/fd.js";
import "../../test/matchers.js";

/** Σ v² (each square rounded as the dtype does) with Neumaier compensation: exact to ~1 ulp of the sum. */
function refSumSquares(v: ArrayLike<number>, f32: boolean): number {
  let s = 0, c = 0;
  for (let i = 0; i < v.length; i++) {
    const q = f32 ? Math.fround(v[i]! * v[i]!) : v[i]! * v[i]!;
    const t = s + q;
    c += Math.abs(s) >= Math.abs(q) ? s - t + q : q - t + s;
    s = t;
  }
  return s + c;
}

const EPS64 = 2 ** -53;
const vec = (lo: number, hi: number) => fc.integer({ min: 0, max: 70 }).chain((n) => valuesArb(n, lo, hi));

describe("sumSquares", () => {
  test.prop([vec(-3, 3)], { numRuns: runs(80) })("float64: within n·ε·Σx² of the exact sum, and of sum(square(x))", (v) => {
    const x = tensor(v);
    const got = sumSquares(x).item();
    const ref = refSumSquares(v, false);
    // a sum of n non-negative terms in any order: |error| ≤ (n − 1)·ε·Σ|terms| (+ the squares' own rounding, in ref too)
    const bound = Math.max(1, v.length) * EPS64 * ref;
    expect(Math.abs(got - ref)).toBeLessThanOrEqual(bound);
    expect(Math.abs(got - sum(square(x)).item())).toBeLessThanOrEqual(2 * bound);
    expect(sumSquares(x).shape).toEqual([]);
  });

  test.prop([vec(-100, 100)], { numRuns: runs(80) })("float32: the float64 sum of the float32 squares, rounded once (≤ 1 ulp of float32 off the exact sum)", (v) => {
    const x = astype(tensor(v), "float32");
    const got = sumSquares(x);
    expect(got.dtype).toBe("float32");
    const ref = refSumSquares(x.data, true);
    // the float64 partial sums are off by ≤ n·2⁻⁵³·ref, far below half a float32 ulp except near a tie
    const ulp32 = ref === 0 ? 0 : 2 ** (Math.floor(Math.log2(ref)) - 23);
    expect(Math.abs(got.item() - ref)).toBeLessThanOrEqual(ulp32);
    expect(Math.abs(got.item() - sum(square(x)).item())).toBeLessThanOrEqual(ulp32);
  });

  it("is exact where every partial sum is (integers), at every length around the 8-way unrolling", () => {
    for (let n = 0; n <= 21; n++) {
      const v = Array.from({ length: n }, (_, i) => i - 5);
      const want = v.reduce((p, a) => p + a * a, 0);
      expect(sumSquares(tensor(v)).item()).toBe(want);
      expect(sumSquares(astype(tensor(v), "float32")).item()).toBe(want);
    }
  });

  it("keeps NaN and Inf", () => {
    expect(sumSquares(tensor([1, NaN, 2])).item()).toBeNaN();
    expect(sumSquares(tensor([1, -Infinity, 2, 3, 4])).item()).toBe(Infinity);
    expect(sumSquares(astype(tensor([1e30, 1, 2, 3]), "float32")).item()).toBe(Infinity);
  });

  test.prop([fc.integer({ min: 1, max: 9 }).chain((n) => valuesArb(n, -2, 2))], { numRuns: runs(20) })("gradient 2x and its second order match FD (float64)", (v) => {
    const x = tensor(v);
    checkOpGrads((t: Tensor) => mul(sumSquares(t), 0.7), [x], FD64);
    expect(grad((t: Tensor) => sumSquares(t))(x)).toBeAllclose(tensor(v.map((a) => 2 * a)), { rtol: 0, atol: 0 });
  });

  it("a jit replay gives the eager bits (float32 and float64)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      const f = jit((t: Tensor) => grad((u: Tensor) => mul(sumSquares(u), 1e-4))(t));
      for (let k = 0; k < 3; k++) {
        const x = astype(tensor(Array.from({ length: 1003 }, (_, i) => Math.sin(i * 0.37 + k))), dtype);
        const eager = grad((u: Tensor) => mul(sumSquares(u), 1e-4))(x);
        expect(Array.from(f(x).data)).toEqual(Array.from(eager.data));
      }
    }
  });

  // eager runs the TS kernel; a jit replay on the WASM backend runs the SIMD kernel on its resident memory
  test.prop([fc.integer({ min: 0, max: 45 }).chain((n) => fc.tuple(valuesArb(n, -1e3, 1e3), valuesArb(n, -1e-3, 1e-3))), fc.constantFrom("float32" as const, "float64" as const)], { numRuns: runs(60) })(
    "a jit replay (the WASM kernel where available) gives the TS kernel's bits at every length",
    ([a, b], dtype) => {
      const f = jit((t: Tensor) => sumSquares(t), { verify: 0 });
      const xs = [a, b, a.map((v, i) => v * (b[i] ?? 1))].map((v) => astype(tensor(v), dtype));
      f(xs[0]!);
      for (const x of xs) expect(f(x).data[0]).toBe(sumSquares(x).data[0]);
    },
  );

  it("names the op on bad input", () => {
    expect(() => sumSquares(tensor([1, 2], { dtype: "int32" }))).toThrow(/sumSquares/);
    expect(() => sumSquares(undefined as unknown as Tensor)).toThrow(/sumSquares.*x/);
  });
});
