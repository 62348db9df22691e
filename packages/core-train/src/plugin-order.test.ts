import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { FitOptionsError } from "./errors.js";
import { sortPlugins } from "./plugin-order.js";
import type { Plugin } from "./plugin.js";

const pluginArb = fc.record({ enforce: fc.constantFrom<"pre" | "post" | undefined>("pre", "post", undefined), order: fc.option(fc.integer({ min: -3, max: 3 }), { nil: undefined }) });

describe("sortPlugins", () => {
  test.prop([fc.array(pluginArb, { maxLength: 12 })])("sorts by enforce then order, stable on ties", (specs) => {
    const plugins: Plugin[] = specs.map((s, i) => ({ name: `p${i}`, ...(s.enforce ? { enforce: s.enforce } : {}), ...(s.order !== undefined ? { order: s.order } : {}) }));
    const sorted = sortPlugins(plugins);
    const rank = (p: Plugin) => ({ pre: 0, post: 2 })[p.enforce ?? "pre"] ?? 1;
    const key = (p: Plugin) => [p.enforce === undefined ? 1 : rank(p), p.order ?? 0, Number(p.name.slice(1))] as const;
    for (let i = 1; i < sorted.length; i++) {
      const [a, b] = [key(sorted[i - 1]!), key(sorted[i]!)];
      expect(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])))).toBe(true);
    }
    expect(sorted).toHaveLength(plugins.length);
  });

  it("does not reorder its input array", () => {
    const input: Plugin[] = [{ name: "b", enforce: "post" }, { name: "a", enforce: "pre" }];
    sortPlugins(input);
    expect(input.map((p) => p.name)).toEqual(["b", "a"]);
  });

  it("rejects a non-finite order and a non-object plugin", () => {
    expect(() => sortPlugins([{ name: "a", order: NaN }])).toThrow(FitOptionsError);
    expect(() => sortPlugins([null as never])).toThrow(/plugins\[0\]/);
  });

  it("names the bad plugin whatever the option label (a null-prototype label threw a TypeError building the path)", () => {
    expect(() => sortPlugins([{ name: "a" }, null as never], Object.create(null))).toThrow(FitOptionsError);
    expect(() => sortPlugins([null as never], "extra")).toThrow(/^extra\[0\]: is not a plugin object/);
  });
});
