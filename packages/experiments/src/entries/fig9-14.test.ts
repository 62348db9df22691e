import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import { listExperiments } from "../registry.js";
import { listPlugins } from "../plugins/lookup.js";
import { TAXONOMY, type Fig914Result } from "../impl/fig9-14.js";

describe("fig9.14", () => {
  it("holds the chapter's membership table (12 methods, dropout in three sets)", async () => {
    const r = (await runExperiment("fig9.14")) as Fig914Result;
    expect(r.sets).toHaveLength(4);
    expect(r.methods).toHaveLength(12);
    expect(r.methods.find((m) => m.method === "Dropout")!.sets).toEqual([0, 2, 3]);
    expect(r.methods.find((m) => m.method === "Implicit regularization")!.sets).toEqual([3]);
  });
  it("names only catalog plugins and registry entries that exist", async () => {
    const r = (await runExperiment("fig9.14")) as Fig914Result;
    expect(r.methods.find((m) => m.method === "Explicit L2")!.entries).toEqual(["fig9.1", "fig9.2"]);
    const plugins = new Set(listPlugins().map((p) => p.name));
    for (const t of TAXONOMY) for (const p of t.plugins) expect(plugins.has(p), p).toBe(true);
    const ids = new Set(listExperiments().map((e) => e.id));
    for (const t of TAXONOMY) for (const id of t.entries) expect(ids.has(id), id).toBe(true);
  });
});
