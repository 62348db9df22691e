import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import type { Fig99Result } from "../impl/fig9-9.js";

describe("fig9.9", async () => {
  const r = (await runExperiment("fig9.9", {})) as Fig99Result;
  it("builds a kinked original that fits the data as well as least squares", () => {
    // CHAPTER9 §2: gap values 0.75 / 2.27 / 0.44 at x = 0.5 / 0.571 / 0.643 (a ≈ 25 on min-norm LS)
    expect(r.original.sse).toBeCloseTo(r.lsSse, 8);
    expect(r.original.gap[1]! - (r.original.gap[0]! + r.original.gap[2]!) / 2).toBeGreaterThan(1.3);
  });
  it("shoots up on the right when hidden unit 8 is turned off", () => {
    const right = r.grid.length - 1;
    expect(r.unit8Off.curve[right]! - r.original.curve[right]!).toBeGreaterThan(20);
    expect(r.unit8Off.sse).toBeGreaterThan(10 * r.original.sse);
  });
  it("removes the kink after 2000 dropout iterations (weight scaling) and still fits the data", () => {
    const [a, b, c] = r.dropout.gap as [number, number, number];
    expect(b - (a + c) / 2).toBeLessThan(0.3);
    expect(r.dropout.sse).toBeLessThan(0.15);
    expect(r.dropoutUnscaled.sse).toBeGreaterThan(r.dropout.sse);
  });
});
