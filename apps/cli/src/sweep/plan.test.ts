import { describe, expect, it } from "vitest";
import { SweepPlanError, buildSpec, planTrials } from "./plan.ts";
import { canonicalJson, trialId } from "./trial.ts";

describe("sweep plan", () => {
  it("expands grid × seeds into trials whose ids depend on content only", () => {
    const trials = planTrials(buildSpec("queue-selftest", { grid: ["ms=0,5"], seeds: 3 }));
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => t.id)).size).toBe(6);
    expect(trials.map((t) => [t.params.ms, t.seed])).toEqual([[0, 0], [0, 1], [0, 2], [5, 0], [5, 1], [5, 2]]);
    // the same content in another key order gives the same id; other content another id
    const t = trials[4]!;
    expect(trialId("queue-selftest", { seed: 1, fail: "none", ms: 5 }, 1)).toBe(t.id);
    expect(trialId("queue-selftest", { ...t.params, ms: 6 }, 1)).not.toBe(t.id);
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 0 } })).toBe('{"a":{"c":0,"d":[1,{"x":1,"y":2}]},"b":1}');
    // planning again (a re-run of the same command) gives the same ids
    expect(planTrials(buildSpec("queue-selftest", { grid: ["ms=0,5"], seeds: 3 })).map((x) => x.id)).toEqual(trials.map((x) => x.id));
  });

  it("starts seeds at the seed param and fills defaults into every trial", () => {
    const trials = planTrials(buildSpec("queue-selftest", { set: ["seed=10"], seeds: 2 }));
    expect(trials.map((t) => t.params)).toEqual([{ ms: 0, seed: 10, fail: "none" }, { ms: 0, seed: 11, fail: "none" }]);
  });

  it("validates every trial before anything runs, naming the param", () => {
    const plan = (grid: string[], set: string[] = []) => () => planTrials(buildSpec("queue-selftest", { grid, set }));
    expect(plan(["lr=1,2"])).toThrow(/unknown param "lr"; valid params: ms, seed, fail/);
    expect(plan(["ms=5,-1"])).toThrow(SweepPlanError);
    expect(plan(["ms=5,-1"])).toThrow(/ms/);
    expect(plan(["ms=5,fast"])).toThrow(/"ms" must be a number, got "fast"/);
    expect(plan(["fail=none,sometimes"])).toThrow(/fail/);
    expect(plan(["ms"])).toThrow(/--grid expects key=value/);
    expect(plan(["seed=1,2"])).toThrow(/use --seeds/);
    expect(() => buildSpec("no-such-experiment", {})).toThrow(/unknown experiment "no-such-experiment"; valid ids: .*queue-selftest/);
    expect(() => buildSpec("queue-selftest", { seeds: 0 })).toThrow(/--seeds/);
  });
});
