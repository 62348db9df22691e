import { describe, expect, it } from "vitest";
import { ExperimentAbortedError, ExperimentParamsError } from "../errors.js";
import type { CheckpointStore } from "../experiment.js";
import { runExperiment } from "../run-experiment.js";
import type { TrainResult } from "../impl/mnist1d-train.js";
import type { Mnist1dBaselinesResult } from "../impl/mnist1d-baselines.js";

const tiny = { samples: 500, steps: 60, evalEvery: 20 };

/** A checkpoint store in memory, storing JSON text as a run folder would. */
function memoryStore(): CheckpointStore & { saves: number; text: string | undefined } {
  return {
    saves: 0,
    text: undefined,
    load() { return this.text === undefined ? undefined : JSON.parse(this.text); },
    save(state) { this.saves++; this.text = JSON.stringify(state); },
  };
}

describe("mnist1d", () => {
  it("learns: a short reference-protocol run beats chance by far (15 210 parameters)", async () => {
    const r = (await runExperiment("mnist1d", { steps: 120, evalEvery: 0 })) as TrainResult;
    expect(r.parameters).toBe(15210);
    expect(r.testAccuracy).toBeGreaterThan(0.3);
    expect(r.trainLoss).toBeLessThan(Math.log(10));
    expect(r.stepsDone).toBe(120);
    expect(r.testError).toBeCloseTo(100 * (1 - r.testAccuracy), 12);
  });

  it("trains in float32 by default, as mnist1d-baselines' MLP (the same protocol: identical accuracies); float64 on request", async () => {
    const short = { steps: 60, evalEvery: 0 };
    const f32 = (await runExperiment("mnist1d", short)) as TrainResult;
    const base = (await runExperiment("mnist1d-baselines", { models: ["mlp"], data: ["normal"], steps: 60 })) as Mnist1dBaselinesResult;
    expect(f32.testAccuracy).toBe(base.runs.normal!.mlp!.testAccuracy);
    expect(f32.trainAccuracy).toBe(base.runs.normal!.mlp!.trainAccuracy);
    const f64 = (await runExperiment("mnist1d", { ...short, dtype: "float64" })) as TrainResult;
    // the same initialisation and data up to rounding: the first step's loss agrees to float32 precision, not bit for bit
    expect(f64.loss.values[0]).not.toBe(f32.loss.values[0]);
    expect(Math.abs(f64.loss.values[0]! - f32.loss.values[0]!)).toBeLessThan(1e-5 * f64.loss.values[0]!);
    expect(JSON.parse(JSON.stringify(f32))).toStrictEqual(f32);
    expect(Object.keys(f32)).toEqual(Object.keys(f64));
  });

  it("is deterministic, and the seed reaches the initialisation", async () => {
    const a = (await runExperiment("mnist1d", tiny)) as TrainResult;
    const b = (await runExperiment("mnist1d", tiny)) as TrainResult;
    const c = (await runExperiment("mnist1d", { ...tiny, seed: 1 })) as TrainResult;
    expect(b).toStrictEqual(a);
    expect(c.testLoss).not.toBe(a.testLoss);
    expect(a.curve.steps).toEqual([20, 40, 60]);
  });

  it("resumes an aborted run from its checkpoint bit for bit", async () => {
    const full = (await runExperiment("mnist1d", tiny)) as TrainResult;
    const store = memoryStore();
    const ac = new AbortController();
    const err = await runExperiment("mnist1d", tiny, {
      signal: ac.signal, checkpoint: store,
      onProgress: (p) => { if ((p.metrics?.step ?? 0) >= 25) ac.abort(); },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExperimentAbortedError);
    const saved = JSON.parse(store.text!) as { state: { step: number } };
    expect(saved.state.step).toBeGreaterThanOrEqual(25);
    expect(saved.state.step).toBeLessThan(60);
    const resumed = (await runExperiment("mnist1d", tiny, { checkpoint: store })) as TrainResult;
    expect(resumed).toStrictEqual(full);
  });

  it("refuses a checkpoint saved for other params", async () => {
    const store = memoryStore();
    const ac = new AbortController();
    await runExperiment("mnist1d", tiny, { signal: ac.signal, checkpoint: store, onProgress: () => ac.abort() }).catch(() => undefined);
    await expect(runExperiment("mnist1d", { ...tiny, lr: 0.02 }, { checkpoint: store })).rejects.toThrow(/other params/);
  });

  it("rejects out-of-range values before training, naming the param", async () => {
    for (const bad of [{ lr: -1 }, { lr: 1e308 }, { weightDecay: -1e-4 }, { batch: 0 }, { steps: 1.5 }, { model: "rnn" }, { dtype: "float16" }]) {
      const e = await runExperiment("mnist1d", bad).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ExperimentParamsError);
      expect((e as ExperimentParamsError).issues[0]!.path).toBe(Object.keys(bad)[0]);
    }
  });

  it("fails with the engine's error on a diverging lr (checkFinite)", async () => {
    await expect(runExperiment("mnist1d", { samples: 200, steps: 30, evalEvery: 0, optimizer: "sgd", lr: 10 }))
      .rejects.toThrow(/finite|NaN|Inf/i);
  });
});
