import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { NOT_PLAIN, jsonSnapshot } from "./json-snapshot.ts";

describe("jsonSnapshot", () => {
  test.prop([fc.jsonValue()])("serialises like the original", (v) => {
    expect(JSON.stringify(jsonSnapshot(v))).toBe(JSON.stringify(v));
  });

  test.prop([fc.jsonValue(), fc.jsonValue()])("is not changed by later mutations of the original", (v, w) => {
    const state = { step: 3, a: [v, [1, 2]], o: { w } };
    const text = JSON.stringify(state);
    const copy = jsonSnapshot(state);
    state.a.push(w);
    (state.a[1] as number[])[0] = 7;
    state.o.w = "changed";
    state.step = 4;
    expect(JSON.stringify(copy)).toBe(text);
  });

  it("keeps non-finite numbers, undefined, holes and an own __proto__ key as JSON.stringify writes them", () => {
    const v = JSON.parse('{"__proto__": {"x": 1}, "n": 2}') as Record<string, unknown>;
    v.nan = NaN;
    v.inf = -Infinity;
    v.u = undefined;
    v.holes = [1, , 3]; // eslint-disable-line no-sparse-arrays
    v.negZero = -0;
    expect(JSON.stringify(jsonSnapshot(v))).toBe(JSON.stringify(v));
  });

  it("refuses what is not plain JSON data", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    class Point { x = 1; }
    for (const v of [new Date(0), new Float64Array(2), new Point(), () => 1, 1n, Symbol("s"), cyclic, [new Map()], { toJSON: () => 1 }]) {
      expect(jsonSnapshot(v), String(v)).toBe(NOT_PLAIN);
    }
  });
});
