import { fc, test } from "@fast-check/vitest";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { type Backend, type Tensor, dot, getBackend, matmul, setBackend, tensor, tsBackend, wasmBackend } from "../index.js";
import { broadcastShapesArb, runs, tensorArb } from "../../test/arbitraries.js";
import { FD64, checkOpGrads } from "../../test/fd.js";
import "../../test/matchers.js";
import { ravel, refBroadcast, refMatmul2d, unravel } from "../../test/reference.js";

interface MatmulCase {
  readonly a: Tensor;
  readonly b: Tensor;
  readonly transA: boolean;
  readonly transB: boolean;
}

/**
 * Operands of every supported form: batch axes that broadcast against each other (missing or
 * unit), stored transposed or not, and 1-D vectors on either side. M up to 6 crosses the kernel's
 * 4-row register blocking.
 */
const matmulArb: fc.Arbitrary<MatmulCase> = fc
  .record({
    batch: broadcastShapesArb(2, 2),
    M: fc.integer({ min: 1, max: 6 }), K: fc.integer({ min: 1, max: 4 }), N: fc.integer({ min: 1, max: 4 }),
    transA: fc.boolean(), transB: fc.boolean(),
    vecA: fc.integer({ min: 0, max: 4 }), vecB: fc.integer({ min: 0, max: 4 }),
  })
  .chain(({ batch, M, K, N, transA, transB, vecA, vecB }) => {
    const [ba, bb] = batch.operands as [number[], number[]];
    // a quarter of the cases use a 1-D operand (never both with batch axes on the other side missing)
    const aShape = vecA === 0 ? [K] : [...ba, ...(transA ? [K, M] : [M, K])];
    const bShape = vecB === 0 ? [K] : [...bb, ...(transB ? [N, K] : [K, N])];
    return fc.record({ a: tensorArb(aShape), b: tensorArb(bShape), transA: fc.constant(transA), transB: fc.constant(transB) });
  });

/** Reference: NumPy matmul semantics by explicit batch loops over 2-D products. */
function refMatmul(c: MatmulCase): Tensor {
  const { a, b } = c;
  const A = a.ndim === 1 ? { data: a.data, shape: [1, a.shape[0]!] } : { data: a.data, shape: [...a.shape] };
  const B = b.ndim === 1 ? { data: b.data, shape: [b.shape[0]!, 1] } : { data: b.data, shape: [...b.shape] };
  const tA = a.ndim > 1 && c.transA, tB = b.ndim > 1 && c.transB;
  const ra = A.shape.length, rb = B.shape.length;
  const [M, K] = tA ? [A.shape[ra - 1]!, A.shape[ra - 2]!] : [A.shape[ra - 2]!, A.shape[ra - 1]!];
  const N = tB ? B.shape[rb - 2]! : B.shape[rb - 1]!;
  const batch = refBroadcast(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const nb = batch.reduce((p, d) => p * d, 1);
  const out = new Float64Array(nb * M * N);
  const mat = (X: { data: ArrayLike<number>; shape: number[] }, bi: number[], rows: number, cols: number, trans: boolean) => {
    const bs = X.shape.slice(0, -2);
    const own = bs.map((d, k) => (d === 1 ? 0 : bi[k + bi.length - bs.length]!));
    const off = ravel(own, bs) * rows * cols;
    const m = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) m[i * cols + j] = trans ? X.data[off + j * rows + i]! : X.data[off + i * cols + j]!;
    return m;
  };
  for (let t = 0; t < nb; t++) {
    const bi = unravel(t, batch);
    out.set(refMatmul2d(mat(A, bi, M, K, tA), mat(B, bi, K, N, tB), M, K, N), t * M * N);
  }
  const shape = [...batch, ...(a.ndim === 1 ? [] : [M]), ...(b.ndim === 1 ? [] : [N])];
  return tensor(out, { shape });
}

// GEMM is the kernel a faster backend replaces first, so the property runs on every backend
// available here: the TS reference and, where WebAssembly SIMD exists, the WASM one.
const backends = [tsBackend, wasmBackend].filter((b): b is Backend => b !== null);

for (const backend of backends) {
  describe(`matmul on the ${backend.name} backend`, () => {
    let previous: Backend = tsBackend;
    beforeAll(() => { previous = setBackend(backend); });
    afterAll(() => { setBackend(previous); });

    test.prop([matmulArb], { numRuns: runs(40) })("matches a naive batched product for every layout; grads match FD", (c) => {
      const opts = { transA: c.transA, transB: c.transB };
      expect(getBackend()).toBe(backend);
      expect(matmul(c.a, c.b, opts)).toBeAllclose(refMatmul(c), { rtol: 1e-12, atol: 1e-12 });
      checkOpGrads((a, b) => matmul(a, b, opts), [c.a, c.b], FD64);
    });
  });
}

describe("dot", () => {

  test.prop([fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(tensorArb([n, 2]), tensorArb([n, 2])))], { numRuns: runs(20) })(
    "dot is Σ a·b; grads match FD",
    ([a, b]) => {
      const ref = Array.from(a.data).reduce((s, v, i) => s + v * b.data[i]!, 0);
      expect(dot(a, b)).toBeAllclose(ref, { rtol: 1e-12, atol: 1e-12 });
      checkOpGrads(dot, [a, b], FD64);
    },
  );
});
