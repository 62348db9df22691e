import { describe, expect, it } from "vitest";
import { MNIST1D_REFERENCE, runMnist1d, type Mnist1dResult, type Mnist1dSpec } from "../src/experiments/mnist1d.ts";
import { runPool } from "../src/pool.ts";
import { buildProgram } from "../src/program.ts";

const tiny = (seed: number, lr: number): Mnist1dSpec => ({ ...MNIST1D_REFERENCE, steps: 15, seed, learningRate: lr, numSamples: 500 });

describe("MNIST-1D sweep on the worker pool", () => {
  it("gives results identical to a serial run", async () => {
    const specs = [tiny(0, 1e-2), tiny(1, 1e-2), tiny(0, 3e-3)];
    const pooled = await runPool<Mnist1dSpec, Mnist1dResult>(specs, { workerUrl: new URL("../src/worker.ts", import.meta.url), workers: 2 });
    for (const [i, spec] of specs.entries()) {
      const serial = await runMnist1d(spec);
      expect(pooled[i]!.testAccuracy).toBe(serial.testAccuracy);
      expect(pooled[i]!.testLoss).toBe(serial.testLoss);
      expect(pooled[i]!.trainLoss).toBe(serial.trainLoss);
    }
    // different seeds give different runs (the seed reaches the initialisation)
    expect(pooled[0]!.testLoss).not.toBe(pooled[1]!.testLoss);
  });

  it("learns: a short reference-protocol run beats chance by far", async () => {
    const r = await runMnist1d({ ...MNIST1D_REFERENCE, steps: 120 });
    expect(r.parameters).toBe(15210);
    expect(r.testAccuracy).toBeGreaterThan(0.3);
    expect(r.trainLoss).toBeLessThan(Math.log(10));
  });
});

describe("regularize command line", () => {
  it("rejects bad option values with a clear message", async () => {
    const program = buildProgram({ throwOnError: true });
    await expect(program.parseAsync(["node", "regularize", "mnist1d", "--lr", "fast"])).rejects.toThrow(/lr must be a number, got "fast"/);
    const p2 = buildProgram({ throwOnError: true });
    await expect(p2.parseAsync(["node", "regularize", "mnist1d", "--model", "rnn"])).rejects.toThrow(/expected one of mlp, cnn, linear/);
  });
});
