import type { ConformanceProblem } from "./conformance-problems.js";
import { type ConformanceCheckName, type TestApi, runConformanceCheck } from "./conformance.js";
import type { Plugin } from "./plugin.js";
import { TrainError } from "./train-error.js";

/** One row of a README's `| plugin | example |` table: the plugin and its example expression. */
export interface ReadmeExample {
  /** The plugin (first cell, backticks removed), e.g. "l2". */
  readonly plugin: string;
  /** The example (second cell, inside backticks), a JavaScript expression, e.g. "l2({ lambda: 1e-3 })". */
  readonly code: string;
}

/** A README example that does not parse or does not evaluate; `example` is its code. */
export class ReadmeExampleError extends TrainError {
  constructor(readonly example: string, message: string, options?: { cause?: unknown }) {
    super(`README example \`${example}\`: ${message}`, options);
    this.name = "ReadmeExampleError";
  }
}

/**
 * The rows of every `| plugin | example |` table of a README (the header must be exactly that), so a
 * package's tests can run each plugin's example as written: the README cannot drift from the code.
 * @example readmeExamples(readFileSync("README.md", "utf8")) // [{ plugin: "l2", code: "l2({ lambda: 1e-3 })" }, …]
 */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const out: ReadmeExample[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\|\s*plugin\s*\|\s*example\s*\|\s*$/.test(lines[i] ?? "")) continue;
    for (let j = i + 2; j < lines.length && (lines[j] ?? "").startsWith("|"); j++) {
      const cells = (lines[j] ?? "").split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
      const plugin = (cells[0] ?? "").replace(/`/g, "");
      const code = /^`(.*)`$/.exec(cells[1] ?? "")?.[1];
      if (code === undefined) throw new ReadmeExampleError(cells[1] ?? "", `row "${lines[j]}" needs the example in backticks`);
      out.push({ plugin, code: code.replace(/\\\|/g, "|") });
    }
  }
  return out;
}

const bindable = new Map<string, boolean>();
/** Whether `name` can be a parameter name (an identifier, not a reserved word such as an op called `var`). */
function isBindable(name: string): boolean {
  let ok = bindable.get(name);
  if (ok === undefined) {
    try {
      ok = /^[A-Za-z_$][\w$]*$/.test(name) && (new Function(name, `"use strict";`), true);
    } catch {
      ok = false;
    }
    bindable.set(name, ok);
  }
  return ok;
}

/** Evaluate an example expression with the names of `scope` (a package's exports, say) in scope. */
export function evaluateExample(code: string, scope: Readonly<Record<string, unknown>>): unknown {
  const names = Object.keys(scope).filter(isBindable);
  let fn: (...args: unknown[]) => unknown;
  try {
    fn = new Function(...names, `"use strict"; return (${code});`) as (...args: unknown[]) => unknown;
  } catch (e) {
    throw new ReadmeExampleError(code, `does not parse as an expression: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return fn(...names.map((n) => scope[n]));
}

const HOOKS = [
  "penalty", "transform", "objective", "forwardParams", "site", "beforeFit", "beforeEpoch", "beforeBatch", "afterForward", "afterLoss",
  "beforeStep", "afterStep", "afterBatch", "afterEpoch", "afterFit",
] as const;

/** Whether `value` looks like a Plugin: a `name` and at least one hook of the contract. */
export function isPluginLike(value: unknown): value is Plugin {
  if (value === null || typeof value !== "object" || typeof (value as { name?: unknown }).name !== "string") return false;
  return HOOKS.some((h) => typeof (value as Record<string, unknown>)[h] === "function" || (h === "transform" && typeof (value as Record<string, unknown>)[h] === "object"));
}

/**
 * The names of the factories (`{ factory, valid }` entries, as the option fuzz takes) whose product
 * is a plugin; a factory listed twice (two option sets) counts once, under its first name.
 */
export function pluginFactoryNames(factories: Readonly<Record<string, { readonly factory: (options: never) => unknown; readonly valid: unknown }>>): string[] {
  const seen = new Set<unknown>();
  return Object.entries(factories)
    .filter(([, f]) => !seen.has(f.factory) && (seen.add(f.factory), isPluginLike((f.factory as (o: unknown) => unknown)(f.valid))))
    .map(([n]) => n);
}

/** Options of {@link readmeExampleTests}. */
export interface ReadmeExampleTestOptions {
  /** Problems per plugin that needs a special model or data (default: core-train's tiny classification problem). */
  readonly problems?: Readonly<Record<string, readonly ConformanceProblem[]>>;
  /** Default problems for every other plugin. */
  readonly defaultProblems: readonly ConformanceProblem[];
  /** Steps per fit (default 4). */
  readonly steps?: number;
}

/**
 * Register the tests of a plugin package's README: its `| plugin | example |` tables list exactly
 * `plugins` (one example each), and every example, evaluated with `scope` (the package's exports and
 * whatever the examples use), trains through fit() on a tiny problem without error or NaN.
 * @example readmeExampleTests(readFileSync("README.md", "utf8"), { ...penalties, tensor }, ["l2", "l1"], { describe, it }, { defaultProblems: [tinyClassification()] })
 */
export function readmeExampleTests(
  readme: string,
  scope: Readonly<Record<string, unknown>>,
  plugins: readonly string[],
  api: TestApi,
  opts: ReadmeExampleTestOptions,
): void {
  const examples = readmeExamples(readme);
  api.describe("README plugin examples", () => {
    api.it("list every plugin exactly once", async () => {
      const listed = examples.map((e) => e.plugin).sort();
      const expected = [...plugins].sort();
      if (listed.join(",") !== expected.join(",")) {
        throw new ReadmeExampleError("", `the README lists [${listed.join(", ")}], the package's plugins are [${expected.join(", ")}]`);
      }
      await Promise.resolve();
    });
    for (const { plugin, code } of examples) {
      api.it(`${plugin}: ${code} trains`, async () => {
        const make = (): Plugin => {
          const made = evaluateExample(code, scope);
          if (!isPluginLike(made)) throw new ReadmeExampleError(code, "does not make a plugin");
          return made;
        };
        const problems = opts.problems?.[plugin] ?? opts.defaultProblems;
        const checks: ConformanceCheckName[] = [];
        if (problems.some((p) => p.data.y.dtype === "int32")) checks.push("fit-classification");
        if (problems.some((p) => p.data.y.dtype !== "int32")) checks.push("fit-regression");
        for (const check of checks) await runConformanceCheck(make, check, { problems, steps: opts.steps ?? 4 });
      }, 60_000);
    }
  });
}
