import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { type Tensor, logsumexp, max, mean, min, sum, sumToShape, tensor, variance } from "../index.js";
import { distinct, runs, shapeArb, tensorArb } from "../../test/arbitraries.js";
import { FD64, checkOpGrads } from "../../test/fd.js";
import "../../test/matchers.js";
import { ravel, refReduce, unravel } from "../../test/reference.js";

interface AxesCase {
  readonly x: Tensor;
  /** undefined = all axes; otherwise a list that may use negative indices. */
  readonly axis: number[] | undefined;
  /** The same axes normalised and sorted, for the reference. */
  readonly axes: number[];
  readonly keepdims: boolean;
}

/** A tensor of rank 0–4 (extents 1–3, unit axes included so the kernel's axis collapsing is exercised) and a subset of its axes. */
function axesCaseArb(valueMap?: (v: number[]) => number[]): fc.Arbitrary<AxesCase> {
  return shapeArb({ maxRank: 4, maxDim: 3 }).chain((shape) =>
    fc
      .tuple(
        tensorArb(shape, -2, 2, valueMap),
        fc.option(fc.subarray(shape.map((_, i) => i)), { nil: undefined }),
        fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
        fc.boolean(),
      )
      .map(([x, sub, negs, keepdims]) => ({
        x,
        axis: sub?.map((a) => (negs[a] ? a - shape.length : a)),
        axes: sub ?? shape.map((_, i) => i),
        keepdims,
      })),
  );
}

const opts = (c: AxesCase) => (c.axis === undefined ? { keepdims: c.keepdims } : { axis: c.axis, keepdims: c.keepdims });
const exact = { rtol: 1e-12, atol: 1e-12 } as const;

describe("reductions over axes with keepdims", () => {
  // forward only, so ranks up to 6 (with unit axes) stress the kernel's collapsing of adjacent axes
  test.prop([shapeArb({ maxRank: 6, maxDim: 3 }).chain((s) => fc.tuple(tensorArb(s), fc.subarray(s.map((_, i) => i))))], { numRuns: runs(60) })(
    "sum/max/min kernels agree with a naive reduction up to rank 6",
    ([x, axes]) => {
      expect(sum(x, { axis: axes })).toBeAllclose(refReduce(x, axes, 0, (a, v) => a + v), exact);
      expect(max(x, { axis: axes, keepdims: true })).toBeAllclose(refReduce(x, axes, -Infinity, Math.max, true), { rtol: 0, atol: 0 });
      expect(min(x, { axis: axes })).toBeAllclose(refReduce(x, axes, Infinity, Math.min), { rtol: 0, atol: 0 });
    },
  );

  test.prop([axesCaseArb()], { numRuns: runs(40) })("sum matches a naive reduction; grads match FD", (c) => {
    expect(sum(c.x, opts(c))).toBeAllclose(refReduce(c.x, c.axes, 0, (a, v) => a + v, c.keepdims), exact);
    checkOpGrads((x) => sum(x, opts(c)), [c.x], FD64);
  });

  test.prop([axesCaseArb()], { numRuns: runs(30) })("mean matches sum / count; grads match FD", (c) => {
    const count = c.axes.reduce((p, a) => p * c.x.shape[a]!, 1);
    const ref = refReduce(c.x, c.axes, 0, (a, v) => a + v, c.keepdims);
    expect(mean(c.x, opts(c))).toBeAllclose(tensor(Array.from(ref.data, (v) => v / count), { shape: ref.shape }), exact);
    checkOpGrads((x) => mean(x, opts(c)), [c.x], FD64);
  });

  test.prop([axesCaseArb((v) => distinct(v))], { numRuns: runs(40) })("max (distinct values) matches naive; grads match FD", (c) => {
    expect(max(c.x, opts(c))).toBeAllclose(refReduce(c.x, c.axes, -Infinity, Math.max, c.keepdims), exact);
    checkOpGrads((x) => max(x, opts(c)), [c.x], FD64);
  });

  test.prop([axesCaseArb((v) => distinct(v))], { numRuns: runs(40) })("min (distinct values) matches naive; grads match FD", (c) => {
    expect(min(c.x, opts(c))).toBeAllclose(refReduce(c.x, c.axes, Infinity, Math.min, c.keepdims), exact);
    checkOpGrads((x) => min(x, opts(c)), [c.x], FD64);
  });

  test.prop([axesCaseArb(), fc.integer({ min: 0, max: 1 })], { numRuns: runs(30) })("var (ddof 0/1) matches the two-pass formula; grads match FD", (c, ddof) => {
    const count = c.axes.reduce((p, a) => p * c.x.shape[a]!, 1);
    fc.pre(count - ddof > 0);
    const m = refReduce(c.x, c.axes, 0, (a, v) => a + v, true);
    // Σ(x − mean)² from the definition, the mean looked up at the kept multi-index
    const dev = tensor(Array.from(c.x.data, (v, i) => {
      const idx = unravel(i, c.x.shape).map((j, k) => (c.axes.includes(k) ? 0 : j));
      return (v - m.data[ravel(idx, m.shape)]! / count) ** 2;
    }), { shape: c.x.shape });
    const ref = refReduce(dev, c.axes, 0, (a, v) => a + v, c.keepdims);
    const o = { ...opts(c), ddof };
    expect(variance(c.x, o)).toBeAllclose(tensor(Array.from(ref.data, (v) => v / (count - ddof)), { shape: ref.shape }), exact);
    checkOpGrads((x) => variance(x, o), [c.x], FD64);
  });

  test.prop([axesCaseArb()], { numRuns: runs(30) })("logsumexp matches log Σ exp; grads match FD", (c) => {
    const ref = refReduce(c.x, c.axes, 0, (a, v) => a + Math.exp(v), c.keepdims);
    expect(logsumexp(c.x, opts(c))).toBeAllclose(tensor(Array.from(ref.data, Math.log), { shape: ref.shape }), exact);
    checkOpGrads((x) => logsumexp(x, opts(c)), [c.x], FD64);
  });

  test.prop([axesCaseArb()], { numRuns: runs(30) })("sumToShape undoes broadcasting (sum over broadcast axes) and differentiates twice", (c) => {
    // the kept shape, with leading reduced axes dropped when keepdims is false (both are valid targets)
    let lead = 0;
    while (!c.keepdims && lead < c.x.ndim && c.axes.includes(lead)) lead++;
    const target = c.x.shape.map((d, i) => (c.axes.includes(i) ? 1 : d)).slice(lead);
    const ref = refReduce(c.x, c.axes, 0, (a, v) => a + v, true);
    const got = sumToShape(c.x, target);
    expect(got).toBeAllclose(tensor(ref.data, { shape: target }), exact);
    checkOpGrads((x) => sumToShape(x, target), [c.x], FD64);
  });
});
