import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { injectLabelNoise } from "./label-noise.js";

const input = fc.record({
  numClasses: fc.integer({ min: 2, max: 12 }),
  n: fc.integer({ min: 0, max: 300 }),
  rate: fc.double({ min: 0, max: 1, noNaN: true }),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  selection: fc.constantFrom("bernoulli" as const, "exact" as const),
  replacement: fc.constantFrom("any" as const, "different" as const),
});

describe("injectLabelNoise properties", () => {
  it("only selected rows change, labels stay in range, and the same seed gives the same labels", () => {
    fc.assert(
      fc.property(input, ({ n, ...o }) => {
        const y = Int32Array.from({ length: n }, (_, i) => (i * 7) % o.numClasses);
        const r = injectLabelNoise(y, o);
        const selected = new Set(r.selected);
        const outOfRange = Array.from(r.y).filter((c) => c < 0 || c >= o.numClasses);
        const changedUnselected = Array.from(y.keys()).filter((i) => !selected.has(i) && r.y[i] !== y[i]);
        expect(outOfRange).toEqual([]);
        expect(changedUnselected).toEqual([]);
        if (o.selection === "exact") expect(r.selected.length).toBe(Math.round(o.rate * n));
        if (o.replacement === "different") expect(r.changed).toEqual(r.selected);
        expect(injectLabelNoise(y, o).y).toEqual(r.y);
      }),
    );
  });
});
