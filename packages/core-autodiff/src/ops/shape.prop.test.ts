import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  type Tensor, broadcastTo, concat, expandDims, flip, gather, pad, permute, reshape, roll, scatterAdd, slice, squeeze, stack,
  take, takeAlongAxis, tensor, transpose, zeros,
} from "../index.js";
import { anyTensorArb, broadcastShapesArb, runs, shapeArb, tensorArb } from "../../test/arbitraries.js";
import { FD64, checkOpGrads } from "../../test/fd.js";
import "../../test/matchers.js";
import { ravel, refElementwise, unravel } from "../../test/reference.js";

const exact = { rtol: 0, atol: 0 } as const;
const sizeOf = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/** out[j] = x[src(j)] over every output multi-index: the generic reference for index-moving ops. */
function refGather(outShape: readonly number[], x: Tensor, src: (j: number[]) => number[] | null): Tensor {
  const out = new Float64Array(sizeOf(outShape));
  for (let i = 0; i < out.length; i++) {
    const s = src(unravel(i, outShape));
    out[i] = s === null ? 0 : x.data[ravel(s, x.shape)]!;
  }
  return tensor(out, { shape: outShape });
}

const tensorWithAxisArb = (o: Parameters<typeof shapeArb>[0] = {}) =>
  shapeArb({ minRank: 1, maxRank: 3, ...o }).chain((s) => fc.tuple(tensorArb(s), fc.integer({ min: -s.length, max: s.length - 1 })));

const norm = (a: number, nd: number) => (a < 0 ? a + nd : a);

describe("layout ops: forward against NumPy semantics, first and second order against FD", () => {
  test.prop([shapeArb({ maxRank: 4 }).chain((s) => fc.tuple(tensorArb(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length })))], { numRuns: runs(30) })(
    "transpose / permute",
    ([x, perm]) => {
      const shape = perm.map((p) => x.shape[p]!);
      const ref = refGather(shape, x, (j) => { const s = new Array<number>(x.ndim); perm.forEach((p, k) => (s[p] = j[k]!)); return s; });
      expect(permute(x, perm)).toBeAllclose(ref, exact);
      checkOpGrads((t) => transpose(t, perm), [x], FD64);
      // default transpose reverses the axes
      const rev = x.shape.map((_, i) => x.ndim - 1 - i);
      expect(transpose(x)).toBeAllclose(permute(x, rev), exact);
    },
  );

  test.prop([anyTensorArb({ maxRank: 3 }), fc.integer({ min: 0, max: 2 })], { numRuns: runs(25) })("reshape (with −1), expandDims, squeeze", (x, where) => {
    const flat = reshape(x, [-1]);
    expect(flat.toFlatArray()).toEqual(x.toFlatArray());
    expect(flat.shape).toEqual([x.size]);
    checkOpGrads((t) => reshape(t, [x.size, 1]), [x], FD64);
    const ax = Math.min(where, x.ndim);
    const e = expandDims(x, ax);
    expect(e.shape).toEqual([...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)]);
    checkOpGrads((t) => expandDims(t, ax), [x], FD64);
    expect(squeeze(e, ax).shape).toEqual(x.shape);
    checkOpGrads((t) => squeeze(expandDims(t, ax)), [x], FD64);
  });

  test.prop([broadcastShapesArb(1).chain(({ out, operands: [s] }) => fc.tuple(fc.constant(out), tensorArb(s!)))], { numRuns: runs(30) })(
    "broadcastTo",
    ([shape, x]) => {
      expect(broadcastTo(x, shape)).toBeAllclose(refElementwise((v) => v, x, zeros(shape)), exact);
      checkOpGrads((t) => broadcastTo(t, shape), [x], FD64);
    },
  );

  const sliceArb = shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((s) =>
    fc.tuple(
      tensorArb(s),
      fc.tuple(...s.map((d) => fc.oneof(
        fc.constant(null),
        fc.integer({ min: -d, max: d - 1 }),
        fc.tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 0, max: d })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]),
      ))),
    ),
  );

  test.prop([sliceArb], { numRuns: runs(30) })("slice (ranges, single indices, negative indices)", ([x, spec]) => {
    const begin = x.shape.map((d, i) => { const r = spec[i]; return r === null || r === undefined ? 0 : typeof r === "number" ? norm(r, d) : r[0]; });
    const size = x.shape.map((d, i) => { const r = spec[i]; return r === null || r === undefined ? d : typeof r === "number" ? 1 : r[1] - r[0]; });
    expect(slice(x, spec)).toBeAllclose(refGather(size, x, (j) => j.map((v, k) => v + begin[k]!)), exact);
    checkOpGrads((t) => slice(t, spec), [x], FD64);
  });

  test.prop([shapeArb({ minRank: 1, maxRank: 3 }).chain((s) => fc.tuple(tensorArb(s), fc.tuple(...s.map(() => fc.tuple(fc.nat(2), fc.nat(2))))))], { numRuns: runs(30) })(
    "pad",
    ([x, widths]) => {
      const shape = x.shape.map((d, i) => d + widths[i]![0] + widths[i]![1]);
      const ref = refGather(shape, x, (j) => { const s = j.map((v, k) => v - widths[k]![0]); return s.every((v, k) => v >= 0 && v < x.shape[k]!) ? s : null; });
      expect(pad(x, widths)).toBeAllclose(ref, exact);
      checkOpGrads((t) => pad(t, widths), [x], FD64);
    },
  );

  const concatArb = shapeArb({ minRank: 1, maxRank: 3 }).chain((s) =>
    fc.integer({ min: 0, max: s.length - 1 }).chain((ax) =>
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }).chain((lens) =>
        fc.tuple(fc.constant(ax), fc.tuple(...lens.map((l) => tensorArb(s.map((d, i) => (i === ax ? l : d))))))),
    ),
  );

  test.prop([concatArb], { numRuns: runs(30) })("concat (including empty pieces)", ([ax, xs]) => {
    const shape = [...xs[0]!.shape];
    shape[ax] = xs.reduce((p, t) => p + t.shape[ax]!, 0);
    const out = concat(xs, ax);
    const starts = xs.map((_, i) => xs.slice(0, i).reduce((p, t) => p + t.shape[ax]!, 0));
    const ref = new Float64Array(sizeOf(shape));
    for (let i = 0; i < ref.length; i++) {
      const j = unravel(i, shape);
      const piece = starts.findLastIndex((st, k) => j[ax]! >= st && xs[k]!.shape[ax]! > 0);
      const src = [...j];
      src[ax] = j[ax]! - starts[piece]!;
      ref[i] = xs[piece]!.data[ravel(src, xs[piece]!.shape)]!;
    }
    expect(out).toBeAllclose(tensor(ref, { shape }), exact);
    checkOpGrads((...ts) => concat(ts, ax), xs, FD64);
  });

  test.prop([shapeArb({ maxRank: 2 }).chain((s) => fc.tuple(fc.integer({ min: 0, max: s.length }), fc.array(tensorArb(s), { minLength: 1, maxLength: 3 })))], { numRuns: runs(25) })(
    "stack",
    ([ax, xs]) => {
      const shape = [...xs[0]!.shape];
      shape.splice(ax, 0, xs.length);
      const ref = new Float64Array(sizeOf(shape));
      for (let i = 0; i < ref.length; i++) {
        const j = unravel(i, shape);
        const k = j.splice(ax, 1)[0]!;
        ref[i] = xs[k]!.data[ravel(j, xs[k]!.shape)]!;
      }
      expect(stack(xs, ax)).toBeAllclose(tensor(ref, { shape }), exact);
      checkOpGrads((...ts) => stack(ts, ax), xs, FD64);
    },
  );

  test.prop([shapeArb({ minRank: 1, maxRank: 3 }).chain((s) => fc.tuple(tensorArb(s), fc.subarray(s.map((_, i) => i))))], { numRuns: runs(25) })(
    "flip",
    ([x, axes]) => {
      const ref = refGather(x.shape, x, (j) => j.map((v, k) => (axes.includes(k) ? x.shape[k]! - 1 - v : v)));
      expect(flip(x, axes)).toBeAllclose(ref, exact);
      checkOpGrads((t) => flip(t, axes), [x], FD64);
    },
  );

  test.prop([tensorWithAxisArb({ maxDim: 4 }), fc.integer({ min: -9, max: 9 })], { numRuns: runs(30) })(
    "roll (negative and larger-than-extent shifts): element i moves to (i + shift) mod n",
    ([x, axis], shift) => {
      const ax = norm(axis, x.ndim);
      const n = x.shape[ax]!;
      const ref = refGather(x.shape, x, (j) => j.map((v, k) => (k === ax ? (((v - shift) % n) + n) % n : v)));
      expect(roll(x, shift, axis)).toBeAllclose(ref, exact);
      checkOpGrads((t) => roll(t, shift, axis), [x], FD64);
    },
  );

  const takeArb = tensorWithAxisArb().chain(([x, axis]) => {
    const n = x.shape[norm(axis, x.ndim)]!;
    return shapeArb({ maxRank: 2 }).chain((is) =>
      fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: sizeOf(is), maxLength: sizeOf(is) })
        .map((v) => [x, axis, tensor(v, { shape: is, dtype: "int32" })] as const));
  });

  test.prop([takeArb], { numRuns: runs(30) })("take / gather with multi-dimensional (and repeated) indices", ([x, axis, idx]) => {
    const ax = norm(axis, x.ndim);
    const shape = [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)];
    const ref = refGather(shape, x, (j) => {
      const ii = j.slice(ax, ax + idx.ndim);
      return [...j.slice(0, ax), idx.data[ravel(ii, idx.shape)]!, ...j.slice(ax + idx.ndim)];
    });
    expect(take(x, idx, axis)).toBeAllclose(ref, exact);
    expect(gather(x, idx, axis)).toBeAllclose(ref, exact);
    checkOpGrads((t) => take(t, idx, axis), [x], FD64);
  });

  const alongArb = tensorWithAxisArb().chain(([x, axis]) => {
    const ax = norm(axis, x.ndim);
    return fc.integer({ min: 0, max: 4 }).chain((m) => {
      const is = x.shape.map((d, i) => (i === ax ? m : d));
      return fc.array(fc.integer({ min: 0, max: x.shape[ax]! - 1 }), { minLength: sizeOf(is), maxLength: sizeOf(is) })
        .map((v) => [x, axis, tensor(v, { shape: is, dtype: "int32" })] as const);
    });
  });

  test.prop([alongArb], { numRuns: runs(30) })("takeAlongAxis", ([x, axis, idx]) => {
    const ax = norm(axis, x.ndim);
    const ref = refGather(idx.shape, x, (j) => j.map((v, k) => (k === ax ? idx.data[ravel(j, idx.shape)]! : v)));
    expect(takeAlongAxis(x, idx, axis)).toBeAllclose(ref, exact);
    checkOpGrads((t) => takeAlongAxis(t, idx, axis), [x], FD64);
  });

  test.prop([alongArb, fc.boolean()], { numRuns: runs(30) })("scatterAdd (shared and along-axis indices) is the transpose of take", ([x, axis, idx], shared) => {
    const ax = norm(axis, x.ndim);
    const srcShape = shared ? [...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)] : idx.shape;
    const src = tensor(Array.from({ length: sizeOf(srcShape) }, (_, i) => Math.sin(3 * i + 1)), { shape: srcShape });
    const ref = new Float64Array(x.size);
    for (let i = 0; i < src.size; i++) {
      const j = unravel(i, srcShape);
      const dst = shared
        ? [...j.slice(0, ax), idx.data[ravel(j.slice(ax, ax + idx.ndim), idx.shape)]!, ...j.slice(ax + idx.ndim)]
        : j.map((v, k) => (k === ax ? idx.data[ravel(j, idx.shape)]! : v));
      const d = ravel(dst, x.shape);
      ref[d] = ref[d]! + src.data[i]!;
    }
    expect(scatterAdd(src, idx, x.shape, axis, shared)).toBeAllclose(tensor(ref, { shape: x.shape }), { rtol: 1e-15, atol: 1e-15 });
    checkOpGrads((s) => scatterAdd(s, idx, x.shape, axis, shared), [src], FD64);
  });
});
