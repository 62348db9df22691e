import { type Tree, normal, prngKey, tensor, treeLeaves } from "@regularize/core-autodiff";
import { type FitOptions, type Plugin, deserializeState, fit, mlp, serializeState } from "@regularize/core-train";
import { pluginConformanceTests } from "@regularize/core-train/testing";
import { sgd } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import { ema } from "./ema.js";
import { EnsembleOptionError } from "./errors.js";
import { fastGeometric, fgeSchedule, snapshotEnsemble, snapshotSchedule, type SnapshotResult } from "./snapshots.js";
import { swa, swaSchedule, type AverageResult } from "./swa.js";

const n = 24;
const data = {
  x: normal(prngKey(5), [n, 4]),
  y: tensor(Int32Array.from({ length: n }, (_, i) => i % 3), { dtype: "int32" }),
};
const base = (plugins: Plugin[], lr: Parameters<typeof sgd>[0]["learningRate"] = 0.1): FitOptions<Tree> => ({
  model: mlp({ widths: [4, 6, 3] }) as never, data, loss: "crossEntropy", optimizer: sgd({ learningRate: lr, momentum: 0.9 }),
  batchSize: 8, epochs: 6, seed: 11, plugins,
});
const bits = (t: Tree) => treeLeaves(t).flatMap((l) => Array.from(l.data));

/** Run uninterrupted, then interrupted at `at` steps (checkpoint serialised to JSON) and resumed; compare bit for bit. */
async function resumeMatches(make: () => Plugin[], lr?: Parameters<typeof sgd>[0]["learningRate"], at = 7) {
  const full = await fit(base(make(), lr));
  let saved: string | undefined;
  const ac = new AbortController();
  const first = await fit({ ...base(make(), lr), checkpointEvery: at, signal: ac.signal, onCheckpoint: (s) => { saved ??= JSON.stringify(serializeState(s)); ac.abort(); } });
  expect(first.stopped).toBe("aborted");
  const { seed: _seed, ...rest } = base(make(), lr);
  const resumed = await fit({ ...rest, initialState: deserializeState(saved!) });
  expect(bits(resumed.params)).toEqual(bits(full.params));
  return { full, resumed };
}

describe("swa", () => {
  it("is the running mean of the end-of-epoch iterates from startEpoch on", async () => {
    const ends: number[][] = [];
    const spy: Plugin = { name: "spy", afterEpoch: (ctx) => { if (ctx.epoch >= 3) ends.push(bits(ctx.params)); } };
    const r = await fit(base([spy, swa({ startEpoch: 3 })]));
    const avg = r.plugins.swa as AverageResult;
    expect(avg.count).toBe(3);
    const manual = ends[0]!.map((_, k) => (ends[0]![k]! + ends[1]![k]! + ends[2]![k]!) / 3);
    bits(avg.params!).forEach((v, k) => expect(v).toBeCloseTo(manual[k]!, 14));
  });

  it("averages every `everySteps` steps and can replace the final params", async () => {
    const r = await fit(base([swa({ startEpoch: 4, everySteps: 2, applyAtEnd: true })]));
    const avg = r.plugins.swa as AverageResult;
    expect(avg.count).toBe(3); // steps 12..17: after steps 13, 15, 17
    expect(bits(r.params)).toEqual(bits(avg.params!));
  });

  it("resumes bit-identically, average included", async () => {
    const sched = swaSchedule({ learningRate: 0.1, swaLr: 0.02, startStep: 9, annealSteps: 3 });
    const { full, resumed } = await resumeMatches(() => [swa({ startEpoch: 2 })], sched);
    expect(bits((resumed.plugins.swa as AverageResult).params!)).toEqual(bits((full.plugins.swa as AverageResult).params!));
  });

  it("anneals the learning rate to swaLr (cos) after startStep", () => {
    const s = swaSchedule({ learningRate: 0.1, swaLr: 0.02, startStep: 10, annealSteps: 4 });
    expect([s(0), s(9)]).toEqual([0.1, 0.1]);
    expect(s(11)).toBeCloseTo(0.02 + 0.08 * (1 + Math.cos(Math.PI * 0.5)) / 2, 15);
    expect([s(13), s(100)]).toEqual([0.02, 0.02]);
    expect(swaSchedule({ learningRate: 0.1, swaLr: 0.05, startStep: 2 })(2)).toBe(0.05);
  });

  it("rejects bad options with a typed error naming the option", () => {
    expect(() => swa({ startEpoch: -1 })).toThrow(EnsembleOptionError);
    expect(() => swa({ startEpoch: 1, everySteps: 0 })).toThrow(/swa: option "everySteps"/);
    expect(() => swaSchedule({ learningRate: 0.1, swaLr: NaN, startStep: 0 })).toThrow(/swaLr/);
  });
});

describe("ema", () => {
  it("follows avg ← δ·avg + (1 − δ)·φ from a copy of the first iterate", async () => {
    const its: number[][] = [];
    const spy: Plugin = { name: "spy", afterStep: (ctx) => { its.push(bits(ctx.params)); } };
    const r = await fit(base([spy, ema({ decay: 0.9 })]));
    let avg = its[0]!;
    for (const p of its.slice(1)) avg = avg.map((a, k) => 0.9 * a + (1 - 0.9) * p[k]!);
    expect(bits((r.plugins.ema as AverageResult).params!)).toEqual(avg);
    expect((r.plugins.ema as AverageResult).count).toBe(its.length);
  });

  it("resumes bit-identically", async () => {
    const { full, resumed } = await resumeMatches(() => [ema({ decay: 0.95, startStep: 3 })]);
    expect(bits((resumed.plugins.ema as AverageResult).params!)).toEqual(bits((full.plugins.ema as AverageResult).params!));
  });

  it("rejects a decay outside [0, 1]", () => {
    expect(() => ema({ decay: 1.5 })).toThrow(/ema: option "decay"/);
  });
});

describe("snapshot ensembles and FGE", () => {
  it("snapshotSchedule restarts a cosine every cycle", () => {
    const s = snapshotSchedule({ learningRate: 0.2, cycleSteps: 4 });
    expect([s(0), s(4), s(8)]).toEqual([0.2, 0.2, 0.2]);
    expect(s(2)).toBeCloseTo(0.1, 15);
    expect(s(3)).toBeCloseTo(0.1 * (1 + Math.cos((3 * Math.PI) / 4)), 15);
  });

  it("collects one snapshot at the end of every cycle", async () => {
    const r = await fit(base([snapshotEnsemble({ cycleSteps: 6 })], snapshotSchedule({ learningRate: 0.2, cycleSteps: 6 })));
    const s = r.plugins.snapshot as SnapshotResult;
    expect(s.steps).toEqual([5, 11, 17]);
    expect(bits(s.snapshots[2]!)).toEqual(bits(r.params)); // the last step ends a cycle
    const keep = await fit(base([snapshotEnsemble({ cycleSteps: 6, keepLast: 2 })]));
    expect((keep.plugins.snapshot as SnapshotResult).steps).toEqual([11, 17]);
  });

  it("fgeSchedule is triangular with its minimum at each cycle's end; FGE collects there", async () => {
    const s = fgeSchedule({ learningRate: 0.1, high: 0.05, low: 0.01, startStep: 6, cycleSteps: 4 });
    expect(s(5)).toBe(0.1);
    expect([s(6), s(7), s(8), s(9), s(10)].map((v) => +v.toFixed(12))).toEqual([0.03, 0.05, 0.03, 0.01, 0.03]);
    const r = await fit(base([fastGeometric({ startStep: 6, cycleSteps: 4 })], s));
    expect((r.plugins.fge as SnapshotResult).steps).toEqual([9, 13, 17]);
  });

  it("resume bit-identically with their snapshots", async () => {
    const make = () => [snapshotEnsemble({ cycleSteps: 4 }), fastGeometric({ startStep: 2, cycleSteps: 3 })];
    const { full, resumed } = await resumeMatches(make, snapshotSchedule({ learningRate: 0.2, cycleSteps: 4 }), 10);
    for (const k of ["snapshot", "fge"]) {
      const a = full.plugins[k] as SnapshotResult, b = resumed.plugins[k] as SnapshotResult;
      expect(b.steps).toEqual(a.steps);
      expect(b.snapshots.map(bits)).toEqual(a.snapshots.map(bits));
    }
  });
});

const api = { describe, it };
pluginConformanceTests("swa", () => swa({ startEpoch: 0, everySteps: 1 }), api);
pluginConformanceTests("ema", () => ema({ decay: 0.9 }), api);
pluginConformanceTests("snapshotEnsemble", () => snapshotEnsemble({ cycleSteps: 2 }), api);
pluginConformanceTests("fastGeometric", () => fastGeometric({ startStep: 1, cycleSteps: 2 }), api);
