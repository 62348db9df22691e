// The child side of process-probe.ts's fuzz sample, run with `node --import tsx` so the packages
// resolve to their built dist/ (no "source" condition). `plan SEED COUNT` prints a seeded sample of
// fuzz cases (an export and argument picks from the harness pools, at least one bad); `run JSON`
// runs the given cases in order, printing `START id` before and `CASE {verdict}` after each, so the
// parent can name the case a killed process was stuck in.
import fc from "fast-check";
import * as ad from "@regularize/core-autodiff";
import * as train from "@regularize/core-train";
import { AUTODIFF_RULES, PACKAGE_RULES, SHARED_RULES, explain } from "./accepted.js";
import { badValues, declaredParams, describeArgs, errorClasses, goodValues, isGeneric } from "./harness.js";
import { PACKAGES, PACKAGE_POOLS, packageBad, packageGood } from "./package-pools.js";

type Fn = (...a: unknown[]) => unknown;
interface Case {
  id: string;
  pkg: string;
  name: string;
  /** Indices into the package's pool: [good..., bad...]. */
  args: number[];
}

const LIBS: [string, Record<string, unknown>][] = [["core-autodiff", ad as Record<string, unknown>], ...PACKAGES];
const pools = (pkg: string) => {
  const good = pkg === "core-autodiff" ? goodValues : [...goodValues, ...packageGood, ...(PACKAGE_POOLS[pkg]?.good ?? [])];
  const bad = pkg === "core-autodiff" ? badValues : [...badValues, ...packageBad, ...(PACKAGE_POOLS[pkg]?.bad ?? [])];
  return { good, bad, all: [...good, ...bad] };
};
const fns = (lib: Record<string, unknown>) => Object.entries(lib).filter(([, v]) => typeof v === "function" && !((v as Fn).prototype instanceof Error)) as [string, Fn][];

function plan(seed: number, count: number): Case[] {
  const pick = fc.integer({ min: 0, max: LIBS.length - 1 }).chain((l) => {
    const [pkg, lib] = LIBS[l]!;
    const { good, all } = pools(pkg);
    const names = fns(lib);
    return fc.record({
      pkg: fc.constant(pkg),
      name: fc.constantFrom(...names.map(([n]) => n)),
      args: fc.array(fc.integer({ min: 0, max: all.length - 1 }), { minLength: 1, maxLength: 4 }).filter((a) => a.some((i) => i >= good.length)),
    });
  });
  return fc.sample(pick, { seed, numRuns: count }).map((c, k) => {
    const { all } = pools(c.pkg);
    return { ...c, id: `#${k} ${c.pkg}.${c.name}(${describeArgs(c.args.map((i) => all[i])).slice(0, 160)})` };
  });
}

async function runCase(c: Case): Promise<{ verdict: string; detail: string }> {
  const lib = LIBS.find(([p]) => p === c.pkg)![1];
  const fn = lib[c.name] as Fn;
  const { good, all } = pools(c.pkg);
  const args = c.args.map((i) => all[i]);
  const construct = /^class\b/.test(Function.prototype.toString.call(fn));
  const named = errorClasses(lib, ad, train);
  let result: unknown;
  try {
    result = construct ? Reflect.construct(fn, args) : fn(...args);
    const it = result as { next?: () => unknown; [Symbol.iterator]?: unknown } | null;
    if (it !== null && typeof it === "object" && typeof it.next === "function" && typeof it[Symbol.iterator] === "function") it.next();
    if (result instanceof Promise) result = await result;
  } catch (e) {
    if (e instanceof Error && e.message === "user code") return { verdict: "named", detail: "the fuzzer's own callback threw" };
    if (e instanceof Error && !isGeneric(e) && named.some((C) => e instanceof C)) return { verdict: "named", detail: `${e.name}: ${e.message.slice(0, 160)}` };
    return { verdict: "generic", detail: `${(e as Error)?.name}: ${String((e as Error)?.message ?? e).slice(0, 200)}` };
  }
  const bad = c.args.flatMap((i, k) => (i >= good.length ? [k] : []));
  const call = { name: c.name, fn, args, bad, declared: declaredParams(fn), result, construct };
  const rule = explain([...SHARED_RULES, ...(c.pkg === "core-autodiff" ? AUTODIFF_RULES : (PACKAGE_RULES[c.pkg] ?? []))], call);
  return rule ? { verdict: "ok", detail: `accepted, reviewed reason: ${rule.id}` } : { verdict: "silent", detail: "returned normally with a bad argument and no reviewed reason" };
}

const [mode, a, b] = process.argv.slice(2);
if (mode === "plan") {
  process.stdout.write(JSON.stringify(plan(Number(a), Number(b))));
} else if (mode === "run") {
  for (const c of JSON.parse(a!) as Case[]) {
    process.stdout.write(`START ${c.id}\n`);
    const r = await runCase(c);
    process.stdout.write(`CASE ${JSON.stringify({ id: c.id, ...r })}\n`);
  }
  // a case may leave timers or handles behind: the verdicts are printed, so end here
  process.exit(0);
}
