// Fuzzes every function exported by the packages above core-autodiff (see harness.ts), and the
// methods of the objects they return (models, transforms, plugins' hooks, predictives...), one test
// per package, and prints a table of counts per package and in total. A named error is an instance
// of an error class exported by the package under test, core-autodiff or core-train; an accepted
// call with a bad argument needs a reviewed reason (accepted.ts). The plugin factories' options are
// fuzzed by experiments' plugin-catalog test, not here.
import { afterAll, describe, expect, it } from "vitest";
import * as ad from "@regularize/core-autodiff";
import * as train from "@regularize/core-train";
import { tsPrivateMethods } from "./ts-private.js";
import { type FuzzReport, beyondKnown, errorClasses, formatReport, fuzzExports, unexplainedCount } from "./harness.js";
import { KNOWN_GENERIC, KNOWN_SILENT } from "./known.js";
import { PACKAGES, PACKAGE_POOLS, packageBad, packageGood, packageObjects } from "./package-pools.js";
import { PACKAGE_RULES } from "./accepted.js";

const table: [string, FuzzReport][] = [];
const privateMethods = tsPrivateMethods();
/**
 * Exports whose results' methods are not fuzzed: experiments' param builders return valibot schemas,
 * whose methods (`~run`, `reference`...) are valibot's internals, called by valibot's parse only.
 */
const NO_METHODS: Readonly<Record<string, readonly string[]>> = { experiments: ["intParam", "numberParam", "boolParam", "enumParam"] };

describe("fuzzing every export of every package", () => {
  it.each(PACKAGES)("%s: every bad call ends in a named error or a well-formed result, never a generic error, a hang or an unexplained acceptance", async (pkg, lib) => {
    const report = await fuzzExports(lib, { named: errorClasses(lib, ad, train), good: [...packageGood, ...(PACKAGE_POOLS[pkg]?.good ?? [])], bad: [...packageBad, ...(PACKAGE_POOLS[pkg]?.bad ?? [])], objects: packageObjects(pkg), accept: PACKAGE_RULES[pkg] ?? [], runs: 20, methodsOf: (name) => !(NO_METHODS[pkg] ?? []).includes(name), privateMethods });
    console.log(formatReport(pkg, report));
    table.push([pkg, report]);
    if (process.env.FUZZ_PRINT_KNOWN) console.log(`known ${pkg} generic ${JSON.stringify(Object.fromEntries([...report.generic].map(([n, g]) => [n, g.count])))} silent ${JSON.stringify(Object.fromEntries([...report.unexplained].map(([n, g]) => [n, g.count])))}`);
    expect(report.exports).toBeGreaterThan(0);
    expect(report.malformed, "accepted calls with malformed results").toEqual([]);
    expect(report.hangs).toEqual([]);
    expect(beyondKnown(report.generic, KNOWN_GENERIC[pkg]), "generic errors").toEqual([]);
    expect(beyondKnown(report.unexplained, KNOWN_SILENT[pkg]), "accepted calls with a bad argument and no reviewed reason (silent acceptance)").toEqual([]);
    const { tried, named, accepted, generic, hang } = report.counts;
    expect(named + accepted + generic + hang).toBe(tried);
  });

  afterAll(() => {
    const cols = ["tried", "methods", "named", "accepted", "generic", "hang", "acc-bad", "reasoned", "unexpl."] as const;
    const row = (r: FuzzReport) => {
      const u = unexplainedCount(r);
      return [r.counts.tried, r.methodCalls, r.counts.named, r.counts.accepted, r.counts.generic, r.counts.hang, r.acceptedWithBad, r.acceptedWithBad - u, u];
    };
    const rows = table.map(([p, r]) => [p, ...row(r)] as const);
    const total = cols.map((_, i) => rows.reduce((s, r) => s + (r[i + 1] as number), 0));
    const line = (name: string, v: readonly number[]) => [name.padEnd(12), ...v.map((n) => String(n).padStart(9))].join("");
    const reasons = new Map<string, number>();
    for (const [, r] of table) for (const [k, n] of r.acceptedByReason) reasons.set(k, (reasons.get(k) ?? 0) + n);
    console.log(
      [
        `${"package".padEnd(12)}${cols.map((c) => c.padStart(9)).join("")}`,
        ...rows.map(([p, ...v]) => line(p, v)),
        line("total", total),
        `accepted with a bad argument, by reviewed reason: ${[...reasons].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ")}`,
      ].join("\n"),
    );
  });
});
