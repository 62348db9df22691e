// Fuzzes every function core-autodiff exports (see harness.ts), and the methods of the objects they
// return: every bad call must end in an AutodiffError or a well-formed result, never a generic
// error or a hang, and an accepted call with a bad argument needs a reviewed reason (accepted.ts).
// It lives here, not in core-autodiff, because the shared harness depends on core-autodiff (a dev
// dependency back would be a workspace cycle).
import { describe, expect, it } from "vitest";
import * as lib from "@regularize/core-autodiff";
import { tsPrivateMethods } from "./ts-private.js";
import { beyondKnown, errorClasses, formatReport, fuzzExports } from "./harness.js";
import { AUTODIFF_RULES } from "./accepted.js";
import { packageObjects } from "./package-pools.js";
import { KNOWN_GENERIC, KNOWN_SILENT } from "./known.js";

describe("fuzzing every core-autodiff export", () => {
  it("ends every bad call in a named error or a well-formed result, never a generic error, a hang or an unexplained acceptance", async () => {
    // getBackend() returns the raw kernel interface (Backend): its methods take trusted, pre-validated
    // arrays from the ops, by design unchecked (a check per kernel call would cost the hot path)
    const report = await fuzzExports(lib, { named: errorClasses(lib), accept: AUTODIFF_RULES, methodsOf: (name) => name !== "getBackend", privateMethods: tsPrivateMethods(), objects: packageObjects("core-autodiff") });
    console.log(formatReport("core-autodiff", report));
    if (process.env.FUZZ_PRINT_KNOWN) console.log(`known core-autodiff generic ${JSON.stringify(Object.fromEntries([...report.generic].map(([n, g]) => [n, g.count])))} silent ${JSON.stringify(Object.fromEntries([...report.unexplained].map(([n, g]) => [n, g.count])))}`);
    expect(report.exports).toBeGreaterThan(100);
    expect(report.methodCalls).toBeGreaterThan(0);
    expect(report.malformed, "accepted calls with malformed results").toEqual([]);
    expect(beyondKnown(report.generic, KNOWN_GENERIC["core-autodiff"]), "generic errors").toEqual([]);
    expect(report.hangs).toEqual([]);
    expect(beyondKnown(report.unexplained, KNOWN_SILENT["core-autodiff"]), "accepted calls with a bad argument and no reviewed reason (silent acceptance)").toEqual([]);
    const { tried, named, accepted, generic, hang } = report.counts;
    expect(named + accepted + generic + hang).toBe(tried);
  });
});
