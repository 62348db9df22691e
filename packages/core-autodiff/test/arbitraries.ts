// fast-check arbitraries for shapes and float64 tensors, plus value maps that keep test points
// away from kinks (relu, abs, clip) and ties (max, maximum).
import { fc } from "@fast-check/vitest";
import { type Tensor, tensor } from "../src/index.js";

/** numRuns for a property: FC_NUM_RUNS overrides the per-test default (kept moderate for a 2-core CI). */
export function runs(n: number): number {
  return process.env.FC_NUM_RUNS !== undefined ? Number(process.env.FC_NUM_RUNS) : n;
}

/** Shapes with rank in [minRank, maxRank] and extents in [minDim, maxDim]. */
export function shapeArb(o: { minRank?: number; maxRank?: number; minDim?: number; maxDim?: number } = {}): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: o.minDim ?? 1, max: o.maxDim ?? 3 }), { minLength: o.minRank ?? 0, maxLength: o.maxRank ?? 3 });
}

/** `n` doubles in [lo, hi] (no NaN/Inf). */
export function valuesArb(n: number, lo: number, hi: number): fc.Arbitrary<number[]> {
  return fc.array(fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n });
}

const sizeOf = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

/** A float64 tensor of the given shape with values in [lo, hi], optionally mapped. */
export function tensorArb(shape: readonly number[], lo = -2, hi = 2, map: (v: number[]) => number[] = (v) => v): fc.Arbitrary<Tensor> {
  return valuesArb(sizeOf(shape), lo, hi).map((v) => tensor(map(v), { shape }));
}

/** A random-shaped float64 tensor. */
export function anyTensorArb(o: Parameters<typeof shapeArb>[0] = {}, lo = -2, hi = 2, map?: (v: number[]) => number[]): fc.Arbitrary<Tensor> {
  return shapeArb(o).chain((s) => tensorArb(s, lo, hi, map));
}

/**
 * An output shape and `k` operand shapes that broadcast to it: each operand drops some leading
 * axes and turns some extents into 1 (NumPy rules), so every broadcasting pattern appears.
 */
export function broadcastShapesArb(k: number, maxRank = 3): fc.Arbitrary<{ out: number[]; operands: number[][] }> {
  return shapeArb({ maxRank, maxDim: 3 }).chain((out) =>
    fc
      .array(
        fc.tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length })),
        { minLength: k, maxLength: k },
      )
      .map((specs) => ({
        out,
        operands: specs.map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d))),
      })),
  );
}

/** Move values within δ of any of `points` to distance δ (kinks of relu/abs/clip at those points). */
export function awayFrom(points: readonly number[], delta: number): (v: number[]) => number[] {
  return (v) =>
    v.map((x) => {
      let y = x;
      for (const p of points) if (Math.abs(y - p) < delta) y = p + (y >= p ? delta : -delta);
      return y;
    });
}

/** Make values pairwise distinct (gaps ≥ 0.5·span/n) keeping their order: no ties for max/min. */
export function distinct(v: number[], lo = -2, hi = 2): number[] {
  const n = v.length;
  const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(n);
  const step = (hi - lo) / Math.max(n, 1);
  order.forEach(([x, i], r) => {
    // the fractional part of x jitters the value inside its slot without breaking the order
    const frac = Math.abs(x) % 1;
    out[i] = lo + step * (r + 0.25 + 0.5 * frac);
  });
  return out;
}

/** Values away from 0 in magnitude range [lo, hi], either sign (denominators, abs, relu). */
export function signedMagnitude(lo: number, hi: number): (v: number[]) => number[] {
  return (v) => v.map((x) => (x < 0 ? -1 : 1) * (lo + (hi - lo) * (Math.abs(x) % 1)));
}
