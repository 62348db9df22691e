import { test } from "@fast-check/vitest";
import { Tensor, type Tree, tensor } from "@regularize/core-autodiff";
import { type Plugin, fit, mlp } from "@regularize/core-train";
import { RandomState, bootstrapIndices, multiplicities } from "@regularize/datasets";
import fc from "fast-check";
import { describe, expect } from "vitest";
import { majorityVote, mean, meanOfLogits, meanOfProbabilities, median } from "./combiners.js";
import { RunningTree } from "./running-average.js";
import { fitStackingWeights } from "./stacking.js";
import { swa, type AverageResult } from "./swa.js";

const finite = fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });
/** M members' predictions on L points, plus the truth. */
const members = (maxM = 6, maxL = 8) =>
  fc.integer({ min: 1, max: maxL }).chain((L) =>
    fc.record({
      preds: fc.array(fc.array(finite, { minLength: L, maxLength: L }), { minLength: 1, maxLength: maxM }),
      truth: fc.array(finite, { minLength: L, maxLength: L }),
    }));
const mse = (p: ArrayLike<number>, t: readonly number[]) => t.reduce((s, v, i) => s + (p[i]! - v) ** 2, 0) / t.length;

describe("ensemble properties", () => {
  test.prop([members()])("the ensemble mean's squared error ≤ the mean of the members' (Jensen)", ({ preds, truth }) => {
    const ens = mean().combine(preds.map((p) => tensor(p)));
    const avgMember = preds.reduce((s, p) => s + mse(p, truth), 0) / preds.length;
    expect(mse(ens.data, truth)).toBeLessThanOrEqual(avgMember * (1 + 1e-12) + 1e-12);
  });

  test.prop([members(), fc.integer({ min: 0, max: 1000 })])("every combiner is invariant to the members' order (bit for bit)", ({ preds }, shuffleSeed) => {
    const order = preds.map((_, i) => i).sort((a, b) => ((a * 7919 + shuffleSeed) % 97) - ((b * 7919 + shuffleSeed) % 97) || a - b);
    const ws = preds.map((_, i) => 1 + ((i * 31 + shuffleSeed) % 5));
    const ts = preds.map((p) => tensor(p)), perm = order.map((i) => ts[i]!), pw = order.map((i) => ws[i]!);
    const L = preds[0]!.length;
    const cls = (t: Tensor) => new Tensor(t.data, [1, L], "float64"); // one row of L classes
    for (const [c, a, b] of [
      [mean(), ts, perm], [median(), ts, perm],
      [meanOfProbabilities(), ts.map(cls), perm.map(cls)], [meanOfLogits(), ts.map(cls), perm.map(cls)], [majorityVote(), ts.map(cls), perm.map(cls)],
    ] as const) {
      expect(Array.from(c.combine(b).data)).toEqual(Array.from(c.combine(a).data));
    }
    expect(Array.from(mean().combine(perm, pw).data)).toEqual(Array.from(mean().combine(ts, ws).data));
    expect(Array.from(meanOfProbabilities().combine(perm.map(cls), pw).data)).toEqual(Array.from(meanOfProbabilities().combine(ts.map(cls), ws).data));
  });

  // predictions on a 1e-4 grid: the property is about duplicates, not about subnormal arithmetic
  const grid = fc.integer({ min: -1_000_000, max: 1_000_000 }).map((i) => i / 1e4);
  const gridMembers = fc.integer({ min: 1, max: 6 }).chain((L) => fc.record({
    preds: fc.array(fc.array(grid, { minLength: L, maxLength: L }), { minLength: 1, maxLength: 3 }),
    truth: fc.array(grid, { minLength: L, maxLength: L }),
  }));
  test.prop([gridMembers], { numRuns: 40 })("stacking weights on a duplicated member reproduce the single member", ({ preds, truth }) => {
    const only = tensor(preds[0]!);
    const r = fitStackingWeights([only, only], tensor(truth), { kind: "regression" });
    const stacked = only.data.map((v) => r.weights[0]! * v + r.weights[1]! * v);
    Array.from(stacked).forEach((v, i) => expect(v).toBeCloseTo(only.data[i]!, 9));
    expect(r.weights[0]).toBeCloseTo(r.weights[1]!, 12); // uniform start, symmetric problem
  });

  test.prop([fc.array(finite, { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 20 })])(
    "the running mean (SWA) of a constant trajectory is that point",
    (point, steps) => {
      const avg = new RunningTree();
      const t: Tree = { w: tensor(point) };
      for (let s = 0; s < steps; s++) avg.addToMean("swa", t);
      // equal as numbers (−0 may come back as +0: torch's update avg + (φ − avg)/(n + 1))
      Array.from((avg.tree() as { w: Tensor }).w.data).forEach((v, i) => expect(v === point[i]).toBe(true));
    },
  );

  test.prop([fc.integer({ min: 0, max: 2 ** 31 - 1 })], { numRuns: 5 })(
    "bootstrap multiplicities sum to I; the distinct fraction tends to 1 − (1 − 1/I)^I ≈ 0.6447 for I = 15",
    (seed) => {
      const rng = new RandomState(seed), I = 15, draws = 4000;
      let distinct = 0;
      for (let d = 0; d < draws; d++) {
        const m = multiplicities(bootstrapIndices(I, rng), I);
        expect(m.reduce((a, b) => a + b, 0)).toBe(I);
        distinct += m.filter((c) => c > 0).length / I;
      }
      const expected = 1 - (1 - 1 / I) ** I;
      expect(expected).toBeCloseTo(0.6447, 4);
      // sd of one draw's fraction ≈ 0.1, so 4000 draws: ±0.0016 per sd; 5 sd
      expect(Math.abs(distinct / draws - expected)).toBeLessThan(0.008);
    },
  );
});

describe("swa on fit", () => {
  test.prop([fc.integer({ min: 0, max: 3 })], { numRuns: 3 })("averages a trajectory that does not move to that point", async (startEpoch) => {
    // lr 0: every iterate is the initial point
    const { sgd } = await import("@regularize/optim");
    const data = { x: tensor([[0, 1], [1, 0], [1, 1], [0, 0]]), y: tensor([0, 1, 1, 0], { dtype: "int32" }) };
    const plugins: Plugin[] = [swa({ startEpoch })];
    const r = await fit({ model: mlp({ widths: [2, 3, 2] }), data, loss: "crossEntropy", optimizer: sgd({ learningRate: 0 }), batchSize: 2, epochs: 4, seed: 3, plugins });
    const avg = r.plugins.swa as AverageResult;
    expect(avg.count).toBe(4 - startEpoch);
    expect(avg.params).toEqual(r.params);
  });
});
