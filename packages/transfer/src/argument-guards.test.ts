import { tensor } from "@regularize/core-autodiff";
import { sgd } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import { TransferError } from "./errors.js";
import { freeze, linearSurrogate, pcgradCombine, under } from "./index.js";

describe("argument guards", () => {
  it("pcgradCombine refuses unknown option keys and a non-key", () => {
    const g = [{ w: tensor([1, 0]) }, { w: tensor([0, 1]) }];
    expect(() => pcgradCombine(g, { seed: 1 } as never)).toThrow(/pcgradCombine/);
    expect(() => pcgradCombine(g, { key: 3 } as never)).toThrow(/^pcgradCombine: .*key.*must be a PRNGKey/);
    expect(pcgradCombine(g)).toBeDefined();
  });

  it("under's predicate names a missing path (it threw a TypeError from startsWith; fuzz, seed 31337)", () => {
    const m = under("trunk");
    expect(() => m(tensor([1, 2], { dtype: "int32" }), undefined as never)).toThrow(/^under: path must be the leaf's path string/);
    expect(() => m(tensor([1]), 3 as never)).toThrow(TransferError);
    expect([m(tensor([1]), "trunk.w"), m(tensor([1]), "trunk[0]"), m(tensor([1]), "trunkated"), under("")(tensor([1]), "x")]).toEqual([true, true, false, true]);
  });

  it("linearSurrogate names a g whose structure is not params' (a dataset {x, y} was paired with the wrong leaves; fuzz prescreen, seed 4747)", () => {
    const params = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => linearSurrogate(params, { x: tensor([[1, 2, 3], [4, 5, 6]]), y: tensor([1, 2, 3]) })).toThrow(/^linearSurrogate: g must be a tree of params' structure \(1 leaves/);
    expect(() => linearSurrogate({ w: tensor([1, 2]) }, { w: tensor([1, 2, 3]) })).toThrow(TransferError);
    expect(linearSurrogate({ w: tensor([1, 2]) }, { w: tensor([3, 4]) }).item()).toBe(0);
  });

  it("freeze refuses a missing or non-transformation optimizer", () => {
    for (const bad of [undefined, null, { epochs: 1 }]) expect(() => freeze(bad as never, under("trunk")), String(bad)).toThrow(/^freeze: optimizer/);
    expect(() => freeze(undefined as never, under("trunk"))).toThrow(TransferError);
  });

  it("a param-group transform's update and hyperparams name the state argument", () => {
    const t = freeze(sgd({ learningRate: 0.1 }), under("trunk"));
    const params = { trunk: tensor([1]), head: tensor([2]) };
    const state = t.init(params);
    for (const bad of [undefined, null, 0]) {
      expect(() => t.update(params, bad as never, params), String(bad)).toThrow(/state/);
      expect(() => t.hyperparams!(bad as never, 0), String(bad)).toThrow(TransferError);
    }
    expect(t.update(params, state, params)[0].trunk.data[0]).toBe(-0);
    expect(() => t.hyperparams!({ foo: 1 } as never, 0)).toThrow(/lacks the state of group "rest"/);
  });
});
