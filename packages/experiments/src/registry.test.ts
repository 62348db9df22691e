import { describe, expect, it } from "vitest";
import { ExperimentParamsError, UnknownExperimentError, listExperiments, runExperiment } from "./index.js";

describe("runExperiment", () => {
  it("resolves queue-selftest with its seed", async () => {
    await expect(runExperiment("queue-selftest", { ms: 1, seed: 7 })).resolves.toEqual({ seed: 7 });
  });
  it("rejects an unknown id with the list of valid ids", async () => {
    const err = await runExperiment("nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownExperimentError);
    expect((err as Error).message).toContain("queue-selftest");
  });
  it("rejects out-of-range params naming the param", async () => {
    const err = await runExperiment("queue-selftest", { ms: -1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExperimentParamsError);
    expect((err as ExperimentParamsError).issues[0]?.path).toBe("ms");
  });
  it("lists unique ids", () => {
    const ids = listExperiments().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
