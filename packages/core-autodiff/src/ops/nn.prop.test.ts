import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  type Reduction, type Tensor, avgPool1d, binaryCrossEntropyWithLogits, conv1d, crossEntropy, fold1d, grad, log, logSoftmax, maxPool1d, mse, softmax, sse,
  sum, tensor, unfold1d,
} from "../index.js";
import { distinct, runs, shapeArb, tensorArb } from "../../test/arbitraries.js";
import { FD64, checkOpGrads } from "../../test/fd.js";
import "../../test/matchers.js";
import { ravel, refConv1d, refPool1d, refReduce, unravel } from "../../test/reference.js";

const close = { rtol: 1e-12, atol: 1e-12 } as const;

const tensorAxisArb = shapeArb({ minRank: 1, maxRank: 3 }).chain((s) => fc.tuple(tensorArb(s, -3, 3), fc.integer({ min: -s.length, max: s.length - 1 })));

describe("softmax family", () => {
  test.prop([tensorAxisArb], { numRuns: runs(30) })("softmax = exp(x)/Σexp(x) along the axis; grads match FD", ([x, axis]) => {
    const ax = axis < 0 ? axis + x.ndim : axis;
    const z = refReduce(x, [ax], 0, (a, v) => a + Math.exp(v), true);
    const ref = tensor(Array.from(x.data, (v, i) => Math.exp(v) / z.data[ravel(unravel(i, x.shape).map((j, k) => (k === ax ? 0 : j)), z.shape)]!), { shape: x.shape });
    expect(softmax(x, axis)).toBeAllclose(ref, close);
    checkOpGrads((t) => softmax(t, axis), [x], FD64);
  });

  test.prop([tensorAxisArb], { numRuns: runs(30) })("logSoftmax = log softmax; grads match FD", ([x, axis]) => {
    expect(logSoftmax(x, axis)).toBeAllclose(log(softmax(x, axis)), close);
    checkOpGrads((t) => logSoftmax(t, axis), [x], FD64);
  });

  test("softmax and logSoftmax stay finite for huge logits (stabilised by the max)", () => {
    const x = tensor([[1000, 1001, 999], [-1000, -1002, -1001]]);
    expect(softmax(x)).toBeAllclose(softmax(tensor([[1, 2, 0], [2, 0, 1]])), { rtol: 1e-12, atol: 1e-15 });
    expect(logSoftmax(x)).toBeAllclose(logSoftmax(tensor([[1, 2, 0], [2, 0, 1]])), { rtol: 1e-12, atol: 1e-12 });
  });
});

const reductionArb = fc.constantFrom<Reduction>("mean", "sum", "none");

describe("losses", () => {
  const ceIntArb = fc.record({ N: fc.integer({ min: 1, max: 4 }), C: fc.integer({ min: 1, max: 5 }) }).chain(({ N, C }) =>
    fc.tuple(tensorArb([N, C], -3, 3), fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: N, maxLength: N }), reductionArb));

  test.prop([ceIntArb], { numRuns: runs(30) })("crossEntropy with int32 labels: −log softmax at the label, reduced; grads match FD", ([logits, labels, reduction]) => {
    const y = tensor(labels, { dtype: "int32" });
    const [N, C] = logits.shape as [number, number];
    const per = labels.map((l, n) => {
      const row = Array.from(logits.data.slice(n * C, (n + 1) * C));
      return -(row[l]! - Math.log(row.reduce((s, v) => s + Math.exp(v), 0)));
    });
    const ref = reduction === "none" ? per : reduction === "sum" ? per.reduce((a, b) => a + b, 0) : per.reduce((a, b) => a + b, 0) / N;
    expect(crossEntropy(logits, y, { reduction })).toBeAllclose(ref, close);
    checkOpGrads((t) => crossEntropy(t, y, { reduction }), [logits], FD64);
  });

  const ceSoftArb = fc.record({ N: fc.integer({ min: 1, max: 4 }), C: fc.integer({ min: 1, max: 5 }) }).chain(({ N, C }) =>
    fc.tuple(tensorArb([N, C], -3, 3), tensorArb([N, C], -2, 2), reductionArb));

  test.prop([ceSoftArb], { numRuns: runs(30) })("crossEntropy with soft targets: −Σ q log softmax; grads in logits and targets match FD", ([logits, raw, reduction]) => {
    const q = softmax(raw); // rows of probabilities
    const [N, C] = logits.shape as [number, number];
    const per = Array.from({ length: N }, (_, n) => {
      const row = Array.from(logits.data.slice(n * C, (n + 1) * C));
      const lz = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
      return -row.reduce((s, v, c) => s + q.data[n * C + c]! * (v - lz), 0);
    });
    const ref = reduction === "none" ? per : reduction === "sum" ? per.reduce((a, b) => a + b, 0) : per.reduce((a, b) => a + b, 0) / N;
    expect(crossEntropy(logits, q, { reduction })).toBeAllclose(ref, close);
    checkOpGrads((t, p) => crossEntropy(t, p, { reduction }), [logits, q], FD64);
  });

  test.prop([shapeArb({ maxRank: 3 }).chain((s) => fc.tuple(tensorArb(s), tensorArb(s)))], { numRuns: runs(30) })(
    "mse = mean((p − t)²), sse = Σ(p − t)²; grads match FD",
    ([p, t]) => {
      const s = Array.from(p.data).reduce((a, v, i) => a + (v - t.data[i]!) ** 2, 0);
      expect(sse(p, t)).toBeAllclose(s, close);
      expect(mse(p, t)).toBeAllclose(s / p.size, close);
      checkOpGrads(mse, [p, t], FD64);
      checkOpGrads(sse, [p, t], FD64);
    },
  );
});

describe("binaryCrossEntropyWithLogits", () => {
  test.prop([shapeArb({ maxRank: 3 }).chain((s) => fc.tuple(tensorArb(s, -4, 4), tensorArb(s, 0, 1), reductionArb))], { numRuns: runs(30) })(
    "equals −t log σ(z) − (1−t) log(1−σ(z)); grads in logits and targets match FD",
    ([z, t, reduction]) => {
      const per = Array.from(z.data, (v, i) => {
        const p = 1 / (1 + Math.exp(-v)), q = t.data[i]!;
        return -(q * Math.log(p) + (1 - q) * Math.log(1 - p));
      });
      const total = per.reduce((a, b) => a + b, 0);
      const ref = reduction === "none" ? tensor(per, { shape: z.shape }) : reduction === "sum" ? total : total / z.size;
      expect(binaryCrossEntropyWithLogits(z, t, { reduction })).toBeAllclose(ref, { rtol: 1e-10, atol: 1e-12 });
      checkOpGrads((a, b) => binaryCrossEntropyWithLogits(a, b, { reduction }), [z, t], FD64);
    },
  );

  test("stays finite for logits far beyond exp's range, where the naive formula gives Inf/NaN", () => {
    const z = tensor([800, -800]), t = tensor([0, 1]);
    expect(binaryCrossEntropyWithLogits(z, t, { reduction: "none" })).toBeAllclose([800, 800], { rtol: 1e-15, atol: 0 });
    expect(grad((l: Tensor) => binaryCrossEntropyWithLogits(l, t, { reduction: "sum" }))(z)).toBeAllclose([1, -1], { rtol: 0, atol: 1e-15 });
  });
});

interface WindowCase {
  readonly N: number; readonly C: number; readonly L: number; readonly K: number;
  readonly stride: number; readonly padding: number; readonly dilation: number;
}

/** Window geometries with at least one output position (stride, padding and dilation all vary). */
const windowArb: fc.Arbitrary<WindowCase> = fc
  .record({
    N: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 3 }), L: fc.integer({ min: 1, max: 8 }),
    K: fc.integer({ min: 1, max: 3 }), stride: fc.integer({ min: 1, max: 3 }), padding: fc.integer({ min: 0, max: 2 }), dilation: fc.integer({ min: 1, max: 2 }),
  })
  .filter((w) => w.L + 2 * w.padding >= w.dilation * (w.K - 1) + 1);

const outLength = (w: WindowCase) => Math.floor((w.L + 2 * w.padding - w.dilation * (w.K - 1) - 1) / w.stride) + 1;

describe("1-D windows", () => {
  test.prop([windowArb.chain((w) => fc.tuple(fc.constant(w), tensorArb([w.N, w.C, w.L]), fc.integer({ min: 1, max: 3 }), fc.boolean()))], { numRuns: runs(40) })(
    "conv1d matches direct cross-correlation (stride, padding, dilation, channels, bias); grads in x, w, bias match FD",
    ([g, x, Cout, withBias]) => {
      const w = tensor(Array.from({ length: Cout * g.C * g.K }, (_, i) => Math.sin(1.7 * i + 0.3)), { shape: [Cout, g.C, g.K] });
      const bias = tensor(Array.from({ length: Cout }, (_, i) => 0.5 - i / 3));
      const geo = { stride: g.stride, padding: g.padding, dilation: g.dilation };
      const got = conv1d(x, w, withBias ? { ...geo, bias } : geo);
      expect(got).toBeAllclose(refConv1d(x, w, g.stride, g.padding, g.dilation, withBias ? bias : undefined), close);
      if (withBias) checkOpGrads((a, b, c) => conv1d(a, b, { ...geo, bias: c }), [x, w, bias], FD64);
      else checkOpGrads((a, b) => conv1d(a, b, geo), [x, w], FD64);
    },
  );

  test.prop([windowArb.chain((w) => fc.tuple(fc.constant(w), tensorArb([w.N, w.C, w.L])))], { numRuns: runs(30) })(
    "unfold1d gathers each receptive field (zeros in the padding); fold1d is its transpose; both differentiate twice",
    ([g, x]) => {
      const geo = { stride: g.stride, padding: g.padding, dilation: g.dilation };
      const cols = unfold1d(x, g.K, geo);
      const Lo = outLength(g);
      expect(cols.shape).toEqual([g.N, Lo, g.C, g.K]);
      const ref = new Float64Array(cols.size);
      for (let i = 0; i < ref.length; i++) {
        const [n, t, c, k] = unravel(i, cols.shape) as [number, number, number, number];
        const p = t * g.stride - g.padding + k * g.dilation;
        ref[i] = p >= 0 && p < g.L ? x.data[(n * g.C + c) * g.L + p]! : 0;
      }
      expect(cols).toBeAllclose(tensor(ref, { shape: cols.shape }), { rtol: 0, atol: 0 });
      checkOpGrads((t) => unfold1d(t, g.K, geo), [x], FD64);
      // adjointness ⟨unfold x, y⟩ = ⟨x, fold y⟩ defines fold1d independently of its implementation
      const y = tensor(Array.from({ length: cols.size }, (_, i) => Math.cos(i + 0.5)), { shape: cols.shape });
      const lhs = sum(tensor(Array.from(cols.data, (v, i) => v * y.data[i]!))).item();
      const folded = fold1d(y, g.L, geo);
      const rhs = Array.from(x.data).reduce((s, v, i) => s + v * folded.data[i]!, 0);
      expect(lhs).toBeAllclose(rhs, { rtol: 1e-12, atol: 1e-12 });
      checkOpGrads((t) => fold1d(t, g.L, geo), [y], FD64);
    },
  );

  const poolArb = windowArb
    // every window must cover at least one input element (maxPool1d rejects the rest)
    .filter((w) => Array.from({ length: outLength(w) }, (_, t) => t).every((t) =>
      Array.from({ length: w.K }, (_, k) => t * w.stride - w.padding + k * w.dilation).some((p) => p >= 0 && p < w.L)))
    .chain((w) => fc.tuple(fc.constant(w), tensorArb([w.N, w.C, w.L], -2, 2, (v) => distinct(v))));

  test.prop([poolArb], { numRuns: runs(40) })("maxPool1d (distinct values, −∞ padding) matches direct pooling; grads match FD", ([g, x]) => {
    const o = { kernel: g.K, stride: g.stride, padding: g.padding, dilation: g.dilation };
    expect(maxPool1d(x, o)).toBeAllclose(refPool1d(x, g.K, g.stride, g.padding, g.dilation, "max"), { rtol: 0, atol: 0 });
    checkOpGrads((t) => maxPool1d(t, o), [x], FD64);
  });

  test.prop([poolArb], { numRuns: runs(30) })("avgPool1d (zeros counted in the padding) matches direct pooling; grads match FD", ([g, x]) => {
    const o = { kernel: g.K, stride: g.stride, padding: g.padding, dilation: g.dilation };
    expect(avgPool1d(x, o)).toBeAllclose(refPool1d(x, g.K, g.stride, g.padding, g.dilation, "avg"), close);
    checkOpGrads((t) => avgPool1d(t, o), [x], FD64);
  });

  test("pooling stride defaults to the kernel size", () => {
    const x = tensor([[[1, 5, 2, 4, 3, 0]]]);
    expect(maxPool1d(x, { kernel: 2 })).toBeAllclose([[[5, 4, 3]]], { rtol: 0, atol: 0 });
    expect(avgPool1d(x, { kernel: 3 })).toBeAllclose([[[8 / 3, 7 / 3]]], { rtol: 1e-15, atol: 0 });
  });
});
