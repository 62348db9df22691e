import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs, gaborData, syntheticSignals } from "../test/helpers.js";
import { fit } from "./fit.js";
import { gabor } from "./gabor.js";
import { mlp } from "./mlp.js";
import { referenceSgd } from "./reference-sgd.js";
import { shallowNet } from "./shallow-net.js";

describe("fit", () => {
  it("reproduces notebook 9.1's full-batch GD path when α = 0.1 for 41 steps from (2.6, 8.5)", async () => {
    const r = await fit({ model: gabor({ init: [2.6, 8.5] }), data: gaborData, loss: "sse", optimizer: referenceSgd({ lr: 0.1 }), steps: 41 });
    const [p0, p1] = r.params.phi.toFlatArray() as [number, number];
    expect(p0).toBeCloseTo(6.05, 2);
    expect(p1).toBeCloseTo(12.84, 2);
    // CHAPTER9 §1.3 test vectors: L(2.6, 8.5) = 18.5032, ‖∇L‖ = ‖(−0.98858, 0.90583)‖
    expect(r.history.steps[0]!.loss).toBeCloseTo(18.5032, 3);
    expect(r.history.steps[0]!.gradNorm).toBeCloseTo(Math.hypot(0.98858, 0.90583), 4);
    expect(r.history.steps.at(-1)!.loss).toBeLessThan(5.8);
    expect(r.history.steps).toHaveLength(41);
    expect(r.history.steps[0]!.lr).toBe(0.1);
    expect(r.stopped).toBe("completed");
  });

  it("runs plugin-free steps in a tidy scope: same bits as the unscoped path, results survive later runs", async () => {
    const data = blobs(40, 3);
    const opts = { model: mlp({ widths: [4, 16, 3] }), data, loss: "crossEntropy" as const, optimizer: referenceSgd({ lr: 0.1, momentum: 0.9 }), batchSize: 8, epochs: 3, seed: 5 };
    const scoped = await fit(opts);
    // a plugin without hooks takes the unscoped path (every tensor a fresh buffer)
    const plain = await fit({ ...opts, plugins: [{ name: "noop" }] });
    const flat = (r: typeof scoped) => [...r.params.layers.flatMap((l) => [...l.w.data, ...(l.b?.data ?? [])])];
    expect(flat(scoped)).toEqual(flat(plain));
    expect(scoped.history.steps.map((s) => s.loss)).toEqual(plain.history.steps.map((s) => s.loss));
    const kept = flat(scoped), keptState = JSON.stringify(scoped.state.optimizer, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
    await fit({ ...opts, model: mlp({ widths: [4, 64, 64, 3] }), epochs: 2, seed: 6 }); // reuses the freed scope memory
    expect(flat(scoped)).toEqual(kept);
    expect(JSON.stringify(scoped.state.optimizer, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))).toBe(keptState);
  });

  it("does full-batch gradient descent when batchSize ≥ n (one step per epoch, same result as no batchSize)", async () => {
    const opts = { model: gabor({ init: [2.6, 8.5] }), data: gaborData, loss: "sse" as const, optimizer: referenceSgd({ lr: 0.1 }), epochs: 5 };
    const a = await fit(opts);
    const b = await fit({ ...opts, batchSize: 1000 });
    expect(a.history.steps).toHaveLength(5);
    expect(a.history.epochs.map((e) => e.batches)).toEqual([1, 1, 1, 1, 1]);
    expect(b.params.phi.toFlatArray()).toEqual(a.params.phi.toFlatArray());
  });

  it("records per-epoch train and validation metrics", async () => {
    const data = blobs(12, 1), validation = blobs(9, 2);
    const r = await fit({ model: mlp({ widths: [4, 8, 3] }), data, validation, loss: "crossEntropy", optimizer: referenceSgd({ lr: 0.1 }), batchSize: 5, epochs: 2, evaluateTrain: true, seed: 4 });
    expect(r.history.steps).toHaveLength(6); // 3 batches (5, 5, 2) per epoch
    expect(r.history.epochs).toHaveLength(2);
    const e = r.history.epochs[1]!;
    expect(e.epoch).toBe(1);
    expect(e.step).toBe(6);
    expect(e.batches).toBe(3);
    const mean = r.history.steps.slice(3).reduce((s, x) => s + x.loss, 0) / 3;
    expect(e.trainLoss).toBeCloseTo(mean, 12);
    expect(e.valLoss).toBeGreaterThan(0);
    expect(e.valAccuracy).toBeGreaterThanOrEqual(0);
    expect(e.trainAccuracy).toBeLessThanOrEqual(1);
  });

  it("drops the short last batch when dropLast", async () => {
    const r = await fit({ model: mlp({ widths: [4, 3] }), data: blobs(12), loss: "crossEntropy", optimizer: referenceSgd({ lr: 0.1 }), batchSize: 5, epochs: 1, dropLast: true });
    expect(r.history.epochs[0]!.batches).toBe(2);
  });

  it("stops at whichever of steps and epochs comes first, counting from the start", async () => {
    const base = { model: mlp({ widths: [4, 3] }), data: blobs(12), loss: "crossEntropy" as const, optimizer: referenceSgd({ lr: 0.1 }), batchSize: 4 };
    expect((await fit({ ...base, epochs: 2, steps: 100 })).state.step).toBe(6);
    const r = await fit({ ...base, epochs: 10, steps: 4 });
    expect(r.state.step).toBe(4);
    expect(r.history.epochs.map((e) => e.batches)).toEqual([3, 1]); // the cut epoch is closed with 1 batch
  });

  it("does not mutate the parameters it is given", async () => {
    const model = shallowNet({ K: 4 });
    const { prngKey } = await import("@regularize/core-autodiff");
    const params = model.init(prngKey(1));
    const before = params.omega.toFlatArray();
    const x = tensor([0.1, 0.4, 0.7, 0.9]), y = tensor([1, 0, 1, 0]);
    const r = await fit({ model, params, data: { x, y }, loss: "mse", optimizer: referenceSgd({ lr: 0.5 }), steps: 3 });
    expect(params.omega.toFlatArray()).toEqual(before);
    expect(r.params.omega.toFlatArray()).not.toEqual(before);
  });

  it("raises accuracy of the MNIST-1D reference MLP on synthetic separable signals", async () => {
    // noise sd 1.5: hard enough that the first epoch does not already classify everything (with
    // normal()'s draws since the WASM Box–Muller kernel, noise 0.5 reaches 100% after one epoch)
    const data = syntheticSignals(300, 1, 1.5), validation = syntheticSignals(200, 2, 1.5);
    const r = await fit({
      model: mlp({ widths: [40, 100, 100, 10], residual: true }), data, validation, loss: "crossEntropy",
      optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), batchSize: 50, epochs: 3, seed: 3,
    });
    const acc = r.history.epochs.map((e) => e.valAccuracy!);
    expect(acc[0]!).toBeLessThan(acc[2]!);
    expect(acc[2]!).toBeGreaterThan(0.9);
    expect(r.history.epochs[2]!.trainLoss!).toBeLessThan(r.history.epochs[0]!.trainLoss!);
  });
});
