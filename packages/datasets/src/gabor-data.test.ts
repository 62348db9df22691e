import { describe, expect, it } from "vitest";
import { gaborDataset } from "./gabor-data.js";

// The model is not part of this package (it lives in core-train); it is written out here only to check
// the transcription against the values CHAPTER9.md §1.3 reports for these 30 points.
function loss(data: ReturnType<typeof gaborDataset>, phi0: number, phi1: number): number {
  let total = 0;
  for (let i = 0; i < data.n; i++) {
    const z = phi0 + 0.06 * phi1 * data.x[i]!;
    total += (Math.sin(z) * Math.exp((-z * z) / 32) - data.y[i]!) ** 2;
  }
  return total;
}

describe("gaborDataset", () => {
  const data = gaborDataset();

  it("holds the 30 notebook pairs with x in [−15, 15]", () => {
    expect([data.n, data.dim, data.x.length]).toEqual([30, 1, 30]);
    expect([data.x[0], data.y[0], data.x[29], data.y[29]]).toEqual([-1.92, -1.051, -4.505, 0.5952]);
    for (const x of data.x) expect(Math.abs(x)).toBeLessThanOrEqual(15);
  });

  it("reproduces the notebook's check value L(0.6, −0.2) = 16.419 and the other reference losses", () => {
    expect(loss(data, 0.6, -0.2)).toBeCloseTo(16.419, 3);
    expect(loss(data, 2.6, 8.5)).toBeCloseTo(18.5032, 4);
    expect(loss(data, -5, 25)).toBeCloseTo(6.2977, 4);
    expect(loss(data, 0, 16.029)).toBeCloseTo(0.64578, 3);
  });
});
