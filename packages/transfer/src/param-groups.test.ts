import { describe, expect, it } from "vitest";
import { type Tensor, type Tree, tensor, treeFlatten } from "@regularize/core-autodiff";
import { type Model, fit, linear, mlp } from "@regularize/core-train";
import { adam, momentum, sgd } from "@regularize/optim";
import { bits, twoTaskProblem } from "../test/helpers.js";
import { TransferError } from "./errors.js";
import { FROZEN, freeze, paramGroups, under } from "./param-groups.js";
import { withHead } from "./with-head.js";

const model = withHead(mlp({ widths: [4, 8, 8] }), linear({ inputs: 8, outputs: 3 }), { activation: "relu" }) as Model<Tree>;
const { data } = twoTaskProblem(24);
const cls = { x: data.x, y: tensor(Int32Array.from(data.y.data.filter((_, i) => i % 2 === 0)), { dtype: "int32" }) };

describe("freeze", () => {
  for (const [name, opt] of [["momentum", () => momentum({ learningRate: 0.1, beta: 0.9 })], ["adam", () => adam({ learningRate: 0.05 })]] as const) {
    it(`keeps frozen parameters bit-identical through training with ${name}, and gives them no optimizer state`, async () => {
      const p0 = model.init((await import("@regularize/core-autodiff")).prngKey(4)) as { trunk: Tree; head: Tree };
      // a −0 in a frozen tensor must survive too (p + (+0) would turn it into +0)
      const w0 = treeFlatten(p0.trunk)[0][0]!;
      w0.data[0] = -0;
      const optimizer = freeze(opt(), under("trunk"));
      const r = await fit({ model, params: p0, data: cls, loss: "crossEntropy", optimizer, batchSize: 8, epochs: 4, seed: 2 });
      const p1 = r.params as { trunk: Tree; head: Tree };
      expect(bits(p1.trunk)).toEqual(bits(p0.trunk));
      expect(Object.is(treeFlatten(p1.trunk)[0][0]!.data[0], -0)).toBe(true);
      expect(bits(p1.head)).not.toEqual(bits(p0.head));
      // the inner optimizer's state holds only the head's 2 tensors
      const st = r.state.optimizer as Record<string, unknown>;
      expect(Object.keys(st)).toEqual(["rest"]);
      const stateLeaves = JSON.stringify(st.rest, (_k, v) => (v && typeof v === "object" && "shape" in v ? `T[${(v as Tensor).shape}]` : v));
      expect(stateLeaves).not.toContain("T[4,8]");
      expect(stateLeaves).not.toContain("T[8,8]");
    });
  }

  it("rejects a missing mask with a TransferError naming it", () => {
    expect(() => freeze(sgd({ learningRate: 0.1 }), undefined as never)).toThrow(TransferError);
    expect(() => freeze(sgd({ learningRate: 0.1 }), undefined as never)).toThrow(/freeze: mask/);
  });
});

describe("paramGroups", () => {
  it("applies each group's learning rate to its own tensors (SGD: update = −α_g·g)", () => {
    const params = { trunk: { w: tensor([[1, 2]]) }, head: { w: tensor([[3], [4]]), b: tensor([0.5]) } };
    const g = { trunk: { w: tensor([[1, -1]]) }, head: { w: tensor([[2], [2]]), b: tensor([1]) } };
    const t = paramGroups({ trunk: { mask: under("trunk"), transform: sgd({ learningRate: 0.01 }) } }, sgd({ learningRate: 0.5 }));
    const [u] = t.update(g, t.init(params), params, 0);
    const uu = u as typeof g;
    expect(Array.from(uu.trunk.w.data)).toEqual([-0.01, 0.01]);
    expect(Array.from(uu.head.w.data)).toEqual([-1, -1]);
    expect(Array.from(uu.head.b.data)).toEqual([-0.5]);
  });

  it("gives a tensor to the first group that selects it and reports every group's hyperparameters", () => {
    const params = { a: tensor([1]), b: tensor([2]) };
    const t = paramGroups({ one: { mask: () => true, transform: sgd({ learningRate: 1 }) }, two: { mask: () => true, transform: FROZEN } });
    const [u] = t.update({ a: tensor([1]), b: tensor([1]) }, t.init(params), params, 0);
    expect(Array.from((u as { a: Tensor }).a.data)).toEqual([-1]);
    expect(t.hyperparams!(t.init(params), 0)).toEqual({ "one.lr": 1 });
  });

  it("throws a TransferError when a tensor belongs to no group and there is no rest", () => {
    const t = paramGroups({ head: { mask: under("head"), transform: sgd({ learningRate: 1 }) } });
    expect(() => t.init({ head: tensor([1]), trunk: tensor([1]) })).toThrow(/paramGroups: rest is needed/);
    expect(() => paramGroups({ x: { mask: () => true, transform: 3 as never } })).toThrow(/groups.x.transform/);
    expect(() => paramGroups({ rest: { mask: () => true, transform: FROZEN } })).toThrow(/reserved/);
  });

  it("under() selects a subtree by path prefix, not by string prefix", () => {
    const sel = under("trunk");
    const leaf = tensor([1]);
    expect(sel(leaf, "trunk.layers[0].w")).toBe(true);
    expect(sel(leaf, "trunkX.w")).toBe(false);
    expect(under("layers")(leaf, "layers[1].b")).toBe(true);
  });
});
