import { add, bernoulli, mul, normal, scalar, sum, tensor, treeLeaves, treeMap, treeSquaredNorm } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { applicableChecks, assertConformance, pluginConformanceTests, runPluginConformance, type ConformanceReport } from "./conformance.js";
import type { Plugin } from "./plugin.js";

const l2 = (lambda: number): Plugin => ({ name: "l2", penalty: (p) => mul(treeSquaredNorm(p), lambda) });
const dropout = (rate: number): Plugin => ({
  name: "dropout",
  site: (h, s, ctx) => (ctx.active && s.kind === "hidden" ? mul(h, mul(bernoulli(ctx.key, 1 - rate, [...h.shape]), 1 / (1 - rate))) : h),
});
const gradNoise = (sigma: number): Plugin => ({
  name: "grad-noise", enforce: "pre",
  transform: { init: () => ({ n: 0 }), update: (g, s: { n: number }, _p, _step, key) => [treeMap((x) => add(x, normal(key!, [...x.shape], { std: sigma })), g), { n: s.n + 1 }] },
});
function counter(): Plugin {
  let n = 0;
  return {
    name: "counter",
    beforeFit: () => { n = 0; },
    afterBatch: (ctx) => { n++; ctx.log("n", n); },
    saveState: () => ({ n }),
    loadState: (s) => { n = (s as { n: number }).n; },
  };
}

const status = (r: ConformanceReport) => Object.fromEntries(r.checks.map((c) => [c.name, c.status]));
const message = (r: ConformanceReport, check: string) => r.checks.find((c) => c.name === check)?.message ?? "";

describe("runPluginConformance", () => {
  it("passes well-behaved penalty, stochastic-layer, transform and stateful plugins", async () => {
    for (const make of [() => l2(1e-3), () => dropout(0.3), () => gradNoise(1e-3), counter]) {
      const r = await runPluginConformance(make, { steps: 6 });
      expect(r.checks.filter((c) => c.status === "failed")).toEqual([]);
      expect(r.ok).toBe(true);
    }
    expect(status(await runPluginConformance(() => l2(1e-3), { steps: 4 }))).toMatchObject({ penalty: "passed", transform: "skipped", "eval-deterministic": "skipped" });
  });

  it("fails a plugin that draws from Math.random instead of its key", async () => {
    const r = await runPluginConformance(() => ({ name: "impure", site: (h, _s, ctx) => (ctx.active ? mul(h, 1 + Math.random()) : h) }), { steps: 4 });
    expect(r.ok).toBe(false);
    expect(status(r)).toMatchObject({ deterministic: "failed", resume: "failed", "eval-deterministic": "failed" });
    expect(message(r, "eval-deterministic")).toMatch(/train mode with the same key is not deterministic/);
    expect(message(r, "deterministic")).toMatch(/plugin "impure" fails conformance check "deterministic": two fits with the same seed/);
  });

  it("fails a plugin that modifies the parameters in place", async () => {
    const r = await runPluginConformance(() => ({ name: "mutator", afterStep: (ctx) => { for (const l of treeLeaves(ctx.params)) l.data.fill(0); } }), { steps: 4 });
    expect(message(r, "no-mutation")).toMatch(/modified in place/);
  });

  it("fails a plugin whose state is neither saved nor reset (resume and reuse break)", async () => {
    let n = 0; // shared across instances: the factory is not pure either
    const leaky = (): Plugin => ({ name: "leaky", penalty: () => scalar(0.01 * n++) });
    const r = await runPluginConformance(leaky, { steps: 4 });
    expect(status(r)).toMatchObject({ reusable: "failed", resume: "failed", "factory-pure": "failed" });
  });

  it("fails eval-mode randomness, malformed transforms and non-scalar penalties", async () => {
    const evalNoise = await runPluginConformance(() => ({ name: "eval-noise", site: (h, _s, ctx) => mul(h, add(normal(ctx.key, [...h.shape], { std: 0.1 }), 1)) }), { steps: 4 });
    expect(message(evalNoise, "eval-deterministic")).toMatch(/eval mode \(not activated\) depends on the key/);
    const badT = await runPluginConformance(() => ({ name: "bad-t", transform: { init: () => null, update: (_g, s) => [tensor([1]), s] } }), { steps: 4 });
    expect(message(badT, "transform")).toMatch(/structure/);
    const vec = await runPluginConformance(() => ({ name: "vec", penalty: (p) => sum(treeSquaredNorm(p), { axis: [] }) }), { steps: 2 });
    expect(vec.ok).toBe(true);
    const notScalar = await runPluginConformance(() => ({ name: "not-scalar", penalty: () => tensor([1, 2]) }), { steps: 2, skip: ["fit-classification", "fit-regression", "deterministic", "reusable", "factory-pure", "no-mutation", "resume"] });
    expect(message(notScalar, "penalty")).toMatch(/not a scalar/);
  });

  it("fails a factory that returns one shared object, and skips factory checks for a bare plugin", async () => {
    const shared = l2(1e-3);
    expect(status(await runPluginConformance(() => shared, { steps: 2 }))["factory-pure"]).toBe("failed");
    expect(status(await runPluginConformance(shared, { steps: 2 }))).toMatchObject({ "factory-pure": "skipped", deterministic: "skipped", reusable: "passed" });
  });

  it("throws a readable summary from assertConformance", async () => {
    const r = await runPluginConformance(() => ({ name: "" }), { steps: 2, skip: ["fit-classification", "fit-regression", "deterministic", "reusable", "factory-pure", "no-mutation", "resume", "compiled"] });
    expect(() => assertConformance(r)).toThrow(/fails 1 conformance check\(s\):\n- plugin "" fails conformance check "name"/);
  });
});

describe("pluginConformanceTests", () => {
  it("registers one test per applicable check with the injected runner", () => {
    const names: string[] = [];
    pluginConformanceTests("dropout", () => dropout(0.5), { describe: (n, fn) => { names.push(n); fn(); }, it: (n) => { names.push(n); } });
    expect(names[0]).toBe("dropout conformance");
    expect(names.slice(1)).toEqual(applicableChecks(() => dropout(0.5)).map((c) => `passes "${c}"`));
    expect(names).toContain(`passes "eval-deterministic"`);
    expect(names).not.toContain(`passes "penalty"`);
  });
});

pluginConformanceTests("counter (with vitest)", counter, { describe, it }, { steps: 4 });
