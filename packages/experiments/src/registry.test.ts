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

describe("describeParams", () => {
  it("reads types, defaults and ranges back from every entry's schema", async () => {
    const { describeParams } = await import("./index.js");
    const mine = ["fig9.1", "fig9.2", "fig9.3", "fig9.4", "fig9.5", "fig9.6", "fig9.9", "fig9.10", "fig9.14", "gabor-gd", "mnist1d", "mnist1d-explorer"];
    for (const e of listExperiments().filter((x) => mine.includes(x.id))) {
      for (const p of describeParams(e.params)) expect(p.type, `${e.id}.${p.key}`).not.toBe("unknown");
    }
    const mnist = describeParams(listExperiments().find((e) => e.id === "mnist1d")!.params);
    expect(mnist.find((p) => p.key === "lr")).toMatchObject({ type: "number", default: 0.01, min: 1e-8, max: 10 });
    expect(mnist.find((p) => p.key === "steps")).toMatchObject({ type: "integer", default: 6000, min: 1 });
    expect(mnist.find((p) => p.key === "model")).toMatchObject({ type: "enum", options: ["mlp", "cnn", "linear"] });
  });
});
