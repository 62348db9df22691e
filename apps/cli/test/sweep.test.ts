import { describe, expect, it, vi } from "vitest";
import { MNIST1D_REFERENCE, mnist1dDataFor, runMnist1d, type Mnist1dResult, type Mnist1dSpec } from "../src/experiments/mnist1d.ts";
import { runPool } from "../src/pool.ts";
import { buildProgram } from "../src/program.ts";

const tiny = (seed: number, lr: number): Mnist1dSpec => ({ ...MNIST1D_REFERENCE, steps: 15, seed, learningRate: lr, numSamples: 500 });

describe("MNIST-1D sweep on the worker pool", () => {
  it("gives results identical to a serial run, with 1 or 2 workers, whichever thread generated the data", async () => {
    const specs = [tiny(0, 1e-2), tiny(1, 1e-2), tiny(0, 3e-3)];
    const workerUrl = new URL("../src/worker.ts", import.meta.url);
    // as `regularize sweep` runs: the dataset generated once here and handed to the workers
    const two = await runPool<Mnist1dSpec, Mnist1dResult>(specs, { workerUrl, workers: 2, init: () => mnist1dDataFor(specs) });
    const one = await runPool<Mnist1dSpec, Mnist1dResult>(specs, { workerUrl, workers: 1, init: () => mnist1dDataFor(specs) });
    // without init every worker generates its own copy
    const own = await runPool<Mnist1dSpec, Mnist1dResult>(specs, { workerUrl, workers: 2 });
    const strip = (r: Mnist1dResult) => ({ ...r, seconds: 0 });
    for (const [i, spec] of specs.entries()) {
      const serial = strip(await runMnist1d(spec));
      expect(strip(two[i]!)).toStrictEqual(serial);
      expect(strip(one[i]!)).toStrictEqual(serial);
      expect(strip(own[i]!)).toStrictEqual(serial);
    }
    // different seeds give different runs (the seed reaches the initialisation)
    expect(two[0]!.testLoss).not.toBe(two[1]!.testLoss);
  });

  it("learns: a short reference-protocol run beats chance by far", async () => {
    const r = await runMnist1d({ ...MNIST1D_REFERENCE, steps: 120 });
    expect(r.parameters).toBe(15210);
    expect(r.testAccuracy).toBeGreaterThan(0.3);
    expect(r.trainLoss).toBeLessThan(Math.log(10));
  });
});

describe("regularize command line", () => {
  it("rejects bad option values of the old mnist1d flags with a clear message and exit code 2", async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((m: unknown) => { errors.push(String(m)); });
    try {
      await buildProgram({ throwOnError: true }).parseAsync(["node", "regularize", "mnist1d", "--lr", "fast"]);
      expect(process.exitCode).toBe(2);
      await buildProgram({ throwOnError: true }).parseAsync(["node", "regularize", "mnist1d", "--model", "rnn"]);
      await buildProgram({ throwOnError: true }).parseAsync(["node", "regularize", "mnist1d", "--weight-decay", "-1"]);
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
    expect(errors[0]).toMatch(/^regularize mnist1d: mnist1d: lr must be a number, got "fast"$/);
    expect(errors[1]).toMatch(/model must be one of mlp, cnn, linear/);
    expect(errors[2]).toMatch(/weightDecay: .*>=0/);
  });
});
