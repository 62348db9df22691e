import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { formatFuzzReport, fuzzPluginOptions, unclassifiedExports } from "@regularize/core-train/testing";
import * as bayes from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";

describe("bayes' plugin factories", () => {
  it("are all listed: every function export is a fuzzed factory or classified as another function", () => {
    expect(unclassifiedExports(bayes, FACTORIES, OTHER_FUNCTIONS)).toEqual([]);
  });

  it("reject mistyped, out-of-range and unknown options at construction with a named error", () => {
    const report = fuzzPluginOptions(FACTORIES);
    console.log(formatFuzzReport("bayes", report));
    const bad = report.calls.filter((c) => c.outcome !== "named");
    expect(bad.map((c) => `${c.factory} ${c.mutation}: ${c.detail}`)).toEqual([]);
    expect(report.generic).toBe(0);
    expect(report.tried).toBeGreaterThan(200);
  });

  it("name the nearest valid option of a typo", () => {
    expect(() => bayes.gaussianPrior({ variance: 1, datasize: 10 } as never)).toThrow(/"datasize" is not an option of gaussianPrior \(did you mean "dataSize"\?\)/);
    for (const cls of [bayes.BayesOptionError, bayes.BayesArgumentError, bayes.BayesError, PluginOptionError]) {
      expect(() => bayes.swag({ startepoch: 1 } as never)).toThrow(cls);
    }
  });
});
