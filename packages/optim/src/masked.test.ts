import { tensor, type Tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { expectAllclose } from "../test/helpers.js";
import { addDecayedWeights } from "./add-decayed-weights.js";
import { addL2Gradient } from "./add-l2-gradient.js";
import { clipByGlobalNorm } from "./clip-by-global-norm.js";
import { UsageError } from "./errors.js";
import { resolveMask } from "./mask.js";
import { masked } from "./masked.js";
import { scale } from "./scale.js";

const params = {
  layers: [{ w: tensor([[1, 2], [3, 4]]), b: tensor([5, 6]) }, { w: tensor([[7], [8]]), b: tensor([9]) }],
  scale: tensor(10),
};

describe("resolveMask", () => {
  it("selects tensors with ≥ 2 dims by default ('weights') in treeFlatten order", () => {
    // order: layers[0].b, layers[0].w, layers[1].b, layers[1].w, scale
    expect(resolveMask("t", "weights", params)).toEqual([false, true, false, true, false]);
  });

  it("selects the highest-rank tensors of a model without matrices (φ, or the shallow net's ω but not β)", () => {
    expect(resolveMask("t", "weights", tensor([1, 2]))).toEqual([true]);
    // treeFlatten order: beta, omega
    expect(resolveMask("t", "weights", { omega: tensor([1, 2, 3]), beta: tensor(2) })).toEqual([false, true]);
    expect(resolveMask("t", "weights", { phi0: tensor(1), phi1: tensor(2) })).toEqual([true, true]);
    // conv kernel, linear weight and biases: every tensor of rank ≥ 2 decays
    expect(resolveMask("t", "weights", { k: tensor([[[1]]]), w: tensor([[1]]), b: tensor([1]) })).toEqual([false, true, true]);
  });

  it("expands boolean prefixes of a mask tree and passes paths to predicates", () => {
    expect(resolveMask("t", { layers: [true, { w: false, b: true }], scale: false }, params)).toEqual([true, true, true, false, false]);
    const seen: string[] = [];
    resolveMask("t", (_l, path) => (seen.push(path), path.endsWith(".w")), params);
    expect(seen).toEqual(["layers[0].b", "layers[0].w", "layers[1].b", "layers[1].w", "scale"]);
  });

  it("throws a UsageError naming the path when the mask tree does not fit", () => {
    expect(() => resolveMask("masked", { layers: [true], scale: false }, params)).toThrow(UsageError);
    expect(() => resolveMask("masked", { layers: true }, params)).toThrow(/lacks key "scale"/);
    expect(() => resolveMask("masked", { layers: true, scale: true, extra: true }, params)).toThrow(/extra/);
  });
});

describe("masked", () => {
  it("applies the inner transform only to selected tensors", () => {
    const g = { a: tensor([1, 1]), m: tensor([[1, 1]]) };
    const [u] = masked(scale(3)).update(g, masked(scale(3)).init(g), g);
    expectAllclose((u as typeof g).a, [1, 1], { atol: 0 });
    expectAllclose((u as typeof g).m, [3, 3], { atol: 0 });
  });

  it("hides unselected tensors from global quantities (clipByGlobalNorm's norm)", () => {
    const g = { big: tensor([100, 0]), small: tensor([[3, 4]]) };
    const t = masked(clipByGlobalNorm({ maxNorm: 1 }), { big: false, small: true });
    const [u] = t.update(g, t.init(g), g);
    expectAllclose((u as typeof g).small, [0.6, 0.8], { rtol: 1e-15 });
    expectAllclose((u as typeof g).big, [100, 0], { atol: 0 });
  });
});

describe("addDecayedWeights and addL2Gradient", () => {
  const p = { w: tensor([[2, -4]]), b: tensor([8]) };
  const g = { w: tensor([[1, 1]]), b: tensor([1]) };

  it("add λφ (decoupled) and 2λφ (coupled, eq. 9.5) to masked tensors", () => {
    const [u1] = addDecayedWeights({ weightDecay: 0.5 }).update(g, {}, p);
    expectAllclose((u1 as typeof g).w, [2, -1], { rtol: 1e-15 });
    expectAllclose((u1 as typeof g).b, [1], { atol: 0 });
    const [u2] = addL2Gradient({ lambda: 0.5, mask: true }).update(g, {}, p);
    expectAllclose((u2 as typeof g).w, [3, -3], { rtol: 1e-15 });
    expectAllclose((u2 as typeof g).b, [9], { rtol: 1e-15 });
  });

  it("need the params (UsageError) and validate λ (OptionError naming it)", () => {
    expect(() => addDecayedWeights({ weightDecay: 0.1 }).update(g, {})).toThrow(UsageError);
    expect(() => addDecayedWeights({ weightDecay: -1 })).toThrow(/weightDecay/);
    expect(() => addL2Gradient({ lambda: Number.NaN })).toThrow(/lambda/);
    const wrong = { w: tensor([[1, 2, 3]]), b: tensor([1]) } as { w: Tensor; b: Tensor };
    expect(() => addDecayedWeights({ weightDecay: 0.1 }).update(g, {}, wrong)).toThrow(/shape/);
  });
});
