import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { formatFuzzReport, fuzzPluginOptions, unclassifiedExports } from "@regularize/core-train/testing";
import * as ensemble from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";


describe("ensemble's plugin, schedule and combiner factories", () => {
  it("are all listed: every function export is a fuzzed factory or classified as another function", () => {
    expect(unclassifiedExports(ensemble, FACTORIES, OTHER_FUNCTIONS)).toEqual([]);
  });

  it("reject mistyped, out-of-range and unknown options at construction with a named error", () => {
    const report = fuzzPluginOptions(FACTORIES);
    console.log(formatFuzzReport("ensemble", report));
    const bad = report.calls.filter((c) => c.outcome !== "named");
    expect(bad.map((c) => `${c.factory} ${c.mutation}: ${c.detail}`)).toEqual([]);
    expect(report.generic).toBe(0);
    expect(report.tried).toBeGreaterThan(150);
  });

  it("name the nearest valid option of a typo", () => {
    expect(() => ensemble.swa({ startEpoch: 1, everystep: 2 } as never)).toThrow(/option "everystep" is not an option of swa \(did you mean "everySteps"\?\)/);
    expect(() => ensemble.swa({ start: 1 } as never)).toThrow(ensemble.EnsembleOptionError);
    expect(() => ensemble.swa({ start: 1 } as never)).toThrow(PluginOptionError);
  });
});
