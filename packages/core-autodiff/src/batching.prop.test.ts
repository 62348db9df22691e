// Properties of vmap's batching interpreter: on random shapes, broadcasting patterns, axes and
// mappings, the batched call equals the loop (vmap({ loop: true })) bit for bit, values and
// per-example gradients alike.
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { type Tensor, add, grad, max, maximum, mul, square, sub, sum, tanh, transpose, vmap, where, gt } from "./index.js";
import { broadcastShapesArb, runs, shapeArb, tensorArb } from "../test/arbitraries.js";
import "../test/matchers.js";

const EXACT = { rtol: 0, atol: 0 };
const OPS = { add, sub, mul, maximum } as const;

/** A batch of B tensors of `shape` stacked on a leading axis (mapped), or one tensor (unmapped). */
const operand = (shape: readonly number[], mapped: boolean, B: number) => tensorArb(mapped ? [B, ...shape] : shape);

const binaryCase = fc
  .record({ shapes: broadcastShapesArb(2), B: fc.integer({ min: 1, max: 3 }), m: fc.constantFrom([0, 0], [0, null], [null, 0]) as fc.Arbitrary<(0 | null)[]>, op: fc.constantFrom(...(Object.keys(OPS) as (keyof typeof OPS)[])) })
  .chain(({ shapes, B, m, op }) => fc.record({
    m: fc.constant(m), op: fc.constant(op),
    a: operand(shapes.operands[0]!, m[0] === 0, B), b: operand(shapes.operands[1]!, m[1] === 0, B),
  }));

const reduceCase = fc
  .record({ shape: shapeArb({ minRank: 1, maxRank: 3 }), B: fc.integer({ min: 1, max: 3 }), keepdims: fc.boolean(), seed: fc.integer({ min: 0, max: 1000 }) })
  .chain(({ shape, B, keepdims, seed }) => fc.record({
    x: tensorArb([B, ...shape]), keepdims: fc.constant(keepdims),
    axes: fc.subarray(shape.map((_, i) => i), { minLength: 1 }),
    perm: fc.constant(shape.map((_, i) => i).sort((i, j) => Math.sin(seed + i) - Math.sin(seed + j))),
  }));

describe("vmap equals the loop", () => {
  test.prop([binaryCase], { numRuns: runs(60) })("binary ops under any broadcasting pattern and mapping (values and per-example gradients)", ({ m, op, a, b }) => {
    const f = (x: Tensor, y: Tensor) => tanh(OPS[op](x, y));
    expect(vmap(f, m)(a, b)).toBeAllclose(vmap(f, m, { loop: true })(a, b), EXACT);
    const g = (x: Tensor, y: Tensor) => grad((p: Tensor[]) => sum(square(f(p[0]!, p[1]!))))([x, y]);
    const [gb, gl] = [vmap(g, m)(a, b), vmap(g, m, { loop: true })(a, b)];
    gb.forEach((t, i) => expect(t).toBeAllclose(gl[i]!, { rtol: 1e-12, atol: 1e-14 }));
  });

  test.prop([reduceCase], { numRuns: runs(60) })("reductions over any axes after any transpose, and where on the result", ({ x, axes, keepdims, perm }) => {
    const f = (v: Tensor) => {
      const t = transpose(v, perm);
      const s = add(sum(t, { axis: axes, keepdims }), max(t, { axis: axes, keepdims }));
      return where(gt(s, 0), s, mul(s, 0.5));
    };
    expect(vmap(f)(x)).toBeAllclose(vmap(f, undefined, { loop: true })(x), EXACT);
  });
});
