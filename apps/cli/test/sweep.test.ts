import { describe, expect, it } from "vitest";
import { MNIST1D_REFERENCE, runMnist1d } from "../src/experiments/mnist1d.ts";
import { buildProgram } from "../src/program.ts";

describe("MNIST-1D training", () => {
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
