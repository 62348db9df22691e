import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { formatFuzzReport, fuzzPluginOptions, unclassifiedExports } from "@regularize/core-train/testing";
import * as transfer from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";

describe("transfer' plugin factories", () => {
  it("are all listed: every function export is a fuzzed factory or classified as another function", () => {
    expect(unclassifiedExports(transfer, FACTORIES, OTHER_FUNCTIONS)).toEqual([]);
  });

  it("reject mistyped, out-of-range and unknown options at construction with a named error", () => {
    const report = fuzzPluginOptions(FACTORIES);
    console.log(formatFuzzReport("transfer", report));
    const bad = report.calls.filter((c) => c.outcome !== "named");
    expect(bad.map((c) => `${c.factory} ${c.mutation}: ${c.detail}`)).toEqual([]);
    expect(report.generic).toBe(0);
    expect(report.tried).toBeGreaterThan(150);
  });

  it("name the nearest valid option of a typo", () => {
    const multiTask = transfer.multiTask({ tasks: [{ name: "a", outputs: 2 }] });
    expect(() => transfer.pcgrad({ multitask: multiTask } as never)).toThrow(/pcgrad: multitask is not an option of pcgrad \(did you mean "multiTask"\?\)/);
    expect(() => transfer.pcgrad({ multitask: multiTask } as never)).toThrow(transfer.TransferError);
    expect(() => transfer.pcgrad({ multitask: multiTask } as never)).toThrow(PluginOptionError);
  });
});
