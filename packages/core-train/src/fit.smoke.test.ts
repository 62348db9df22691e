import { normal, prngKey, split, tensor, type Tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { fit } from "./fit.js";
import { mlp } from "./mlp.js";
import { conv1dNet } from "./conv1d-net.js";
import { referenceSgd } from "./reference-sgd.js";

/** Synthetic MNIST-1D-like data: 10 classes, each a fixed random 40-sample template plus noise. */
export function syntheticSignals(n: number, seed: number, noise = 0.5): { x: Tensor; y: Tensor } {
  const [kx, kn] = split(prngKey(seed), 2) as [ReturnType<typeof prngKey>, ReturnType<typeof prngKey>];
  const templates = normal(prngKey(12345), [10, 40]).data;
  const eps = normal(kn, [n, 40], { std: noise }).data;
  const coin = normal(kx, [n]).data;
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7 + (coin[i]! > 0 ? 1 : 0)) % 10);
  const x = new Float64Array(n * 40);
  for (let i = 0; i < n; i++) for (let j = 0; j < 40; j++) x[i * 40 + j] = templates[labels[i]! * 40 + j]! + eps[i * 40 + j]!;
  return { x: tensor(x, { shape: [n, 40] }), y: tensor(labels, { dtype: "int32" }) };
}

describe("fit smoke training", () => {
  it("raises validation accuracy of the MNIST-1D MLP on separable synthetic data", async () => {
    const data = syntheticSignals(400, 1);
    const validation = syntheticSignals(200, 2);
    const t0 = performance.now();
    const r = await fit({ model: mlp({ widths: [40, 100, 100, 10], residual: true }), data, validation, loss: "crossEntropy", optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), batchSize: 50, epochs: 5, seed: 3 });
    console.log("mlp", performance.now() - t0, r.history.epochs.map((e) => [e.trainLoss, e.valAccuracy]));
    expect(r.history.epochs.at(-1)!.valAccuracy!).toBeGreaterThan(0.9);
  });
  it("cnn", async () => {
    const data = syntheticSignals(400, 1);
    const validation = syntheticSignals(200, 2);
    const t0 = performance.now();
    const r = await fit({ model: conv1dNet(), data, validation, loss: "crossEntropy", optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), batchSize: 50, epochs: 3, seed: 3 });
    console.log("cnn", performance.now() - t0, r.history.epochs.map((e) => [e.trainLoss, e.valAccuracy]));
    expect(r.history.epochs.at(-1)!.valAccuracy!).toBeGreaterThan(0.5);
  });
});
