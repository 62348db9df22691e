import { describe, expect, it } from "vitest";
import { Tensor, arange, eye, full, fullLike, linspace, ones, onesLike, scalar, tensor, zeros, zerosLike } from "../index.js";
import "../../test/matchers.js";

const exact = { rtol: 0, atol: 0 } as const;

describe("tensor", () => {
  it("infers shapes from nested arrays and keeps row-major order", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe("float64");
    expect(t.toFlatArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tensor(7).shape).toEqual([]);
    expect(tensor([]).shape).toEqual([0]);
  });

  it("takes flat (typed) arrays with a shape, copying the buffer", () => {
    const buf = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = tensor(buf, { shape: [3, 2], dtype: "float32" });
    buf[0] = 99;
    expect(t.dtype).toBe("float32");
    expect(t.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it("copies and re-types an existing tensor", () => {
    const a = tensor([1, 2, 3, 4]);
    const b = tensor(a, { shape: [2, 2], dtype: "float32" });
    expect(b.shape).toEqual([2, 2]);
    expect(b.dtype).toBe("float32");
    expect(b.data).not.toBe(a.data);
  });

  it("makes int32 tensors from integer values", () => {
    const t = tensor([[1, -2]], { dtype: "int32" });
    expect(t.data).toBeInstanceOf(Int32Array);
    expect(t.toArray()).toEqual([[1, -2]]);
  });

  it("shapes are frozen copies", () => {
    const shape = [2, 2];
    const t = zeros(shape);
    shape[0] = 5;
    expect(t.shape).toEqual([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it("item, size, ndim and toString (which prints NaN and ±Infinity, not null)", () => {
    expect(tensor([[4]]).item()).toBe(4);
    const t = tensor([NaN, Infinity, -Infinity]);
    expect(t.size).toBe(3);
    expect(t.ndim).toBe(1);
    expect(t.toString()).toBe("Tensor(float64, [3], [NaN,Infinity,-Infinity])");
    expect(zeros([30]).toString()).toBe("Tensor(float64, [30], 30 elements)");
  });

  it("util.inspect (console.log in Node) shows the short description", async () => {
    const { inspect } = await import("node:util");
    expect(inspect(tensor([1, 2]))).toBe("Tensor(float64, [2], [1,2])");
  });

  it("the constructor rejects a buffer that does not fit the shape", () => {
    expect(() => new Tensor(new Float64Array(3), [2, 2], "float64")).toThrow(/tensor: buffer of 3 elements does not fit shape \[2, 2\]/);
  });
});

describe("creation helpers", () => {
  it("full, zeros, ones and the *Like variants keep shape and dtype", () => {
    expect(full([2], 3.5)).toBeAllclose([3.5, 3.5], exact);
    expect(ones([2, 1], { dtype: "float32" }).dtype).toBe("float32");
    const x = tensor([[1, 2]], { dtype: "float32" });
    for (const t of [zerosLike(x), onesLike(x), fullLike(x, 2)]) {
      expect(t.shape).toEqual([1, 2]);
      expect(t.dtype).toBe("float32");
    }
    expect(fullLike(x, 2)).toBeAllclose([[2, 2]], exact);
    expect(scalar(3, "int32").dtype).toBe("int32");
  });

  it("arange follows NumPy (start, stop, step; empty when the range is empty)", () => {
    expect(arange(4)).toBeAllclose([0, 1, 2, 3], exact);
    expect(arange(1, 2, 0.25)).toBeAllclose([1, 1.25, 1.5, 1.75], exact);
    expect(arange(3, 0, -1)).toBeAllclose([3, 2, 1], exact);
    expect(arange(2, 1).shape).toEqual([0]);
  });

  it("linspace includes both ends exactly", () => {
    const t = linspace(-0.8, 0.5, 14);
    expect(t.shape).toEqual([14]);
    expect(t.data[0]).toBe(-0.8);
    expect(t.data[13]).toBe(0.5);
    expect(t).toBeAllclose(Array.from({ length: 14 }, (_, i) => -0.8 + i * 0.1), { rtol: 0, atol: 1e-15 });
  });

  it("eye builds (rectangular) identities", () => {
    expect(eye(2)).toBeAllclose([[1, 0], [0, 1]], exact);
    expect(eye(2, 3)).toBeAllclose([[1, 0, 0], [0, 1, 0]], exact);
  });
});
