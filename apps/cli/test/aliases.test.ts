import { describe, expect, it, vi } from "vitest";
import { buildProgram } from "../src/program.ts";

describe("regularize mnist1d / gabor (aliases of run)", () => {
  it("reject bad values of the old flags with a clear message and exit code 2, before training", async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((m: unknown) => { errors.push(String(m)); });
    const codes: (number | string | undefined)[] = [];
    try {
      for (const args of [["mnist1d", "--lr", "fast"], ["mnist1d", "--model", "rnn"], ["mnist1d", "--weight-decay", "-1"], ["mnist1d", "--lr", "1e308"], ["gabor", "--start", "1"], ["mnist1d", "--dtype", "float16"]]) {
        process.exitCode = 0;
        await buildProgram({ throwOnError: true }).parseAsync(["node", "regularize", ...args]);
        codes.push(process.exitCode);
      }
    } finally {
      spy.mockRestore();
      process.exitCode = 0;
    }
    expect(codes).toEqual([2, 2, 2, 2, 2, 2]);
    expect(errors[0]).toBe('regularize mnist1d: mnist1d: lr must be a number, got "fast"');
    expect(errors[1]).toMatch(/model must be one of mlp, cnn, linear/);
    expect(errors[2]).toMatch(/weightDecay: .*>=0/);
    expect(errors[3]).toMatch(/lr: .*<=10/);
    expect(errors[4]).toMatch(/gabor-gd: start must be two numbers/);
    expect(errors[5]).toMatch(/dtype must be one of float32, float64/);
  });
});
