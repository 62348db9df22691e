import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as datasets from "./index.js";

/** The README's augmentation example, run verbatim (minus its import line) against this package's exports. */
function runReadmeExample(): Record<string, unknown> {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const block = /<!-- readme-example: augment[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (block === null) throw new Error("README: augment example not found");
  const code = block[1]!.replace(/^import[\s\S]*?from "@regularize\/datasets";\n/m, "");
  expect(code).not.toMatch(/^import /m);
  const names = Object.keys(datasets);
  // The example is plain JavaScript (no type annotations), so it runs as a function body.
  const run = new Function(...names, `${code}\nreturn { batch, source, once, again, mixed, train };`);
  return run(...names.map((n) => (datasets as Record<string, unknown>)[n])) as Record<string, unknown>;
}

describe("README: 1-D augmentations example", () => {
  it("runs and does what its comments say", () => {
    const r = runReadmeExample() as {
      batch: datasets.SignalBatch; source: Int32Array; once: datasets.SignalBatch; again: datasets.SignalBatch; mixed: datasets.SignalBatch;
      train: datasets.SignalBatch;
    };
    expect(r.batch.shape).toEqual([8000, 40]);
    expect(r.source.length).toBe(4000);
    expect(r.batch.y![4000 + 17]).toBe(r.train.y![r.source[17]!]);
    expect(r.again.x).toEqual(r.once.x);
    expect(r.once.x).not.toEqual(r.train.x);
    expect(r.mixed.y).toBeInstanceOf(Float64Array);
    expect(r.mixed.y!.length).toBe(40_000);
    for (let i = 0; i < 4000; i += 97) {
      expect(Array.from(r.mixed.y!.subarray(i * 10, i * 10 + 10)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });
});
