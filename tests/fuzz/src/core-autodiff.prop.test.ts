// Fuzzes every function core-autodiff exports (see harness.ts): every bad call must end in an
// AutodiffError or a well-formed result, never a generic error or a hang. It lives here, not in
// core-autodiff, because the shared harness depends on core-autodiff (a dev dependency back would
// be a workspace cycle).
import { describe, expect, it } from "vitest";
import * as lib from "@regularize/core-autodiff";
import { errorClasses, formatReport, fuzzExports } from "./harness.js";

describe("fuzzing every core-autodiff export", () => {
  it("ends every bad call in a named error or a well-formed result, never a generic error or a hang", async () => {
    const report = await fuzzExports(lib, { named: errorClasses(lib) });
    console.log(formatReport("core-autodiff", report));
    expect(report.exports).toBeGreaterThan(100);
    expect(report.malformed, "accepted calls with malformed results").toEqual([]);
    expect([...report.generic.values()].map((g) => `${g.count}× ${g.example}`), "generic errors").toEqual([]);
    expect(report.hangs).toEqual([]);
    const { tried, named, accepted, generic, hang } = report.counts;
    expect(named + accepted + generic + hang).toBe(tried);
  });
});
