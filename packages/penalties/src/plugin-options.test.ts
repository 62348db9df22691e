import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { formatFuzzReport, fuzzPluginOptions, unclassifiedExports } from "@regularize/core-train/testing";
import * as penalties from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";


describe("penalties' plugin factories", () => {
  it("are all listed: every function export is a fuzzed factory or classified as another function", () => {
    expect(unclassifiedExports(penalties, FACTORIES, OTHER_FUNCTIONS)).toEqual([]);
  });

  it("reject mistyped, out-of-range and unknown options at construction with a named error", () => {
    const report = fuzzPluginOptions(FACTORIES);
    console.log(formatFuzzReport("penalties", report));
    const bad = report.calls.filter((c) => c.outcome !== "named");
    expect(bad.map((c) => `${c.factory} ${c.mutation}: ${c.detail}`)).toEqual([]);
    expect(report.generic).toBe(0);
    expect(report.tried).toBeGreaterThan(200);
  });

  it("name the nearest valid option of a typo", () => {
    expect(() => penalties.l2({ lamda: 1 } as never)).toThrow(/option "lamda" is not an option of l2 \(did you mean "lambda"\?\)/);
    expect(() => penalties.l2({ lamda: 1 } as never)).toThrow(penalties.PenaltyOptionError);
    expect(() => penalties.l2({ lamda: 1 } as never)).toThrow(PluginOptionError);
  });
});
