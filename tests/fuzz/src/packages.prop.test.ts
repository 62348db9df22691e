// Fuzzes every function exported by the packages above core-autodiff (see harness.ts), one test per
// package, and prints a table of counts per package and in total. A named error is an instance of
// an error class exported by the package under test, core-autodiff or core-train. The plugin
// factories' options are fuzzed by experiments' plugin-catalog test, not here.
import { afterAll, describe, expect, it } from "vitest";
import * as ad from "@regularize/core-autodiff";
import * as train from "@regularize/core-train";
import * as datasets from "@regularize/datasets";
import * as optim from "@regularize/optim";
import * as penalties from "@regularize/penalties";
import * as noise from "@regularize/noise";
import * as ensemble from "@regularize/ensemble";
import * as bayes from "@regularize/bayes";
import * as transfer from "@regularize/transfer";
import * as experiments from "@regularize/experiments";
import { type Counts, errorClasses, formatReport, fuzzExports } from "./harness.js";
import { KNOWN_GENERIC } from "./known-generic.js";

const x = ad.tensor([[1, -2, 3], [0.5, 0, -1]]);
const y = ad.tensor([2, 0], { dtype: "int32" });
/** Values every package understands: data, a model, its params, an optimizer, options. */
const shared: unknown[] = [
  { x, y }, train.mlp({ widths: [3, 4, 3] }), { lr: 0.1 }, { seed: 1 }, { rate: 0.5 }, { epochs: 1, batchSize: 2 }, "crossEntropy", "mse",
];
const sharedBad: unknown[] = [{ lr: -1 }, { rate: 2 }, { seed: NaN }, { batchsize: 2 }, { x, y: ad.tensor([1, 2, 3]) }, { lr: "0.1" }];


const PACKAGES: [string, Record<string, unknown>][] = [
  ["datasets", datasets], ["core-train", train], ["optim", optim], ["penalties", penalties], ["noise", noise],
  ["ensemble", ensemble], ["bayes", bayes], ["transfer", transfer], ["experiments", experiments],
];
const table: [string, Counts & { acceptedWithBad: number }][] = [];

describe("fuzzing every export of every package", () => {
  it.each(PACKAGES)("%s: every bad call ends in a named error or a well-formed result, never a generic error or a hang", async (pkg, lib) => {
    const report = await fuzzExports(lib, { named: errorClasses(lib, ad, train), good: shared, bad: sharedBad, runs: 20 });
    console.log(formatReport(pkg, report));
    table.push([pkg, { ...report.counts, acceptedWithBad: report.acceptedWithBad }]);
    expect(report.exports).toBeGreaterThan(0);
    expect(report.malformed, "accepted calls with malformed results").toEqual([]);
    expect(report.hangs).toEqual([]);
    const known = KNOWN_GENERIC[pkg] ?? {};
    if (process.env.FUZZ_PRINT_KNOWN) console.log(`known ${pkg} ${JSON.stringify(Object.fromEntries([...report.generic].map(([n, g]) => [n, g.count])))}`);
    const unexpected = [...report.generic].filter(([name, g]) => g.count > (known[name] ?? 0)).map(([name, g]) => `${g.count}× ${name}: ${g.example}`);
    expect(unexpected, "generic errors").toEqual([]);
    const { tried, named, accepted, generic, hang } = report.counts;
    expect(named + accepted + generic + hang).toBe(tried);
  });

  afterAll(() => {
    const total = { tried: 0, named: 0, accepted: 0, generic: 0, hang: 0, acceptedWithBad: 0 };
    for (const [, c] of table) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += c[k];
    const row = (name: string, c: typeof total) => [name.padEnd(12), ...Object.values(c).map((v) => String(v).padStart(8))].join(" ");
    console.log([`${"package".padEnd(12)}    tried    named accepted  generic     hang  acc-bad`, ...table.map(([p, c]) => row(p, c)), row("total", total)].join("\n"));
  });
});
