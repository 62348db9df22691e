import { describe, expect, it } from "vitest";
import { type Tensor, type Tree, normal, prngKey, sum, square, tensor, treeScale } from "@regularize/core-autodiff";
import { type GradientTransformation, type Model, fit, mlp, predict } from "@regularize/core-train";
import { activityRegularization } from "./activity.js";
import { maxNorm } from "./constraints.js";
import { groupNorms } from "./group-lasso.js";
import { l0Gates, l0PrunedUnits, withL0Gates } from "./l0-gates.js";
import { l0Count } from "./l0-count.js";
import { l1Prox } from "./l1-prox.js";

// The plugins inside core-train's real runner (not the local mini runner of test/helpers.ts).
const sgd = (lr: number): GradientTransformation<null> => ({ init: () => null, update: (g: Tree, s: null) => [treeScale(g, -lr), s] });
const x = normal(prngKey(1), [24, 3]);
const y = tensor(Array.from({ length: 24 }, (_, i) => [Math.tanh(x.data[3 * i]! - 0.5 * x.data[3 * i + 1]!)]));
const data = { x, y };
const net = mlp({ widths: [3, 12, 1] });

describe("penalties inside fit()", () => {
  it("activityRegularization shrinks the hidden activations the runner's forward produces", async () => {
    const base = await fit({ model: net, data, loss: "mse", optimizer: sgd(0.1), steps: 150, seed: 3 });
    const reg = await fit({ model: net, data, loss: "mse", optimizer: sgd(0.1), steps: 150, seed: 3, plugins: [activityRegularization({ lambda: 0.05 })] });
    const activity = (params: Tree) => {
      const seen: Tensor[] = [];
      predict(net, params as never, x, { plugins: [{ name: "probe", site: (h, s) => (s.kind === "hidden" && seen.push(h), h) }] });
      return sum(square(seen[0]!)).item();
    };
    expect(activity(reg.params)).toBeLessThan(0.8 * activity(base.params));
    // the penalty is part of the differentiated objective the history records
    expect(reg.history.steps[0]!.loss).toBeGreaterThan(reg.history.steps[0]!.dataLoss);
  });

  it("l0Gates prunes units of a gated model and logs the count per epoch", async () => {
    const gated = withL0Gates(net, { units: { hidden0: 12 }, initLogAlpha: 0 }) as Model<Tree>;
    const r = await fit({ model: gated, data, loss: "mse", optimizer: sgd(0.5), epochs: 150, batchSize: 24, seed: 5, plugins: [l0Gates({ lambda: 0.5 })] });
    const last = r.history.epochs.at(-1)!;
    expect(last["l0Gates/pruned"]).toBe(l0PrunedUnits(r.params));
    expect(last["l0Gates/pruned"]).toBeGreaterThan(0);
    expect(last["l0Gates/expectedL0"]).toBeLessThan(r.history.epochs[0]!["l0Gates/expectedL0"]!);
  });

  it("l1Prox after the optimizer leaves exact zeros and maxNorm holds every unit's norm ≤ c", async () => {
    const r = await fit({ model: net, data, loss: "mse", optimizer: sgd(0.1), steps: 200, seed: 2, plugins: [l1Prox({ lambda: 0.05, learningRate: 0.1 }), maxNorm({ c: 0.5 })] });
    expect(l0Count(r.params)).toBeLessThan(3 * 12 + 12);
    const layers = (r.params as { layers: { w: Tensor }[] }).layers;
    for (const l of layers) for (const v of groupNorms(l.w, 0).data) expect(v).toBeLessThanOrEqual(0.5 + 1e-12);

  });
});
