import { describe, expect, it } from "vitest";
import { ExperimentParamsError } from "../errors.js";
import { createPlugin, listPlugins } from "./lookup.js";

const tasks = [{ name: "digit", outputs: 10 }, { name: "aux", outputs: 4, weight: 0.5 }];

describe("transfer plugin specs", () => {
  it("are listed under their packages", () => {
    const names = listPlugins().filter((p) => p.package === "@regularize/transfer" || p.name === "l2sp").map((p) => p.name).sort();
    expect(names).toEqual(["gradNorm", "l2sp", "pcgrad", "pretextTask", "uncertaintyWeighting"]);
  });

  it("create plugins from validated options", () => {
    expect(createPlugin("l2sp", { alpha: 0.1 }).name).toBe("l2sp");
    expect(createPlugin("pcgrad", { tasks }).objective).toBeTypeOf("function");
    expect(createPlugin("uncertaintyWeighting", { tasks, learningRate: 0.05 }).saveState).toBeTypeOf("function");
    expect(createPlugin("gradNorm", { tasks, shared: "trunk.layers[1]" }).name).toBe("gradNorm");
    expect(createPlugin("pretextTask", { task: "transform", length: 40 }).name).toBe("pretext:transform");
  });

  it("reject bad options with an error naming the plugin", () => {
    expect(() => createPlugin("l2sp", { alpha: -1 })).toThrow(ExperimentParamsError);
    expect(() => createPlugin("pcgrad", { tasks: [] })).toThrow(/pcgrad/);
    expect(() => createPlugin("pcgrad", { tasks: [{ name: "a", outputs: 2, bogus: 1 }] })).toThrow(ExperimentParamsError);
    expect(() => createPlugin("pretextTask", { task: "nope" })).toThrow(/pretextTask/);
  });
});
