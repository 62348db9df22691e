import { describe, expect, it } from "vitest";
import { DatasetArgumentError } from "./errors.js";
import { injectLabelNoise } from "./label-noise.js";
import { RandomState } from "./random-state.js";

const labels = Int32Array.from({ length: 40 }, (_, i) => i % 10);

describe("injectLabelNoise", () => {
  it("reproduces notebook 8.3's loop under Python's random.seed(0)", () => {
    // Printed by CPython 3 after random.seed(0): for each label, if random() < 0.15: label = int(random() * 10).
    const expected = [
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 4, 6, 7, 8, 9, 0, 1, 2, 3, 7, 5, 6, 7,
      4, 9,
    ];
    const r = injectLabelNoise(labels, { rate: 0.15, numClasses: 10, seed: 0 });
    expect(Array.from(r.y)).toEqual(expected);
    expect(Array.from(r.changed)).toEqual([25, 34, 38]);
    expect(labels[25]).toBe(5);
  });

  it("with replacement 'different' changes every selected label to another class", () => {
    const r = injectLabelNoise(labels, { rate: 0.5, numClasses: 10, seed: 3, replacement: "different" });
    expect(r.selected.length).toBeGreaterThan(0);
    expect(Array.from(r.changed)).toEqual(Array.from(r.selected));
    for (const i of r.selected) expect(r.y[i]).not.toBe(labels[i]);
  });

  it("with selection 'exact' corrupts exactly round(rate·n) rows chosen without replacement", () => {
    const r = injectLabelNoise(labels, { rate: 0.25, numClasses: 10, seed: 9, selection: "exact" });
    expect(r.selected.length).toBe(10);
    const chosen = Array.from(new RandomState([9]).choice(40, 10, { replace: false })).sort((a, b) => a - b);
    expect(Array.from(r.selected)).toEqual(chosen);
  });

  it("leaves labels alone at rate 0 and never mutates its input", () => {
    const copy = labels.slice();
    const r = injectLabelNoise(labels, { rate: 0, numClasses: 10, seed: 1 });
    expect(r.y).toEqual(labels);
    expect(r.selected.length).toBe(0);
    injectLabelNoise(labels, { rate: 1, numClasses: 10, seed: 1 });
    expect(labels).toEqual(copy);
  });

  it("rejects bad options with a DatasetArgumentError naming them", () => {
    const run = (o: object) => () => injectLabelNoise(labels, { rate: 0.1, numClasses: 10, ...o });
    expect(run({ rate: 1.5 })).toThrow(/rate/);
    expect(run({ rate: Number.NaN })).toThrow(DatasetArgumentError);
    expect(run({ numClasses: 5 })).toThrow(/y/);
    expect(run({ seed: -1 })).toThrow(/seed/);
    expect(run({ selection: "all" })).toThrow(/selection/);
    expect(run({ replacement: "same" })).toThrow(/replacement/);
  });
});
