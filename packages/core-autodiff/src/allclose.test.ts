import { describe, expect, it } from "vitest";
import { allclose, compareAllclose } from "./allclose.js";
import { ShapeError, ValueError } from "./errors.js";
import { tensor } from "./index.js";

const tol = { rtol: 1e-10, atol: 0 };

describe("compareAllclose", () => {
  it("accepts values within atol + rtol·|expected|, elementwise", () => {
    expect(allclose(tensor([1, 2]), [1, 2 * (1 + 5e-11)], tol)).toBe(true);
    expect(allclose(1e-13, 0, { rtol: 0, atol: 1e-12 })).toBe(true);
    expect(allclose(new Float64Array([1, 2]), [1, 2], tol)).toBe(true);
  });

  it("reports the count and the worst element when values differ", () => {
    const r = compareAllclose([1, 2, 3], [1, 2.5, 3.1], tol);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^2\/3 values differ beyond rtol 1e-10, atol 0; worst at flat index 1: got 2, expected 2.5/);
  });

  it("checks shapes when both sides have one, lengths otherwise", () => {
    expect(compareAllclose(tensor([[1, 2]]), [1, 2], tol).message).toBe("expected shape [2] (2 values), got [1, 2] (2 values)");
    expect(allclose(new Float64Array([1, 2]), [[1, 2]], tol)).toBe(true);
    expect(allclose(new Float64Array([1]), [1, 2], tol)).toBe(false);
  });

  it("compares trees of tensors leaf by leaf", () => {
    expect(allclose({ w: tensor([1, 2]), b: tensor(3) }, { w: tensor([1, 2]), b: tensor(3) }, tol)).toBe(true);
    expect(allclose([tensor([1]), tensor([2])], [1, 2], tol)).toBe(true);
    expect(allclose({ w: tensor([1, 2]) }, { w: tensor([1, 3]) }, tol)).toBe(false);
  });

  it("treats NaN as unequal unless equalNan, and infinities as equal only to themselves", () => {
    expect(allclose([Number.NaN], [Number.NaN], tol)).toBe(false);
    expect(allclose([Number.NaN], [Number.NaN], { ...tol, equalNan: true })).toBe(true);
    expect(allclose([Infinity], [Infinity], tol)).toBe(true);
    expect(allclose([Infinity], [1e308], { rtol: 1, atol: 1e308 })).toBe(false);
  });

  it("rejects ragged or non-numeric input and missing tolerances with named errors", () => {
    expect(() => compareAllclose([[1], [1, 2]], [1, 2, 3], tol)).toThrow(ShapeError);
    expect(() => compareAllclose("x" as never, 1, tol)).toThrow(ValueError);
    expect(() => compareAllclose(1, 1, {} as never)).toThrow(/allclose: needs explicit \{ rtol, atol \}/);
    // null read opts.rtol and failed with a TypeError (fuzz, seed 4242)
    for (const bad of [null, 3, "f32"]) expect(() => compareAllclose(1, 1, bad as never), String(bad)).toThrow(/allclose: needs explicit \{ rtol, atol \}/);
  });
});
