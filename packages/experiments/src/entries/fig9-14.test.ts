import { describe, expect, it } from "vitest";
import { runExperiment } from "../run-experiment.js";
import { TAXONOMY, type Fig914Result } from "../impl/fig9-14.js";

describe("fig9.14", () => {
  it("holds the chapter's membership table (12 methods, dropout in three sets)", async () => {
    const r = (await runExperiment("fig9.14")) as Fig914Result;
    expect(r.sets).toHaveLength(4);
    expect(r.methods).toHaveLength(12);
    expect(r.methods.find((m) => m.method === "Dropout")!.sets).toEqual([0, 2, 3]);
    expect(r.methods.find((m) => m.method === "Implicit regularization")!.sets).toEqual([3]);
  });
  it("links only entries that exist (this package's own all do)", async () => {
    const r = (await runExperiment("fig9.14")) as Fig914Result;
    expect(r.methods.find((m) => m.method === "Explicit L2")!.entries).toEqual(["fig9.1", "fig9.2"]);
    const mine = ["fig9.1", "fig9.2", "fig9.3", "fig9.4", "fig9.5", "fig9.6", "fig9.9", "fig9.10"];
    const linked = new Set(r.methods.flatMap((m) => m.entries));
    for (const id of mine) if (TAXONOMY.some((t) => (t.entries as readonly string[]).includes(id))) expect(linked.has(id)).toBe(true);
  });
});
