import {
  type Tensor, type Tree, ShapeError, mul, normal, prngKey, sum, tensor, treeFlatten, treeSize, treeUnflatten, valueAndGrad,
} from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { type GruCellParams, type GruParams, gru } from "./gru.js";
import type { ForwardContext, Site } from "./plugin.js";

const key = prngKey(3);
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** PyTorch's nn.GRU equations with plain loops (one direction, inputSize 1): outputs [L][N][H]. */
function referenceCell(p: GruCellParams, x: number[][], reverse: boolean): number[][][] {
  const H = p.bir.shape[0]!;
  const get = (t: Tensor) => Array.from(t.data);
  const [wir, wiz, win, whr, whz, whn, bir, biz, bin, bhr, bhz, bhn] =
    [p.wir, p.wiz, p.win, p.whr, p.whz, p.whn, p.bir, p.biz, p.bin, p.bhr, p.bhz, p.bhn].map(get) as number[][];
  const L = x[0]!.length;
  const out: number[][][] = Array.from({ length: L }, () => []);
  x.forEach((row, i) => {
    let h = new Array<number>(H).fill(0);
    for (let k = 0; k < L; k++) {
      const t = reverse ? L - 1 - k : k;
      const xt = row[t]!;
      const hh = (w: number[], b: number[], j: number) => h.reduce((s, hv, m) => s + hv * w[m * H + j]!, b[j]!);
      const next = h.map((hv, j) => {
        const r = sigmoid(xt * wir![j]! + bir![j]! + hh(whr!, bhr!, j));
        const z = sigmoid(xt * wiz![j]! + biz![j]! + hh(whz!, bhz!, j));
        const n = Math.tanh(xt * win![j]! + bin![j]! + r * hh(whn!, bhn!, j));
        return (1 - z) * n + z * hv;
      });
      h = next;
      out[t]![i] = h;
    }
  });
  return out;
}

describe("gru", () => {
  it("is the MNIST-1D reference GRU: 5,134 parameters, logits [N, 10]", () => {
    const m = gru();
    const p = m.init(key);
    expect(treeSize(p)).toBe(5134);
    expect(m.apply(p, normal(key, [2, 40])).shape).toEqual([2, 10]);
    expect(m.apply(p, normal(key, [2, 40, 1])).shape).toEqual([2, 10]);
    expect(treeSize(gru({ bidirectional: false }).init(key))).toBe(162 + 240 * 10 + 10);
    // PyTorch's init: every recurrent weight in U(±1/√H).
    for (const leaf of treeFlatten(p.forward)[0]) for (const v of leaf.data) expect(Math.abs(v)).toBeLessThanOrEqual(1 / Math.sqrt(6));
  });

  it("matches PyTorch's GRU equations run by hand, both directions, flattened time-major", () => {
    const L = 5, H = 3, N = 2;
    const m = gru({ inputLength: L, hidden: H, outputs: 4 });
    const p = m.init(key);
    const xs = [[0.5, -1, 2, 0.1, -0.3], [1, 0, -0.5, 0.7, 0.2]];
    const fwd = referenceCell(p.forward, xs, false);
    const bwd = referenceCell(p.backward!, xs, true);
    const w = Array.from(p.head.w.data);
    const b = Array.from(p.head.b!.data);
    const got = m.apply(p, tensor(xs)).toArray() as number[][];
    for (let i = 0; i < N; i++) {
      const feats: number[] = [];
      for (let t = 0; t < L; t++) feats.push(...fwd[t]![i]!, ...bwd[t]![i]!);
      const want = b.map((bj, j) => feats.reduce((s, f, k) => s + f * w[k * 4 + j]!, bj));
      want.forEach((v, j) => expect(got[i]![j]).toBeCloseTo(v, 12));
    }
  });

  it("has gradients equal to central finite differences (float64) for every parameter, through the recurrence", () => {
    const m = gru({ inputLength: 6, hidden: 3, outputs: 2 });
    const p0 = m.init(key);
    const x = normal(prngKey(4), [3, 6]);
    const probe = normal(prngKey(5), [3, 2]);
    const loss = (q: GruParams) => sum(mul(m.apply(q, x), probe));
    const [, g] = valueAndGrad(loss)(p0);
    const [leaves, def] = treeFlatten(p0 as unknown as Tree);
    const gLeaves = treeFlatten(g as unknown as Tree)[0];
    const eps = 1e-6;
    let checked = 0;
    leaves.forEach((leaf, li) => {
      for (let j = 0; j < leaf.size; j++) {
        const at = (delta: number) => {
          const data = Float64Array.from(leaf.data);
          data[j]! += delta;
          const moved = leaves.map((l, k) => (k === li ? tensor(data, { shape: [...l.shape] }) : l));
          return loss(treeUnflatten(def, moved) as unknown as GruParams).item();
        };
        const fd = (at(eps) - at(-eps)) / (2 * eps);
        const an = gLeaves[li]!.data[j]!;
        expect(Math.abs(an - fd)).toBeLessThanOrEqual(1e-7 + 1e-6 * Math.abs(fd));
        checked++;
      }
    });
    expect(checked).toBe(treeSize(p0));
    // The recurrent weights actually matter: their gradient is not identically zero.
    expect(Array.from(gLeaves[treeFlatten(p0 as unknown as Tree)[0].indexOf(p0.forward.whz)]!.data).some((v) => v !== 0)).toBe(true);
  });

  it("calls the input and hidden0 sites and rejects wrong input shapes", () => {
    const seen: [string, number[]][] = [];
    const ctx: ForwardContext = { mode: "train", site: (s: Site, h: Tensor) => (seen.push([s.name, [...h.shape]]), h) };
    const m = gru({ inputLength: 4, hidden: 2 });
    m.apply(m.init(key), normal(key, [3, 4]), ctx);
    expect(seen).toEqual([["input", [3, 4]], ["hidden0", [3, 16]]]);
    expect(() => m.apply(m.init(key), normal(key, [3, 5]))).toThrow(ShapeError);
    expect(() => gru({ hidden: 0 })).toThrow(/gru.hidden/);
  });
});
