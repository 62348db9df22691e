import { describe, expect, it } from "vitest";
import { METHODS, setsAt } from "./taxonomy.js";

describe("figure 9.14 taxonomy", () => {
  it("places every method's label inside exactly the sets it belongs to", () => {
    for (const m of METHODS) expect([m.name, setsAt(m.x, m.y)]).toEqual([m.name, [...m.sets].sort()]);
  });
  it("has the chapter's twelve methods, dropout in three sets", () => {
    expect(METHODS).toHaveLength(12);
    expect(METHODS.find((m) => m.name === "Dropout")?.sets).toEqual(["a", "c", "d"]);
  });
});
