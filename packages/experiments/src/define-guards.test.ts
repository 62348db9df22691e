import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { ExperimentError, boolParam, defineExperiment, definePlugin, enumParam, intParam, numberParam, pointParam } from "./index.js";

describe("authoring guards: a registry entry or a param is checked where it is written", () => {
  it("param builders refuse a default outside [min, max], a reversed or non-number range, a non-string description", () => {
    expect(() => intParam(-1, undefined as never, 3, "x")).toThrow(/^intParam: min must be a number, got undefined/);
    expect(() => intParam(5, 0, 3, "x")).toThrow(/^intParam: def must be an integer in \[0, 3\], got 5/);
    expect(() => intParam(1.5, 0, 3, "x")).toThrow(/^intParam: def must be an integer/);
    expect(() => numberParam(0.5, 1, 0, "x")).toThrow(/^numberParam: min 1 exceeds max 0/);
    expect(() => numberParam(NaN, 0, 1, "x")).toThrow(/^numberParam: def must be a finite number/);
    expect(() => numberParam(0.5, 0, 1, null as never)).toThrow(/^numberParam: description must be a string/);
    expect(() => boolParam(null as never, "x")).toThrow(/^boolParam: def must be true or false, got null/);
    expect(() => enumParam(["a", "b"], "c" as never, "x")).toThrow(/^enumParam: def must be one of the options \(a, b\), got "c"/);
    expect(() => numberParam(0.5, 0, Infinity, "x")).not.toThrow();
    expect(() => pointParam([-2, -3], { kernel: -1 } as never, 5, "x")).toThrow(/^pointParam: min must be a number/);
    expect(() => pointParam([0, 9], 0, 5, "x")).toThrow(/^pointParam: def must be a finite number in \[0, 5\], got 9/);
    expect(() => pointParam([1, 2], 0, 5, "x")).not.toThrow();
  });

  it("defineExperiment and definePlugin refuse a malformed entry (a model, an array, a missing load/create)", () => {
    const params = v.object({ lr: numberParam(0.1, 0, 1, "lr") });
    const ok = { id: "e", title: "E", reproduces: "fig 0", params, load: async () => async function* () { return 0; } };
    expect(defineExperiment(ok)).toBe(ok);
    for (const bad of [null, -3, [null], { name: "mlp", sites: [] }]) expect(() => defineExperiment(bad as never), String(bad)).toThrow(ExperimentError);
    expect(() => defineExperiment({ ...ok, load: undefined } as never)).toThrow(/^defineExperiment\(e\): load must be a function/);
    expect(() => defineExperiment({ ...ok, params: {} } as never)).toThrow(/params must be a valibot object schema/);
    expect(() => defineExperiment({ ...ok, id: "" })).toThrow(/^defineExperiment: id must be a non-empty string/);
    const spec = { name: "p", package: "@regularize/x", description: "", options: v.strictObject({}), create: () => ({ name: "p" }) };
    expect(definePlugin(spec)).toBe(spec);
    for (const bad of [null, ["a"], { name: "p" }]) expect(() => definePlugin(bad as never), String(bad)).toThrow(ExperimentError);
    expect(() => definePlugin({ ...spec, create: 1 } as never)).toThrow(/^definePlugin\(p\): create must be a function/);
  });
});
