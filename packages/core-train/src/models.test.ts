import { type Tensor, ArgumentError, ShapeError, normal, prngKey, sse, tensor, treeFlatten, treeSize, valueAndGrad } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { gaborData } from "../test/helpers.js";
import { conv1dNet } from "./conv1d-net.js";
import { FitOptionsError } from "./errors.js";
import { gabor, gaborFunction } from "./gabor.js";
import { gru } from "./gru.js";
import { linear } from "./linear.js";
import { mlp } from "./mlp.js";
import type { ForwardContext, Site } from "./plugin.js";
import { shallowNet, shallowNetLearnedJoints } from "./shallow-net.js";

const key = prngKey(0);
/** A ForwardContext that records the sites it sees. */
const spyCtx = (seen: [string, number[]][]): ForwardContext => ({ mode: "train", site: (s: Site, h: Tensor) => (seen.push([s.name, [...h.shape]]), h) });
const arr = (t: Tensor) => Array.from(t.data);

describe("linear", () => {
  it("computes y = x @ W + b with W [in, out]", () => {
    const m = linear({ inputs: 2, outputs: 3 });
    const p = { w: tensor([[1, 2, 3], [4, 5, 6]]), b: tensor([0.5, 0, -1]) };
    expect(m.apply(p, tensor([[1, 1], [0, 2]])).toArray()).toEqual([[5.5, 7, 8], [8.5, 10, 11]]);
    expect(m.init(key).w.shape).toEqual([2, 3]);
    expect(treeSize(linear({ inputs: 40, outputs: 10 }).init(key))).toBe(410);
    expect(linear({ inputs: 2, outputs: 3, bias: false }).init(key).b).toBeUndefined();
  });
});

describe("mlp", () => {
  it("is the MNIST-1D reference MLP: 15,210 parameters, logits [N, 10], sites input/hidden0/hidden1", () => {
    const m = mlp({ widths: [40, 100, 100, 10], residual: true });
    const p = m.init(key);
    expect(treeSize(p)).toBe(15210);
    const seen: [string, number[]][] = [];
    const y = m.apply(p, normal(key, [7, 40]), spyCtx(seen));
    expect(y.shape).toEqual([7, 10]);
    expect(seen).toEqual([["input", [7, 40]], ["hidden0", [7, 100]], ["hidden1", [7, 100]]]);
    expect(m.sites?.map((s) => [s.name, s.index, s.kind])).toEqual([["input", 0, "input"], ["hidden0", 1, "hidden"], ["hidden1", 2, "hidden"]]);
  });

  it("adds the skip h + act(W h + b) on equal-width hidden layers when residual", () => {
    const p = { layers: [{ w: tensor([[1, -1]]), b: tensor([0, 0]) }, { w: tensor([[1, 0], [0, 1]]), b: tensor([0, 0]) }, { w: tensor([[1], [1]]), b: tensor([0]) }] };
    const x = tensor([[2]]);
    // h0 = relu([2, −2]) = [2, 0]; residual: h1 = h0 + relu(h0) = [4, 0]; plain: h1 = [2, 0]
    expect(arr(mlp({ widths: [1, 2, 2, 1], residual: true }).apply(p, x))).toEqual([4]);
    expect(arr(mlp({ widths: [1, 2, 2, 1] }).apply(p, x))).toEqual([2]);
    // tanh: h0 = [t, −t] with t = tanh 2, h1 = [tanh t, −tanh t], y = h1 · [1, 2] = −tanh t
    const q = { layers: [p.layers[0]!, p.layers[1]!, { w: tensor([[1], [2]]), b: tensor([0]) }] };
    expect(arr(mlp({ widths: [1, 2, 2, 1], activation: "tanh" }).apply(q, x))[0]).toBeCloseTo(-Math.tanh(Math.tanh(2)), 15);
  });

  it("rejects bad widths, activations and input shapes with errors naming them", () => {
    expect(() => mlp({ widths: [40] })).toThrow(FitOptionsError);
    expect(() => mlp({ widths: [40, 0, 10] })).toThrow(/mlp.widths\[1\]/);
    expect(() => mlp({ widths: [4, 2], activation: "gelu" as never })).toThrow(/mlp.activation/);
    const m = mlp({ widths: [4, 2] });
    expect(() => m.apply(m.init(key), normal(key, [3, 5]))).toThrow(ShapeError);
  });

  it("draws float32 parameters when asked", () => {
    const p = mlp({ widths: [4, 2], dtype: "float32" }).init(key);
    expect(treeFlatten(p)[0].map((l) => l.dtype)).toEqual(["float32", "float32"]);
  });
});

/** Loop-based reference of the CNN (PyTorch Conv1d semantics, channel-major flatten). */
function referenceCnn(p: ReturnType<ReturnType<typeof conv1dNet>["init"]>, x: number[][], geom: [number, number, number][]): number[][] {
  return x.map((row) => {
    let h: number[][] = [row];
    p.convs.forEach((c, li) => {
      const [K, stride, pad] = geom[li]!;
      const [Cout, Cin] = c.w.shape as [number, number, number];
      const L = h[0]!.length;
      const Lo = Math.floor((L + 2 * pad - K) / stride) + 1;
      const out: number[][] = [];
      for (let o = 0; o < Cout; o++) {
        out.push([]);
        for (let t = 0; t < Lo; t++) {
          let s = c.b!.data[o]!;
          for (let ci = 0; ci < Cin; ci++) for (let k = 0; k < K; k++) {
            const pos = t * stride + k - pad;
            if (pos >= 0 && pos < L) s += c.w.data[(o * Cin + ci) * K + k]! * h[ci]![pos]!;
          }
          out[o]!.push(Math.max(0, s));
        }
      }
      h = out;
    });
    const flat = h.flat();
    const O = p.head.w.shape[1]!;
    return Array.from({ length: O }, (_, j) => p.head.b!.data[j]! + flat.reduce((s, v, i) => s + v * p.head.w.data[i * O + j]!, 0));
  });
}

describe("conv1dNet", () => {
  it("is the MNIST-1D reference CNN: 5,210 parameters, 40 → 19 → 10 → 5 × 25 = 125 features", () => {
    const m = conv1dNet();
    const p = m.init(key);
    expect(treeSize(p)).toBe(5210);
    const seen: [string, number[]][] = [];
    expect(m.apply(p, normal(key, [3, 40]), spyCtx(seen)).shape).toEqual([3, 10]);
    expect(seen).toEqual([["input", [3, 1, 40]], ["conv0", [3, 25, 19]], ["conv1", [3, 25, 10]], ["conv2", [3, 25, 5]]]);
    expect(m.apply(p, normal(key, [2, 1, 40])).shape).toEqual([2, 10]);
    expect(p.head.w.shape).toEqual([125, 10]);
  });

  it("matches a loop-based PyTorch Conv1d reference (strides, padding, channel-major flatten)", () => {
    const m = conv1dNet({ inputLength: 12, channels: 2, outputs: 3 });
    const p = m.init(prngKey(4));
    const x = normal(prngKey(5), [2, 12]);
    const rows = [Array.from(x.data.slice(0, 12)), Array.from(x.data.slice(12))];
    const want = referenceCnn(p, rows, [[5, 2, 1], [3, 2, 1], [3, 2, 1]]);
    const got = m.apply(p, x).toArray() as number[][];
    got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 12)));
  });
});

describe("shallowNet", () => {
  it("equals β + Σ ω_k relu(x − k/K)", () => {
    const K = 14;
    const m = shallowNet({ K });
    const p = m.init(prngKey(2));
    const xs = [0, 0.03, 0.25, 0.5, 0.571, 0.99, 1];
    const y = m.apply(p, tensor(xs));
    xs.forEach((x, i) => {
      let f = p.beta.item();
      for (let k = 0; k < K; k++) f += p.omega.data[k]! * Math.max(0, x - k / K);
      expect(y.data[i]).toBeCloseTo(f, 13);
    });
    expect(m.apply(p, tensor(xs.map((v) => [v]))).shape).toEqual([7, 1]);
  });

  it("has K + 1 parameters flattened bias first: [β, ω₀ … ω_{K−1}]", () => {
    const p = shallowNet({ K: 14 }).init(key);
    expect(p.omega.shape).toEqual([14]);
    expect(p.beta.shape).toEqual([]);
    const [leaves] = treeFlatten(p);
    expect(leaves.map((l) => l.shape)).toEqual([[], [14]]);
    expect(leaves[0]).toBe(p.beta);
  });

  it("calls the hidden0 site on h [N, K]", () => {
    const seen: [string, number[]][] = [];
    const m = shallowNet({ K: 5 });
    m.apply(m.init(key), tensor([0.1, 0.2, 0.3]), spyCtx(seen));
    expect(seen).toEqual([["hidden0", [3, 5]]]);
  });

  it("with learned joints starts as the simplified network and learns θ0, θ1 too", () => {
    const fixed = shallowNet({ K: 6 }), free = shallowNetLearnedJoints({ K: 6 });
    const pf = free.init(prngKey(3));
    const x = tensor([0.05, 0.4, 0.77]);
    expect(arr(free.apply(pf, x))).toEqual(arr(fixed.apply({ omega: pf.omega, beta: pf.beta }, x)));
    const [, g] = valueAndGrad((q: typeof pf) => sse(free.apply(q, x), tensor([1, 2, 3])))(pf);
    expect(arr(g.theta1).some((v) => v !== 0)).toBe(true);
  });
});

describe("gabor", () => {
  it("gives the chapter's test vectors: L(0.6, −0.2) = 16.419, L(2.6, 8.5) = 18.5032, ∇L(2.6, 8.5) = (−0.98858, 0.90583)", () => {
    const m = gabor();
    const loss = (phi: number[]) => valueAndGrad((p: { phi: Tensor }) => sse(m.apply(p, gaborData.x), gaborData.y))({ phi: tensor(phi) });
    expect(loss([0.6, -0.2])[0].item()).toBeCloseTo(16.419, 3);
    const [v, g] = loss([2.6, 8.5]);
    expect(v.item()).toBeCloseTo(18.5032, 4);
    expect(arr(g.phi)[0]).toBeCloseTo(-0.98858, 5);
    expect(arr(g.phi)[1]).toBeCloseTo(0.90583, 5);
    expect(loss([-5, 25])[0].item()).toBeCloseTo(6.2977, 4);
  });

  it("equals sin(z)·exp(−z²/32), z = φ0 + 0.06 φ1 x, and inits inside the plot window", () => {
    const m = gabor({ init: [1, 10] });
    const p = m.init(key);
    const z = 1 + 0.06 * 10 * 2;
    expect(m.apply(p, tensor([2])).data[0]).toBeCloseTo(Math.sin(z) * Math.exp((-z * z) / 32), 14);
    const [p0, p1] = arr(gabor().init(prngKey(8)).phi) as [number, number];
    expect(Math.abs(p0)).toBeLessThanOrEqual(10);
    expect(p1).toBeGreaterThanOrEqual(2.5);
    expect(p1).toBeLessThanOrEqual(22.5);
    expect(() => gabor({ init: [1, NaN] })).toThrow(FitOptionsError);
  });

  it("gaborFunction evaluates parameter columns [P, 1] against x [1, N] exactly like apply, point by point", () => {
    const x = [-3, 0.5, 2, 7];
    const phis = [[0.6, -0.2], [2.6, 8.5], [-5, 25]] as const;
    const out = gaborFunction(tensor(phis.map((p) => p[0]), { shape: [3, 1] }), tensor(phis.map((p) => p[1]), { shape: [3, 1] }), tensor(x, { shape: [1, 4] }));
    expect(out.shape).toEqual([3, 4]);
    phis.forEach((p, i) => expect(Array.from(out.data.slice(4 * i, 4 * i + 4))).toEqual(Array.from(gabor().apply({ phi: tensor([...p]) }, tensor(x)).data)));
  });
});

describe("argument guards of the model factories and their apply", () => {
  const factories = { conv1dNet, shallowNet, shallowNetLearnedJoints, gabor, gru } as Record<string, (o?: unknown) => { init: (k: unknown) => unknown; apply: (...a: unknown[]) => unknown }>;

  it.each(Object.keys(factories))("%s rejects non-object options, unknown keys (naming the nearest) and a non-float dtype", (name) => {
    const make = factories[name]!;
    for (const bad of [null, "float", -3, [1]]) expect(() => make(bad), String(bad)).toThrow(new RegExp(`^${name}: options must be an object`));
    expect(() => make({ dtypes: "float32" })).toThrow(FitOptionsError);
    expect(() => make({ dtypes: "float32" })).toThrow(/is not an option of .*did you mean "dtype"/);
    expect(() => make({ dtype: "float" })).toThrow(new RegExp(`^${name}.dtype: must be "float64" or "float32"`));
    expect(() => make({ seed: NaN })).toThrow(new RegExp(`^${name}.seed: is not an option of ${name}`));
  });

  it.each(Object.keys(factories))("%s.apply names the model and the argument for non-tensor x, foreign params or a bad ctx", (name) => {
    const model = factories[name]!();
    const params = model.init(key);
    const x = tensor([[1, 2]]);
    for (const bad of [undefined, null, 0.5, { foo: 1 }]) expect(() => model.apply(bad, x), String(bad)).toThrow(new RegExp(`^${name}: params must be what init returned`));
    for (const bad of [undefined, null, { lr: 0.1 }, [1, 2]]) expect(() => model.apply(params, bad), String(bad)).toThrow(new RegExp(`^${name}: x must be a Tensor`));
    expect(() => model.apply(params, x, -3)).toThrow(ArgumentError);
    expect(() => model.apply(params, x, null)).toThrow(/ctx must be a forward context/);
  });

  it("mlp rejects an unknown option too", () => {
    expect(() => mlp({ widths: [2, 3], activaton: "tanh" } as never)).toThrow(/mlp.activaton: is not an option of mlp \(did you mean "activation"\?\)/);
    const model = mlp({ widths: [2, 3] });
    expect(() => model.apply(model.init(key), "x" as never)).toThrow(/^mlp: x must be a Tensor/);
  });
});

describe("site argument guard", () => {
  it("names the argument of a bad site descriptor", async () => {
    const { site } = await import("./model.js");
    expect(() => site(null as never, 0)).toThrow(/^site\.name: must be a non-empty string/);
    expect(() => site("h", -1)).toThrow(/^site\.index: must be a non-negative integer, got -1/);
    expect(() => site("h", 1.5)).toThrow(/^site\.index/);
    expect(() => site("h", 0, "output" as never)).toThrow(/^site\.kind: must be "hidden" or "input"/);
    expect(site("h", 2)).toEqual({ name: "h", index: 2, kind: "hidden" });
  });
});
