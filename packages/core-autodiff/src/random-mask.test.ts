import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { bernoulliMask, jit, prngKey, randomBits, setBackend, tsBackend, type PRNGKey } from "./index.js";
import { runs } from "../test/arbitraries.js";
import "../test/matchers.js";

const keyArb = fc.nat({ max: Number.MAX_SAFE_INTEGER }).map(prngKey);

/** The definition: element i is value where word i of randomBits(key, n) is < p·2³². */
function expected(k: PRNGKey, p: number, n: number, value: number, dtype: "float32" | "float64"): number[] {
  const out = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  const words = randomBits(k, n);
  for (let i = 0; i < n; i++) out[i] = words[i]! < p * 2 ** 32 ? value : 0;
  return Array.from(out);
}

const pArb = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 0.5, 0.9, 2 ** -32, 2 ** -33, 1 - 2 ** -32, 1 - 2 ** -33, 1 - 2 ** -53));

describe("bernoulliMask", () => {
  test.prop([keyArb, fc.integer({ min: 0, max: 90 }), pArb, fc.constantFrom(1, 1 / 0.9, -2.5, 0.1)], { numRuns: runs(40) })(
    "is its definition, and the fused WASM kernel equals the JS loop bit for bit (float32 and float64)",
    (k, n, p, value) => {
      for (const dtype of ["float32", "float64"] as const) {
        const w = bernoulliMask(k, p, [n], { dtype, value });
        const prev = setBackend(tsBackend);
        let t;
        try {
          t = bernoulliMask(k, p, [n], { dtype, value });
        } finally {
          setBackend(prev);
        }
        expect(w.dtype).toBe(dtype);
        const want = expected(k, p, n, value, dtype);
        expect(Array.from(w.data)).toEqual(want);
        expect(Array.from(t.data)).toEqual(want);
        // zeros are +0 (the product h·m then keeps h's sign as h·0 does)
        expect(Array.from(w.data).every((v) => v !== 0 || Object.is(v, 0))).toBe(true);
      }
    },
  );

  it("keeps with rate p within 5 standard errors; p = 0 and 1 are exact; the default value is 1", () => {
    const n = 100_000, p = 0.9;
    const m = Array.from(bernoulliMask(prngKey(9), p, [n], { dtype: "float32", value: 1 / p }).data);
    const v = Math.fround(1 / p);
    expect(m.every((x) => x === 0 || x === v)).toBe(true);
    expect(m.filter((x) => x !== 0).length / n).toBeAllclose(p, { rtol: 0, atol: 5 * Math.sqrt((p * (1 - p)) / n) });
    expect(bernoulliMask(prngKey(9), 0, [50]).toFlatArray().every((x) => x === 0)).toBe(true);
    expect(bernoulliMask(prngKey(9), 1, [50], { value: 3 }).toFlatArray().every((x) => x === 3)).toBe(true);
    expect(bernoulliMask(prngKey(9), 0.5, [2, 3]).toFlatArray().every((x) => x === 0 || x === 1)).toBe(true);
  });

  it("cuts exactly at the words: p = w/2³² drops the word w and keeps w − 1", () => {
    const k = prngKey(77);
    const words = Array.from(randomBits(k, 8));
    for (const w of words) {
      for (const p of [w / 2 ** 32, (w + 1) / 2 ** 32, (w + 0.5) / 2 ** 32]) {
        expect(bernoulliMask(k, p, [64]).toFlatArray(), `p = ${p}`).toEqual(expected(k, p, 64, 1, "float64"));
      }
    }
  });

  it("a jit-compiled draw replays other keys = eager draws", () => {
    const f = jit((k: PRNGKey) => bernoulliMask(k, 0.9, [10, 100], { dtype: "float32", value: 1 / 0.9 }));
    for (const seed of [1, 2, 3, 4]) {
      expect(Array.from(f(prngKey(seed)).data)).toEqual(Array.from(bernoulliMask(prngKey(seed), 0.9, [10, 100], { dtype: "float32", value: 1 / 0.9 }).data));
    }
  });

  it("names the function and argument of bad input", () => {
    expect(() => bernoulliMask(prngKey(0), 1.5, [2])).toThrow(/bernoulliMask.*p/);
    expect(() => bernoulliMask(prngKey(0), 0.5, [2], { value: Number.NaN })).toThrow(/bernoulliMask.*value/);
    expect(() => bernoulliMask(prngKey(0), 0.5, [2], { scale: 2 } as never)).toThrow(/bernoulliMask/);
    expect(() => bernoulliMask({} as PRNGKey, 0.5, [2])).toThrow(/bernoulliMask/);
  });
});
