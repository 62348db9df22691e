import { type Tensor, normal, prngKey, take, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { gatherRows } from "./data-order.js";

const bytes = (t: Tensor) => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));

describe("gatherRows", () => {
  it("gives take(t, indices, 0)'s bits, shape and dtype for vectors, matrices and 3-d batches", () => {
    const idx = Int32Array.from([4, 0, 4, 2]);
    const cases: Tensor[] = [
      tensor([0, 1, 2, 3, 4], { dtype: "int32" }),
      normal(prngKey(1), [5, 3]),
      normal(prngKey(2), [5, 2, 3], { dtype: "float32" }),
    ];
    for (const t of cases) {
      const g = gatherRows(t, idx), r = take(t, tensor(idx, { dtype: "int32" }), 0);
      expect(g.shape).toEqual(r.shape);
      expect(g.dtype).toBe(r.dtype);
      expect(bytes(g)).toEqual(bytes(r));
    }
    expect(gatherRows(cases[1]!, new Int32Array(0)).shape).toEqual([0, 3]);
  });
});
