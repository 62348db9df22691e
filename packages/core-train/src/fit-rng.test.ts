import { bernoulli, mul, scalar, uniform } from "@regularize/core-autodiff";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { blobs, expectBitsEqual, treesDiffer } from "../test/helpers.js";
import { fit } from "./fit.js";
import { mlp } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";

const base = { model: mlp({ widths: [4, 5, 3] }), data: blobs(12, 1), loss: "crossEntropy" as const, optimizer: referenceSgd({ lr: 0.1, momentum: 0.9 }), batchSize: 4 };

/** Records the uniforms it draws from every key it is handed (events, sites, penalty). */
function drawer(name: string, out: number[]): Plugin {
  const draw = (k: Parameters<typeof uniform>[0]) => out.push(uniform(k, [1]).data[0]!);
  return {
    name,
    beforeBatch: (_b, ctx) => { draw(ctx.key); },
    afterEpoch: (ctx) => { draw(ctx.key); },
    site: (h, _s, ctx) => { draw(ctx.key); return h; },
    penalty: (_p, ctx) => { draw(ctx.key); return scalar(0); },
  };
}

const dropout: Plugin = { name: "dropout", site: (h, s, ctx) => (ctx.active && s.kind === "hidden" ? mul(h, mul(bernoulli(ctx.key, 0.8, [...h.shape]), 1.25)) : h) };

describe("fit randomness", () => {
  it("gives identical runs for the same seed", async () => {
    const a = await fit({ ...base, plugins: [dropout], epochs: 3, seed: 5 });
    const b = await fit({ ...base, plugins: [dropout], epochs: 3, seed: 5 });
    expectBitsEqual(a.params, b.params);
    expect(a.history).toEqual(b.history);
  });

  it("changes init, data order and plugin streams with the seed", async () => {
    const orders: string[][] = [[], []];
    for (const s of [0, 1]) {
      const spy: Plugin = { name: "spy", beforeBatch: (b) => { orders[s]!.push(Array.from(b.indices!).join(",")); } };
      await fit({ ...base, plugins: [spy], epochs: 1, seed: s });
    }
    expect(orders[0]).not.toEqual(orders[1]);
    const a = await fit({ ...base, epochs: 0, seed: 0 });
    const b = await fit({ ...base, epochs: 0, seed: 1 });
    expect(treesDiffer(a.params, b.params)).toBe(true);
  });

  it("reshuffles every epoch and visits every example once per epoch", async () => {
    const seen: number[][] = [[], []];
    const spy: Plugin = { name: "spy", beforeBatch: (b, ctx) => { seen[ctx.epoch]!.push(...b.indices!); } };
    await fit({ ...base, plugins: [spy], epochs: 2, seed: 3 });
    expect([...seen[0]!].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect([...seen[1]!].sort((a, b) => a - b)).toEqual([...Array(12).keys()]);
    expect(seen[0]).not.toEqual(seen[1]);
  });

  it("takes batches in data order when shuffle is false", async () => {
    const seen: number[] = [];
    const spy: Plugin = { name: "spy", beforeBatch: (b) => { seen.push(...b.indices!); } };
    await fit({ ...base, plugins: [spy], epochs: 1, shuffle: false });
    expect(seen).toEqual([...Array(12).keys()]);
  });

  test.prop([fc.constantFrom("noise", "drop", "x", "weight-noise"), fc.integer({ min: 0, max: 1000 })], { numRuns: 8 })(
    "never changes a plugin's random draws when another plugin is added",
    async (other, seed) => {
      const alone: number[] = [], together: number[] = [], sink: number[] = [];
      await fit({ ...base, plugins: [drawer("a", alone)], epochs: 1, seed });
      await fit({ ...base, plugins: [drawer(other, sink), drawer("a", together), dropout], epochs: 1, seed });
      expect(together).toEqual(alone);
    },
  );

  it("gives distinct keys to distinct hooks, steps and plugins", async () => {
    const a: number[] = [], b: number[] = [];
    await fit({ ...base, plugins: [drawer("a", a), drawer("b", b)], epochs: 1, seed: 9 });
    expect(new Set([...a, ...b]).size).toBe(a.length + b.length);
  });
});
