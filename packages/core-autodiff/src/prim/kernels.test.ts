import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Tensor, astype, crossEntropy, grad, jit, mean, softmax, tensor } from "../index.js";
import { randomTensor, rng } from "../../test/fd.js";

const bits = (t: Tensor): number[] => Array.from(t.data);
const logitsWith = (next: () => number, N: number, C: number, dt: "float32" | "float64", special: number): Tensor => {
  const z = randomTensor(next, [N, C], -30, 30);
  // some rows with a NaN, an infinity or −∞ (max not finite, or an exp of −∞): recomputed, or reused as is
  const specials = [NaN, Infinity, -Infinity, 0, -0];
  for (let i = 0; i < special && i < N; i++) z.data[i * C + Math.floor(next() * C)] = specials[i % specials.length]!;
  return astype(z, dt);
};

describe("softmax after crossEntropy on the same logits (the loss's gradient reuses the loss's exps)", () => {
  it("gives the bits of a softmax computed from scratch, float32 and float64, with non-finite rows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom("float32", "float64" as const), fc.nat(6), fc.integer(), (N, C, dt, special, seed) => {
        const next = rng(seed);
        const z = logitsWith(next, N, C, dt, special);
        const y = tensor(Array.from({ length: N }, () => Math.floor(next() * C)), { dtype: "int32" });
        // another call first, so the cache holds other logits: this softmax is computed from scratch
        crossEntropy(logitsWith(next, N, C, dt, 0), y, { reduction: "none" });
        const fresh = bits(softmax(z, 1));
        crossEntropy(z, y, { reduction: "none" });
        expect(bits(softmax(z, 1))).toEqual(fresh);
        // a copy with one value changed must not take the cached exps
        const z2 = astype(z, dt);
        z2.data[N * C - 1] = z2.data[N * C - 1]! + 1;
        crossEntropy(z, y, { reduction: "none" });
        const ref2 = bits(softmax(astype(z2, dt), 1));
        crossEntropy(z, y, { reduction: "none" });
        expect(bits(softmax(z2, 1))).toEqual(ref2);
      }),
      { numRuns: 80 },
    );
  });

  it("leaves the gradient of the mean cross-entropy unchanged, eager and jit-replayed", () => {
    const next = rng(5);
    for (const dt of ["float32", "float64"] as const) {
      const z = astype(randomTensor(next, [6, 4], -3, 3), dt);
      const y = tensor([0, 3, 1, 2, 2, 0], { dtype: "int32" });
      const loss = (t: Tensor) => mean(crossEntropy(t, y, { reduction: "none" }));
      // reference: the gradient rule's softmax by itself (no crossEntropy call just before it)
      const p = softmax(z, 1).data;
      const r = dt === "float32" ? Math.fround : (x: number) => x;
      // ∂/∂z = (1/N)·(softmax(z) − onehot(y)), each op rounded to the dtype
      const ref = Array.from(p, (v, i) => r(r(1 / 6) * r(v - (i % 4 === y.data[Math.floor(i / 4)] ? 1 : 0))));
      const g = grad(loss)(z);
      expect(bits(g)).toEqual(ref);
      const gj = jit((t: Tensor) => grad(loss)(t));
      for (let r = 0; r < 3; r++) expect(bits(gj(z))).toEqual(ref);
    }
  });
});
