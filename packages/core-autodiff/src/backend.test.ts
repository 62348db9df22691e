import { afterEach, describe, expect, it } from "vitest";
import { type Backend, conv1d, getBackend, grad, matmul, setBackend, sum, tanh, tensor, tsBackend, wasmBackend, where, gt } from "./index.js";
import "../test/matchers.js";

const initial = getBackend();
afterEach(() => {
  setBackend(initial);
});

/** A backend that forwards to the TS kernels and counts which kernels ops dispatch to. */
function countingBackend(counts: Map<string, number>): Backend {
  const wrap = <F extends (...a: never[]) => unknown>(name: string, f: F): F =>
    ((...a: Parameters<F>) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return f(...a);
    }) as F;
  const b = tsBackend;
  return {
    name: "counting",
    unary: wrap("unary", b.unary), binary: wrap("binary", b.binary), where: wrap("where", b.where), gemm: wrap("gemm", b.gemm),
    reduce: wrap("reduce", b.reduce), stridedCopy: wrap("stridedCopy", b.stridedCopy), stridedAccumulate: wrap("stridedAccumulate", b.stridedAccumulate),
    gather: wrap("gather", b.gather), scatterAdd: wrap("scatterAdd", b.scatterAdd), unfold: wrap("unfold", b.unfold), fold: wrap("fold", b.fold),
    adam: wrap("adam", b.adam),
  };
}

describe("backend", () => {
  it("defaults to the WASM SIMD backend (the TS reference with REGULARIZE_BACKEND=ts)", () => {
    expect(getBackend()).toBe(process.env.REGULARIZE_BACKEND === "ts" ? tsBackend : wasmBackend);
    expect(wasmBackend?.name).toBe("wasm");
    expect(tsBackend.name).toBe("ts");
  });

  it("ops, gradients included, dispatch every kernel call to the current backend and give the same results", () => {
    const x = tensor([[[0.5, -1, 2, 0.25]]]), w = tensor([[[0.3, -0.7]], [[1.1, 0.2]]]);
    const loss = (t: { x: typeof x; w: typeof w }) => sum(tanh(conv1d(t.x, t.w, { padding: 1 })));
    setBackend(tsBackend);
    const ref = grad(loss)({ x, w });
    const refWhere = where(gt(x, 0), x, 0);
    const counts = new Map<string, number>();
    const prev = setBackend(countingBackend(counts));
    expect(prev).toBe(tsBackend);
    expect(getBackend().name).toBe("counting");
    const g = grad(loss)({ x, w });
    const gw = where(gt(x, 0), x, 0);
    expect(g.x).toBeAllclose(ref.x, { rtol: 0, atol: 0 });
    expect(g.w).toBeAllclose(ref.w, { rtol: 0, atol: 0 });
    expect(gw).toBeAllclose(refWhere, { rtol: 0, atol: 0 });
    for (const k of ["unary", "binary", "where", "gemm", "reduce", "stridedCopy", "unfold", "fold"]) {
      expect(counts.get(k) ?? 0, k).toBeGreaterThan(0);
    }
    expect(matmul(tensor([[1, 2]]), tensor([[3], [4]]))).toBeAllclose([[11]], { rtol: 0, atol: 0 });
  });
});
