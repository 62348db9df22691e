import { ValueError, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { FitOptionsError } from "./errors.js";
import { mapSelected, mapWithPaths, weightsOnly } from "./tree-paths.js";

describe("mapWithPaths", () => {
  it("maps every leaf with its path and treeFlatten index (keys sorted)", () => {
    const seen: string[] = [];
    const out = mapWithPaths({ b: [tensor([1]), tensor([2])], a: tensor([3]) }, (path, leaf, i) => {
      seen.push(`${i}:${path}`);
      return tensor([leaf.data[0]! * 10]);
    });
    expect(seen).toEqual(["0:a", "1:b[0]", "2:b[1]"]);
    expect([out.a.data[0], out.b[0]!.data[0], out.b[1]!.data[0]]).toEqual([30, 10, 20]);
  });

  it("rejects a leaf that is not a tensor as treeFlatten does, naming its path (it was passed through; fuzz, seed 31337)", () => {
    expect(() => mapWithPaths({ activation: "gelu" } as never, (_p, l) => l)).toThrow(ValueError);
    expect(() => mapWithPaths({ w: tensor([1]), b: { c: 3 } } as never, (_p, l) => l)).toThrow(/\.b\.c is number/);
  });

  it("rejects fn returning a non-tensor, naming fn and the leaf (it built { w: 1 }, not a tree of tensors)", () => {
    expect(() => mapWithPaths({ w: tensor([1, 2]) }, (() => 1) as never)).toThrow(FitOptionsError);
    expect(() => mapWithPaths({ w: tensor([1, 2]) }, (() => 1) as never)).toThrow(/^fn: must return a Tensor, got 1 for leaf "w"$/);
    expect(() => mapWithPaths({ w: tensor([1, 2]) }, (() => 1) as never)).toThrow(expect.objectContaining({ plugin: "mapWithPaths", option: "fn" }));
    expect(() => mapSelected({ w: tensor([[1]]) }, weightsOnly, (() => null) as never)).toThrow(FitOptionsError);
  });
});
