import { add, mul, normal, treeSquaredNorm } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs } from "../test/helpers.js";
import { runPluginConformance } from "./conformance.js";
import { fit } from "./fit.js";
import { evaluatePredictive } from "./metrics.js";
import { predict } from "./predict.js";
import { predictiveFromMembers } from "./predictive.js";
import { mlp } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";

// The three plugins of the README's "Writing a plugin", verbatim.
const l2 = ({ lambda }: { lambda: number }): Plugin => ({
  name: "l2",
  penalty: (params) => mul(treeSquaredNorm(params), lambda),
});
const inputNoise = ({ sigma }: { sigma: number }): Plugin => ({
  name: "input-noise",
  beforeBatch: (batch, ctx) => ({ ...batch, x: add(batch.x, normal(ctx.key, [...batch.x.shape], { std: sigma })) }),
});
function epochLogger(print: (s: string) => void = console.log): Plugin {
  let best = Infinity;
  return {
    name: "epoch-logger",
    beforeFit: (ctx) => { if (!ctx.resumed) best = Infinity; },
    afterEpoch: async (ctx) => {
      const v = ctx.metrics?.valLoss ?? ctx.metrics?.trainLoss ?? NaN;
      best = Math.min(best, v);
      ctx.log("bestSoFar", best);
      print(`epoch ${ctx.epoch}: ${v.toFixed(4)} (best ${best.toFixed(4)})`);
    },
    saveState: () => ({ best }),
    loadState: (s) => { best = (s as { best: number }).best; },
  };
}

describe("README plugin examples", () => {
  it("train together and log the best validation loss per epoch", async () => {
    const lines: string[] = [];
    const r = await fit({
      model: mlp({ widths: [4, 8, 3] }), data: blobs(12, 1), validation: blobs(6, 2), loss: "crossEntropy",
      optimizer: referenceSgd({ lr: 0.1 }), batchSize: 4, epochs: 3, seed: 1,
      plugins: [l2({ lambda: 1e-3 }), inputNoise({ sigma: 0.1 }), epochLogger((s) => lines.push(s))],
    });
    expect(lines).toHaveLength(3);
    const best = r.history.epochs.map((e) => e.bestSoFar!);
    expect(best[2]).toBe(Math.min(...r.history.epochs.map((e) => e.valLoss!)));
  });

  for (const [name, make] of [["l2", () => l2({ lambda: 1e-3 })], ["input-noise", () => inputNoise({ sigma: 0.1 })], ["epoch-logger", () => epochLogger(() => {})]] as const) {
    it(`${name} passes the conformance suite`, async () => {
      const report = await runPluginConformance(make, { steps: 6 });
      expect(report.checks.filter((c) => c.status === "failed")).toEqual([]);
    });
  }
});

describe("README Predictive example", () => {
  it("evaluates an ensemble of fitted models with every classification metric", async () => {
    const model = mlp({ widths: [4, 8, 3] });
    const test = blobs(9, 7);
    const paramsList = await Promise.all([1, 2, 3].map(async (seed) =>
      (await fit({ model, data: blobs(12, 1), loss: "crossEntropy", optimizer: referenceSgd({ lr: 0.1 }), batchSize: 4, epochs: 2, seed })).params));
    const ens = predictiveFromMembers({ kind: "classification", members: (x) => paramsList.map((p) => predict(model, p, x)) });
    const { accuracy, nll, brier, ece, mutualInformation } = evaluatePredictive(ens, test);
    for (const v of [accuracy, nll, brier, ece, mutualInformation]) expect(Number.isFinite(v)).toBe(true);
    expect(mutualInformation).toBeGreaterThan(0); // differently seeded members disagree a little
  });
});
