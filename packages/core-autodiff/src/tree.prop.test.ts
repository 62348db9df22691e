import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type Tensor, type Tree, ShapeError, ValueError, grad, mul, tensor, treeAdd, treeAllFinite, treeDot, treeFlatten, treeLeaves, treeMap,
  treeNorm, treeReduce, treeScale, treeSize, treeSquaredNorm, treeSub, treeUnflatten, treeZerosLike,
} from "./index.js";
import { anyTensorArb, runs } from "../test/arbitraries.js";
import "../test/matchers.js";

/** Random pytrees: tensors nested in arrays and plain objects (keys in any insertion order). */
const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    anyTensorArb({ maxRank: 2 }),
    fc.array(tie("tree"), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), tie("tree"), { maxKeys: 3 }).map((d) => ({ ...d }) as Tree),
  ),
})).tree;

/** Structural equality with leaves compared by identity (so order mistakes are caught). */
function sameTree(a: unknown, b: unknown): boolean {
  if (a instanceof Object && "dtype" in (a as object)) return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameTree(x, b[i]));
  const ka = Object.keys(a as object).sort(), kb = Object.keys(b as object).sort();
  return ka.join("\u0000") === kb.join("\u0000") && ka.every((k) => sameTree((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

describe("pytrees", () => {
  test.prop([treeArb], { numRuns: runs(50) })("treeUnflatten(treeFlatten(t)) rebuilds t with the same leaves", (t) => {
    const [leaves, def] = treeFlatten(t);
    expect(sameTree(treeUnflatten(def, leaves), t)).toBe(true);
    expect(treeLeaves(t)).toEqual(leaves);
    expect(treeSize(t)).toBe(leaves.reduce((p, l) => p + l.size, 0));
  });

  test.prop([treeArb], { numRuns: runs(40) })("treeMap keeps the structure; treeAdd/treeSub/treeScale act leafwise", (t) => {
    const doubled = treeScale(t, 2);
    const [ld, dd] = treeFlatten(doubled), [lt, dt] = treeFlatten(t);
    expect(dd).toEqual(dt);
    ld.forEach((l, i) => expect(l).toBeAllclose(mul(lt[i]!, 2), { rtol: 0, atol: 0 }));
    treeLeaves(treeSub(treeAdd(t, t), doubled)).forEach((l) => expect(l).toBeAllclose(mul(l, 0), { rtol: 0, atol: 0 }));
    treeLeaves(treeZerosLike(t)).forEach((l, i) => expect(l.shape).toEqual(lt[i]!.shape));
  });

  test.prop([treeArb], { numRuns: runs(40) })("treeDot(t, t) = treeSquaredNorm(t) = treeNorm(t)² = Σ of squares", (t) => {
    const ss = treeReduce((acc, l) => acc + Array.from(l.data).reduce((a, v) => a + v * v, 0), t, 0);
    expect(treeDot(t, t)).toBeAllclose(ss, { rtol: 1e-12, atol: 1e-12 });
    expect(treeSquaredNorm(t)).toBeAllclose(ss, { rtol: 1e-12, atol: 1e-12 });
    expect(treeNorm(t) ** 2).toBeAllclose(ss, { rtol: 1e-12, atol: 1e-12 });
  });

  it("flattens object keys in sorted order, whatever the insertion order", () => {
    const a = tensor(1), b = tensor(2), c = tensor(3);
    expect(treeLeaves({ b, a, c: [c] })).toEqual([a, b, c]);
    expect(treeLeaves({ c: [c], a, b })).toEqual([a, b, c]);
  });

  it("keeps awkward keys such as __proto__ as own keys", () => {
    const t = JSON.parse('{"__proto__": [], "constructor": []}') as Tree;
    const [leaves, def] = treeFlatten(t);
    expect(Object.keys(treeUnflatten(def, leaves))).toEqual(["__proto__", "constructor"]);
  });

  it("treeMap over mismatched structures throws ShapeError", () => {
    const x = tensor([1]);
    expect(() => treeMap((p, q) => q!, { a: x }, { b: x })).toThrow(ShapeError);
    expect(() => treeMap((p, q) => q!, [x, x], [x])).toThrow(/treeMap: trees have different structures/);
    expect(() => treeMap((p, q) => q!, { a: [x] }, { a: x })).toThrow(ShapeError);
  });

  it("rejects non-tree values with ValueError naming the path", () => {
    expect(() => treeFlatten({ w: tensor(1), cfg: { lr: 0.1 } } as unknown as Tree)).toThrow(ValueError);
    expect(() => treeFlatten({ w: tensor(1), cfg: { lr: 0.1 } } as unknown as Tree)).toThrow(/tree: \.cfg\.lr is number/);
    expect(() => treeFlatten([tensor(1), null] as unknown as Tree)).toThrow(/\[1\] is null/);
  });

  it("treeUnflatten checks the leaf count", () => {
    const [, def] = treeFlatten({ a: tensor(1), b: tensor(2) });
    expect(() => treeUnflatten(def, [tensor(1)])).toThrow(ShapeError);
    expect(() => treeUnflatten(def, [tensor(1), tensor(2), tensor(3)])).toThrow(/treeUnflatten: 3 leaves for a structure of 2/);
  });

  it("treeAllFinite spots NaN and Inf anywhere", () => {
    expect(treeAllFinite({ a: tensor([1, 2]), b: [tensor(3)] })).toBe(true);
    expect(treeAllFinite({ a: tensor([1, 2]), b: [tensor(NaN)] })).toBe(false);
    expect(treeAllFinite([tensor([Infinity])])).toBe(false);
  });

  it("treeDot and treeSquaredNorm are differentiable: ∇‖p‖² = 2p over a tree", () => {
    const p = { w: tensor([[1, -2]]), b: [tensor(0.5)] };
    const g = grad((q: typeof p) => treeSquaredNorm(q))(p);
    expect(g.w).toBeAllclose([[2, -4]], { rtol: 0, atol: 0 });
    expect(g.b[0]).toBeAllclose(1, { rtol: 0, atol: 0 });
    const v = { w: tensor([[3, 1]]), b: [tensor(2)] };
    const gd = grad((q: typeof p) => treeDot(q, v))(p);
    expect(gd.w).toBeAllclose(v.w, { rtol: 0, atol: 0 });
    expect((gd.b[0] as Tensor).item()).toBe(2);
  });
});
