import { normal, prngKey, tensor } from "@regularize/core-autodiff";
import { type Dataset, evaluatePredictive, fit, mlp, predict } from "@regularize/core-train";
import { RandomState } from "@regularize/datasets";
import { sgd } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import {
  architectureMembers, bootstrapMembers, ema, ensemble, fastGeometric, fgeSchedule, hyperparameterMembers, majorityVote, mean,
  meanOfLogits, meanOfProbabilities, median, memberModel, memberParams, seedMembers, snapshotEnsemble, snapshotSchedule, stacking,
  swa, swaSchedule, toPlainData, trainMembers, weightedMean, type AverageResult, type SnapshotResult,
} from "./index.js";

// The README's examples at toy size: 3 classes in 5-D instead of MNIST-1D.
function blobs(n: number, seed: number): Dataset {
  const e = normal(prngKey(seed), [n, 5], { std: 0.8 }).data;
  const x = Float64Array.from(e, (v, k) => v + ((k % 5) === Math.floor(k / 5) % 3 ? 1.5 : 0));
  return { x: tensor(x, { shape: [n, 5] }), y: tensor(Int32Array.from({ length: n }, (_, i) => i % 3), { dtype: "int32" }) };
}
const train = blobs(60, 1), val = blobs(30, 2), test = blobs(60, 3);

describe("README", () => {
  it("members → ensemble → metrics, combiners and stacking", async () => {
    const base = { widths: [5, 8, 3], learningRate: 0.1, epochs: 3, batchSize: 20 };
    const specs = [
      ...seedMembers(base, [1, 2]),
      ...bootstrapMembers({ ...base, seed: 3 }, { n: 60, members: 2, rng: new RandomState(0) }),
      ...hyperparameterMembers({ ...base, seed: 4 }, { learningRate: [0.05, 0.2] }),
      ...architectureMembers({ ...base, seed: 5 }, [[5, 6, 6, 3]]),
    ];
    const plain = await trainMembers(specs, toPlainData(train), { workers: 1 });
    const members = specs.map((s, i) => ({ model: memberModel(s), params: memberParams(s, plain[i]!) }));

    const ens = ensemble({ members, combiner: meanOfProbabilities() });
    const { accuracy, nll, brier, ece, entropy, mutualInformation, disagreement } = evaluatePredictive(ens, test);
    for (const v of [accuracy, nll, brier, ece, entropy, mutualInformation, disagreement]) expect(Number.isFinite(v)).toBe(true);
    const out = ens.predict(test.x, { members: true });
    expect(out.members).toHaveLength(7);
    expect(accuracy).toBeGreaterThan(0.5);

    for (const c of [meanOfLogits(), majorityVote(), weightedMean({ weights: [1, 1, 1, 1, 1, 1, 2] })]) {
      const e = ensemble({ members, combiner: c });
      expect(e.predict(test.x).mean.shape).toEqual(c.kind === "classification" ? [60, 3] : [60, 3]);
    }
    expect(ensemble({ members: () => [tensor([1]), tensor([3])], combiner: median() }).predict(tensor([0])).mean.data[0]).toBe(2);
    expect(ensemble({ members: () => [tensor([1]), tensor([3])], combiner: mean() }).predict(tensor([0])).mean.data[0]).toBe(2);

    const held = members.map((m) => predict(m.model, m.params, val.x));
    const st = stacking(held, val.y, { kind: "classification" });
    const stacked = ensemble({ members, combiner: st });
    expect(st.fit.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(evaluatePredictive(stacked, val).nll!).toBeLessThanOrEqual(evaluatePredictive(ens, val).nll! + 1e-12);
  });

  it("SWA, EMA, snapshot ensembles and FGE from single runs", async () => {
    const model = mlp({ widths: [5, 8, 3] });
    const stepsPerEpoch = 3;
    const opts = { model, data: train, loss: "crossEntropy" as const, batchSize: 20, seed: 7 };
    const r = await fit({
      ...opts, epochs: 8,
      optimizer: sgd({ learningRate: swaSchedule({ learningRate: 0.1, swaLr: 0.02, startStep: 5 * stepsPerEpoch, annealSteps: stepsPerEpoch }) }),
      plugins: [swa({ startEpoch: 5 }), ema({ decay: 0.99 })],
    });
    expect((r.plugins.swa as AverageResult).count).toBe(3);
    expect((r.plugins.ema as AverageResult).count).toBe(24);

    const s = await fit({ ...opts, epochs: 8, optimizer: sgd({ learningRate: snapshotSchedule({ learningRate: 0.2, cycleSteps: 6 }) }), plugins: [snapshotEnsemble({ cycleSteps: 6 })] });
    const snaps = (s.plugins.snapshot as SnapshotResult).snapshots;
    expect(snaps).toHaveLength(4);
    const snap = ensemble({ members: snaps.map((params) => ({ model, params })), combiner: meanOfProbabilities() });
    expect(evaluatePredictive(snap, test).accuracy).toBeGreaterThan(0.4);

    const f = await fit({
      ...opts, epochs: 8, optimizer: sgd({ learningRate: fgeSchedule({ learningRate: 0.1, high: 0.05, low: 0.005, startStep: 12, cycleSteps: 4 }) }),
      plugins: [fastGeometric({ startStep: 12, cycleSteps: 4 })],
    });
    expect((f.plugins.fge as SnapshotResult).steps).toEqual([15, 19, 23]);
  });
});
