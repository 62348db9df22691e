import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { epochBatches } from "./batching.js";

const options = fc.record({
  n: fc.integer({ min: 0, max: 500 }),
  batchSize: fc.integer({ min: 1, max: 64 }),
  epoch: fc.integer({ min: 0, max: 1000 }),
  shuffle: fc.boolean(),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
});

describe("epochBatches properties", () => {
  it("covers every index exactly once per epoch", () => {
    fc.assert(
      fc.property(options, ({ n, epoch, ...o }) => {
        const batches = epochBatches(n, epoch, o);
        const seen = batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b);
        expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
        for (const [i, b] of batches.entries()) {
          expect(b.length === o.batchSize || (i === batches.length - 1 && b.length > 0)).toBe(true);
        }
      }),
    );
  });

  it("with dropLast keeps only full batches and drops fewer than batchSize rows", () => {
    fc.assert(
      fc.property(options, ({ n, epoch, ...o }) => {
        const batches = epochBatches(n, epoch, { ...o, dropLast: true });
        expect(batches.every((b) => b.length === o.batchSize)).toBe(true);
        expect(n - batches.length * o.batchSize).toBeLessThan(o.batchSize);
      }),
    );
  });

  it("the same seed and epoch give the same batches; epochs differ when shuffled", () => {
    fc.assert(
      fc.property(options, ({ n, epoch, ...o }) => {
        const a = epochBatches(n, epoch, o).map((b) => Array.from(b));
        expect(epochBatches(n, epoch, o).map((b) => Array.from(b))).toEqual(a);
        if (o.shuffle && n >= 20) {
          const next = epochBatches(n, epoch + 1, o).map((b) => Array.from(b));
          expect(next).not.toEqual(a);
        }
      }),
    );
  });
});
