import { Tensor } from "@regularize/core-autodiff";
import type { TestApi } from "./conformance.js";
import { PluginOptionError } from "./plugin-options.js";

/**
 * One factory under test: `valid` is an options object the factory accepts; every key of it is
 * mutated in turn. `accepts` lists mutations the factory may legitimately accept, each with a reason
 * (e.g. `{ "axis=-1e300": "…" }`), so that an acceptance is never silent in the report.
 */
export interface FactoryUnderTest {
  readonly factory: (options: never) => unknown;
  readonly valid: Readonly<Record<string, unknown>>;
  readonly accepts?: Readonly<Record<string, string>>;
}

/** How one bad call ended. */
export type FuzzOutcome = "named" | "named-other-option" | "named-other-class" | "generic" | "accepted";

/** One bad call and how it ended. */
export interface FuzzCall {
  readonly factory: string;
  /** The mutation, e.g. `rate=NaN`, `unknown key "ratex"`, `options=null`. */
  readonly mutation: string;
  /** The key at fault ("options" for the whole object). */
  readonly option: string;
  readonly outcome: FuzzOutcome;
  /** The error's name and message, or "accepted". */
  readonly detail: string;
}

/** Counts of a fuzz run, and every call. */
export interface FuzzReport {
  readonly tried: number;
  /** A PluginOptionError (or subclass) naming the mutated option. */
  readonly named: number;
  /** A PluginOptionError naming another option. */
  readonly namedOtherOption: number;
  /** A typed error that is not a PluginOptionError (e.g. a package's argument error). */
  readonly namedOtherClass: number;
  /** TypeError, RangeError, a plain Error…: what the layer is meant to prevent. */
  readonly generic: number;
  /** No error at all (and not listed in `accepts`). */
  readonly accepted: number;
  /** Accepted and listed in `accepts` with a reason (not counted in `tried`). */
  readonly acceptedByDesign: number;
  readonly calls: readonly FuzzCall[];
}

const GENERIC = new Set(["Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError", "EvalError", "URIError"]);

/** Wrong values for an option whose valid value is `v`, each with a label. */
function wrongValues(v: unknown): [string, unknown][] {
  const common: [string, unknown][] = [["null", null], ["{}", {}]];
  if (typeof v === "number") return [["NaN", Number.NaN], ['"1"', "1"], ["-1e300", -1e300], ["Infinity", Infinity], ...common];
  if (typeof v === "string") return [['"not-a-valid-choice"', "not-a-valid-choice"], ["42", 42], ...common];
  if (typeof v === "boolean") return [['"true"', "true"], ["1", 1], ...common];
  if (typeof v === "function") return [["42", 42], ['"f"', "f"], ...common];
  if (Array.isArray(v)) return [['"x"', "x"], ["42", 42], ["null", null]];
  if (v instanceof Tensor) return [["42", 42], ['"x"', "x"], ["null", null]];
  if (typeof v === "object" && v !== null) return [["42", 42], ['"x"', "x"]];
  return [["42", 42]];
}

/** A typo of `key` that is not itself a key: the last letter doubled. */
function typo(key: string, keys: readonly string[]): string {
  const t = `${key}${key.at(-1) ?? "x"}`;
  return keys.includes(t) ? `${t}_` : t;
}

function classify(f: () => unknown, option: string): { outcome: FuzzOutcome; detail: string } {
  try {
    f();
  } catch (e) {
    const name = e instanceof Error ? e.name : typeof e;
    const detail = `${name}: ${e instanceof Error ? e.message : String(e)}`;
    if (e instanceof PluginOptionError) return { outcome: e.option === option ? "named" : "named-other-option", detail };
    if (e instanceof Error && !GENERIC.has(e.name)) return { outcome: "named-other-class", detail };
    return { outcome: "generic", detail };
  }
  return { outcome: "accepted", detail: "accepted" };
}

/**
 * Call every factory with mistyped, out-of-range and unknown options and count how each call ended.
 * Per factory: the options object replaced by null / 42 / a string / an array; an unknown key (a
 * typo of a valid one); every key of `valid` set to wrong values of its type (NaN, ±∞, −1e300, a
 * string for a number; an unknown string for an enum; a number for a function, a tree or a name…).
 * Synchronous: a factory must validate at construction, not at first use.
 */
export function fuzzPluginOptions(factories: Readonly<Record<string, FactoryUnderTest>>): FuzzReport {
  const calls: FuzzCall[] = [];
  let acceptedByDesign = 0;
  for (const [factoryName, { factory, valid, accepts = {} }] of Object.entries(factories)) {
    const call = (options: unknown) => () => (factory as (o: unknown) => unknown)(options);
    const record = (mutation: string, option: string, options: unknown) => {
      const r = classify(call(options), option);
      const allowed = r.outcome === "accepted" && accepts[mutation] !== undefined;
      if (allowed) acceptedByDesign++;
      else calls.push({ factory: factoryName, mutation, option, ...r });
    };
    for (const [label, bad] of [["null", null], ["42", 42], ['"options"', "options"], ["[]", []]] as const) record(`options=${label}`, "options", bad);
    const keys = Object.keys(valid);
    const unknown = typo(keys[0] ?? "option", keys);
    record(`unknown key "${unknown}"`, unknown, { ...valid, [unknown]: 1 });
    for (const key of keys) {
      // a plugin instance name is any non-empty string
      const wrong = key === "name" ? ([['""', ""], ["42", 42], ["null", null], ["{}", {}]] as [string, unknown][]) : wrongValues(valid[key]);
      for (const [label, bad] of wrong) record(`${key}=${label}`, key, { ...valid, [key]: bad });
    }
  }
  const count = (o: FuzzOutcome) => calls.filter((c) => c.outcome === o).length;
  return {
    tried: calls.length,
    named: count("named"),
    namedOtherOption: count("named-other-option"),
    namedOtherClass: count("named-other-class"),
    generic: count("generic"),
    accepted: count("accepted"),
    acceptedByDesign,
    calls,
  };
}

/** One line of counts, for test logs and closing notes. */
export function formatFuzzReport(label: string, r: FuzzReport): string {
  return `${label}: ${r.tried} bad calls, ${r.named} named errors naming the option, ${r.namedOtherOption} naming another option, ` +
    `${r.namedOtherClass} other typed errors, ${r.generic} generic errors, ${r.accepted} silently accepted (${r.acceptedByDesign} accepted by design)`;
}

/**
 * The function exports of a module that are neither listed as plugin factories nor as other
 * functions: a new export must be classified, so the fuzz cannot miss a new factory.
 */
export function unclassifiedExports(
  module: Readonly<Record<string, unknown>>,
  factories: Readonly<Record<string, unknown>>,
  others: readonly string[],
): string[] {
  return Object.entries(module)
    .filter(([name, value]) => typeof value === "function" && !/^class\s/.test(Function.prototype.toString.call(value)))
    .map(([name]) => name)
    .filter((name) => !(name in factories) && !others.includes(name));
}

/**
 * Register a plugin package's two option-fuzz tests: every function export is classified (a fuzzed
 * factory or another function), and every bad option ends in a named error naming it; the counts
 * are logged. `minTried` guards against a fuzz that silently shrinks.
 * @example pluginOptionTests("noise", noise, FACTORIES, OTHER_FUNCTIONS, { describe, it }, { minTried: 250 })
 */
export function pluginOptionTests(
  label: string,
  module: Readonly<Record<string, unknown>>,
  factories: Readonly<Record<string, FactoryUnderTest>>,
  others: readonly string[],
  api: Pick<TestApi, "it">,
  opts: { readonly minTried: number },
): void {
  api.it("are all listed: every function export is a fuzzed factory or classified as another function", async () => {
    const unlisted = unclassifiedExports(module, factories, others);
    if (unlisted.length > 0) throw new Error(`${label}: function exports neither fuzzed nor classified: ${unlisted.join(", ")}`);
    await Promise.resolve();
  });
  api.it("reject mistyped, out-of-range and unknown options at construction with a named error", async () => {
    const report = fuzzPluginOptions(factories);
    console.log(formatFuzzReport(label, report));
    const bad = report.calls.filter((c) => c.outcome !== "named").map((c) => `${c.factory} ${c.mutation}: ${c.detail}`);
    if (bad.length > 0) throw new Error(`${label}: ${bad.length} bad options did not end in a named error naming them:\n${bad.join("\n")}`);
    if (report.generic !== 0) throw new Error(`${label}: ${report.generic} generic errors`);
    if (!(report.tried > opts.minTried)) throw new Error(`${label}: only ${report.tried} bad calls tried (expected more than ${opts.minTried})`);
    await Promise.resolve();
  });
}
