import { describe, expect, it } from "vitest";
import { readJson } from "../test/fixtures.js";
import { expectBitEqual } from "../test/helpers.js";
import { MNIST1D_DIGIT_PATTERNS, mnist1dTemplates } from "./mnist1d-templates.js";

// Reference: templates.json, i.e. upstream get_templates() under NumPy 1.24.2. Tolerance: exact.
const ref = readJson<{ digit_values: number[][]; x: number[][]; t: number[]; y: number[] }>("templates.json");

describe("mnist1dTemplates", () => {
  it("uses upstream's hand-written patterns", () => {
    expect(MNIST1D_DIGIT_PATTERNS.map((r) => [...r])).toEqual(ref.digit_values);
  });

  it("reproduces the processed templates, time axis and labels bit for bit", () => {
    const t = mnist1dTemplates();
    expect(t.shape).toEqual([10, 12]);
    expectBitEqual(t.x, ref.x.flat(), "x");
    expectBitEqual(t.t, ref.t, "t");
    expect(Array.from(t.y)).toEqual(ref.y);
  });

  it("makes every template start and end at exactly 0", () => {
    const { x } = mnist1dTemplates();
    for (let r = 0; r < 10; r++) {
      expect(x[r * 12]).toBe(0);
      expect(x[r * 12 + 11]).toBe(0);
    }
  });
});
