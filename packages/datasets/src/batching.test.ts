import { describe, expect, it } from "vitest";
import { DatasetArgumentError } from "./errors.js";
import { epochBatches, epochOrder, iterateBatches, notebookBatch, notebookBatchRange } from "./batching.js";
import { makeSplit } from "./split.js";

describe("epochOrder", () => {
  it("is the identity without shuffling", () => {
    expect(Array.from(epochOrder(5, 3))).toEqual([0, 1, 2, 3, 4]);
  });

  it("is NumPy's RandomState([seed, epoch]).permutation(n) when shuffling", () => {
    // Printed by NumPy 2.4.6: np.random.RandomState([7, 3]).permutation(10), ([7, 0]).permutation(12).
    expect(Array.from(epochOrder(10, 3, { shuffle: true, seed: 7 }))).toEqual([7, 4, 1, 6, 8, 3, 5, 2, 9, 0]);
    expect(Array.from(epochOrder(12, 0, { shuffle: true, seed: 7 }))).toEqual([5, 11, 0, 1, 7, 3, 4, 10, 9, 6, 2, 8]);
  });
});

describe("epochBatches", () => {
  it("cuts the order into batches, keeping a short last batch unless dropLast", () => {
    expect(epochBatches(5, 0, { batchSize: 2 }).map((b) => Array.from(b))).toEqual([[0, 1], [2, 3], [4]]);
    expect(epochBatches(5, 0, { batchSize: 2, dropLast: true }).map((b) => Array.from(b))).toEqual([[0, 1], [2, 3]]);
  });

  it("rejects a non-positive batch size and a bad seed", () => {
    expect(() => epochBatches(5, 0, { batchSize: 0 })).toThrow(DatasetArgumentError);
    expect(() => epochBatches(5, 0, { batchSize: 2, shuffle: true, seed: -3 })).toThrow(/seed/);
  });
});

describe("iterateBatches", () => {
  it("yields gathered rows with their indices", () => {
    const split = makeSplit(Float64Array.from([0, 10, 20, 30, 40]), Int32Array.from([0, 1, 2, 3, 4]), 1);
    const batches = [...iterateBatches(split, 1, { batchSize: 2, shuffle: true, seed: 7 })];
    expect(batches.map((b) => b.batch)).toEqual([0, 1, 2]);
    for (const b of batches) {
      expect(Array.from(b.x)).toEqual(Array.from(b.indices, (i) => 10 * i));
      expect(Array.from(b.y)).toEqual(Array.from(b.indices));
      expect(b.epoch).toBe(1);
    }
  });
});

describe("notebookBatchRange / notebookBatch", () => {
  it("walks the rows in order with b = (step·batchSize) mod n, as the mnist1d notebooks do", () => {
    expect(notebookBatchRange(0, 4000, 100)).toEqual({ start: 0, end: 100 });
    expect(notebookBatchRange(40, 4000, 100)).toEqual({ start: 0, end: 100 });
    expect(notebookBatchRange(6000, 4000, 100)).toEqual({ start: 0, end: 100 });
    // When n is not a multiple of the batch size the slice is cut at n and the next start wraps.
    expect(notebookBatchRange(40, 4050, 100)).toEqual({ start: 4000, end: 4050 });
    expect(notebookBatchRange(41, 4050, 100)).toEqual({ start: 50, end: 150 });
  });

  it("stays exact for step counts whose product with the batch size exceeds 2^53", () => {
    const step = 2 ** 50 + 3;
    const expected = Number((BigInt(step) * 1000n) % 4093n);
    expect(notebookBatchRange(step, 4093, 1000).start).toBe(expected);
  });

  it("returns the rows of a step", () => {
    const split = makeSplit(Float64Array.from([0, 1, 2, 3, 4]), Int32Array.from([0, 1, 2, 3, 4]), 1);
    const b = notebookBatch(split, 2, 2);
    expect(Array.from(b.indices)).toEqual([4]);
    expect(b.epoch).toBe(0);
  });
});
