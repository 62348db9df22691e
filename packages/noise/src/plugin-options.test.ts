import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { formatFuzzReport, fuzzPluginOptions, unclassifiedExports } from "@regularize/core-train/testing";
import * as noise from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";


describe("noise's plugin factories", () => {
  it("are all listed: every function export is a fuzzed factory or classified as another function", () => {
    expect(unclassifiedExports(noise, FACTORIES, OTHER_FUNCTIONS)).toEqual([]);
  });

  it("reject mistyped, out-of-range and unknown options at construction with a named error", () => {
    const report = fuzzPluginOptions(FACTORIES);
    console.log(formatFuzzReport("noise", report));
    const bad = report.calls.filter((c) => c.outcome !== "named");
    expect(bad.map((c) => `${c.factory} ${c.mutation}: ${c.detail}`)).toEqual([]);
    expect(report.generic).toBe(0);
    expect(report.tried).toBeGreaterThan(250);
  });

  it("name the nearest valid option of a typo", () => {
    expect(() => noise.dropout({ rate: 0.5, sharedmask: true } as never)).toThrow(/option "sharedmask" is not an option of dropout \(did you mean "sharedMask"\?\)/);
    expect(() => noise.dropout({ rat: 0.5 } as never)).toThrow(noise.NoiseOptionError);
    expect(() => noise.dropout({ rat: 0.5 } as never)).toThrow(PluginOptionError);
  });
});
