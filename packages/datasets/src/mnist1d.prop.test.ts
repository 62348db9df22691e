import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeMnist1d } from "./mnist1d.js";

const smallArgs = fc.record({
  numSamples: fc.integer({ min: 10, max: 300 }),
  trainSplit: fc.double({ min: 0.2, max: 0.8, noNaN: true }),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  shuffleSeq: fc.boolean(),
  finalSeqLength: fc.integer({ min: 2, max: 60 }),
});

function bytesOf(a: Float64Array | Int32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe("makeMnist1d properties", () => {
  it("the same arguments give the same bytes", () => {
    fc.assert(
      fc.property(smallArgs, (args) => {
        const a = makeMnist1d(args);
        const b = makeMnist1d(args);
        for (const key of ["x", "y", "xTest", "yTest", "t"] as const) {
          expect(bytesOf(a[key]).equals(bytesOf(b[key])), key).toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  });

  it("split sizes add up to 10·floor(N/10) with trunc(N·split) training rows, every class equally often", () => {
    fc.assert(
      fc.property(smallArgs, (args) => {
        const d = makeMnist1d(args);
        const n = 10 * Math.floor(args.numSamples / 10);
        const nTrain = Math.trunc(n * args.trainSplit);
        expect(d.shape).toEqual({ train: [nTrain, args.finalSeqLength], test: [n - nTrain, args.finalSeqLength] });
        expect(d.x.length + d.xTest.length).toBe(n * args.finalSeqLength);
        const counts = new Array<number>(10).fill(0);
        for (const v of [...d.y, ...d.yTest]) counts[v]! += 1;
        expect(counts).toEqual(new Array(10).fill(n / 10));
      }),
      { numRuns: 25 },
    );
  });

  it("standardises train and test together to mean 0 and std 1", () => {
    fc.assert(
      fc.property(smallArgs, (args) => {
        const d = makeMnist1d(args);
        const all = [...d.x, ...d.xTest];
        const mean = all.reduce((s, v) => s + v, 0) / all.length;
        const variance = all.reduce((s, v) => s + (v - mean) ** 2, 0) / all.length;
        expect(Math.abs(mean)).toBeLessThan(1e-12);
        expect(Math.abs(variance - 1)).toBeLessThan(1e-12);
      }),
      { numRuns: 25 },
    );
  });
});
