import { describe, expect, it } from "vitest";
import { slabStats } from "./dtype.js";
import {
  type Tensor, add, concat, grad, linear, matmul, mul, pad, relu, scatterAdd, sub, sum, tensor, tidy, treeMap, valueAndGrad, crossEntropy,
} from "./index.js";
import { randomTensor, rng } from "../test/fd.js";
import "../test/matchers.js";

type P = { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor };
const loss = (p: P, x: Tensor, y: Tensor) => crossEntropy(linear(linear(x, p.W1, p.b1, { activation: "relu" }), p.W2, p.b2), y);
const lossAndGrad = valueAndGrad(loss);
function step(p: P, x: Tensor, y: Tensor): { p: P; loss: number } {
  const [l, g] = lossAndGrad(p, x, y);
  return { p: treeMap((w: Tensor, gw: Tensor) => sub(w, mul(gw, 0.1)), p, g), loss: l.item() };
}

function setup() {
  const next = rng(3);
  // mid-sized tensors (carved from slabs): 64 B < size ≤ 128 KB
  const p: P = { W1: randomTensor(next, [20, 64]), b1: randomTensor(next, [64]), W2: randomTensor(next, [64, 10]), b2: randomTensor(next, [10]) };
  const x = randomTensor(next, [32, 20]);
  const y = tensor(Array.from({ length: 32 }, (_, i) => (i * 7) % 10), { dtype: "int32" });
  return { p, x, y };
}

describe("tidy", () => {
  it("gives the same training trajectory as without a scope, and returned tensors survive later scopes", () => {
    const { p: p0, x, y } = setup();
    let a = p0, b = p0;
    const la: number[] = [], lb: number[] = [];
    const snapshots: P[] = [];
    for (let t = 0; t < 30; t++) {
      const ra = step(a, x, y);
      a = ra.p;
      la.push(ra.loss);
      const rb = tidy(() => step(b, x, y));
      b = rb.p;
      lb.push(rb.loss);
      if (t % 10 === 0) snapshots.push({ ...b, W1: b.W1 });
    }
    expect(lb).toEqual(la);
    for (const k of ["W1", "b1", "W2", "b2"] as const) expect(Array.from(b[k].data)).toEqual(Array.from(a[k].data));
    // the inputs were never touched and earlier results still hold their values after 30 scopes
    expect(Array.from(snapshots[0]!.W1.data)).not.toEqual(Array.from(p0.W1.data));
    const replay = step(p0, x, y).p;
    expect(Array.from(snapshots[0]!.W1.data)).toEqual(Array.from(replay.W1.data));
  });

  it("reuses its slabs in the steady state instead of allocating new ones", () => {
    const { p: p0, x, y } = setup();
    let p = p0;
    for (let t = 0; t < 20; t++) p = tidy(() => step(p, x, y).p);
    const before = slabStats();
    for (let t = 0; t < 50; t++) p = tidy(() => step(p, x, y).p);
    const after = slabStats();
    expect(after.created - before.created).toBe(0);
    expect(after.reused - before.reused).toBeGreaterThan(0);
  });

  it("hands out zero-filled memory on reuse (pad, concat and scatterAdd accumulate into fresh buffers)", () => {
    const next = rng(9);
    const x = randomTensor(next, [30, 40]), s = randomTensor(next, [30, 3]);
    const idx = tensor([0, 2, 2], { dtype: "int32" });
    const ref = [pad(x, [[1, 2], [3, 4]]), concat([x, x], 1), scatterAdd(s, idx, [30, 5], 1, true)];
    // dirty many slabs, then recompute inside scopes that reuse them
    for (let t = 0; t < 5; t++) tidy(() => { for (let i = 0; i < 50; i++) add(x, 1e300); return null; });
    const got = tidy(() => [pad(x, [[1, 2], [3, 4]]), concat([x, x], 1), scatterAdd(s, idx, [30, 5], 1, true)]);
    got.forEach((g, i) => expect(Array.from(g.data)).toEqual(Array.from(ref[i]!.data)));
  });

  it("copies tensors out of nested arrays and plain objects, passes other values, nests", () => {
    const x = tensor([[1, 2], [3, 4]]);
    const big = randomTensor(rng(1), [16, 16]);
    const r = tidy(() => {
      const inner = tidy(() => ({ m: matmul(big, big), n: 3 }));
      return { list: [relu(big), inner.m], label: "ok", n: inner.n, same: x };
    });
    expect(r.label).toBe("ok");
    expect(r.n).toBe(3);
    expect(r.same).toBe(x);
    for (let t = 0; t < 10; t++) tidy(() => { for (let i = 0; i < 20; i++) add(big, 5); return null; });
    expect(r.list[0]).toBeAllclose(relu(big), { rtol: 0, atol: 0 });
    expect(r.list[1]).toBeAllclose(matmul(big, big), { rtol: 0, atol: 0 });
  });

  it("is transparent inside a transform's trace and rethrows errors", () => {
    const x = randomTensor(rng(2), [5, 20]);
    const g1 = grad((t: Tensor) => tidy(() => sum(mul(t, t))))(x);
    expect(g1).toBeAllclose(mul(x, 2), { rtol: 0, atol: 0 });
    expect(() => tidy(() => { add(x, 1); throw new Error("boom"); })).toThrow("boom");
    expect(Array.from(tidy(() => add(x, 1)).data)).toEqual(Array.from(add(x, 1).data));
  });
});
