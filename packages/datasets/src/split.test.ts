import { describe, expect, it } from "vitest";
import { DatasetArgumentError } from "./errors.js";
import { concatSplits, makeSplit, oneHot, takeRows } from "./split.js";

const split = makeSplit(Float64Array.from([0, 1, 10, 11, 20, 21]), Int32Array.from([0, 1, 2]), 2);

describe("makeSplit", () => {
  it("derives n and keeps the arrays", () => {
    expect([split.n, split.dim]).toEqual([3, 2]);
  });
  it("rejects x whose length is not n·dim", () => {
    expect(() => makeSplit(new Float64Array(5), new Int32Array(3), 2)).toThrow(DatasetArgumentError);
  });
});

describe("takeRows", () => {
  it("gathers rows in the given order, repeats allowed, into new arrays", () => {
    const taken = takeRows(split, [2, 0, 2]);
    expect(Array.from(taken.x)).toEqual([20, 21, 0, 1, 20, 21]);
    expect(Array.from(taken.y)).toEqual([2, 0, 2]);
    expect(taken.y).toBeInstanceOf(Int32Array);
    expect(taken.x).not.toBe(split.x);
  });
  it("keeps Float64Array regression targets", () => {
    const reg = makeSplit(Float64Array.from([1, 2]), Float64Array.from([0.5, 1.5]), 1);
    expect(takeRows(reg, [1]).y).toEqual(Float64Array.from([1.5]));
  });
  it("rejects out-of-range rows", () => {
    expect(() => takeRows(split, [3])).toThrow(/indices/);
  });
});

describe("concatSplits", () => {
  it("stacks rows", () => {
    const both = concatSplits(split, takeRows(split, [1]));
    expect(both.n).toBe(4);
    expect(Array.from(both.y)).toEqual([0, 1, 2, 1]);
    expect(Array.from(both.x.subarray(6))).toEqual([10, 11]);
  });
  it("rejects splits of different width", () => {
    const other = makeSplit(new Float64Array(3), new Int32Array(1), 3);
    expect(() => concatSplits(split, other)).toThrow(DatasetArgumentError);
  });
});

describe("oneHot", () => {
  it("sets one 1 per row at the label's column", () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
  });
  it("rejects labels outside [0, numClasses)", () => {
    expect(() => oneHot([3], 3)).toThrow(DatasetArgumentError);
    expect(() => oneHot([-1], 3)).toThrow(DatasetArgumentError);
  });
});
