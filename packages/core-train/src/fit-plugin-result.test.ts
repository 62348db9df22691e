import { type Tree, add, treeMap } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs, expectBitsEqual } from "../test/helpers.js";
import { PluginError } from "./errors.js";
import { fit } from "./fit.js";
import { mlp } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";
import { deserializeState, serializeState } from "./serialize-state.js";

/** A plugin that owns a parameter tree (the running sum of the iterates) and hands it back through result(). */
function iterateSum(): Plugin {
  let total: Tree | undefined;
  return {
    name: "iterate-sum",
    beforeFit: (ctx) => { if (!ctx.resumed) total = undefined; },
    afterStep: (ctx) => { total = total === undefined ? ctx.params : treeMap((a, b) => add(a, b!), total, ctx.params); },
    saveState: () => ({ total: total ?? null }),
    loadState: (s) => { total = (s as { total: Tree | null }).total ?? undefined; },
    result: () => ({ total }),
  };
}

const base = { model: mlp({ widths: [4, 5, 3] }), data: blobs(12, 1), loss: "crossEntropy" as const, optimizer: referenceSgd({ lr: 0.1 }), batchSize: 4, seed: 3 };

describe("Plugin.result", () => {
  it("is returned under result.plugins[name], absent for plugins without one", async () => {
    const r = await fit({ ...base, epochs: 2, plugins: [iterateSum(), { name: "silent" }] });
    expect(Object.keys(r.plugins)).toEqual(["iterate-sum"]);
    expect((r.plugins["iterate-sum"] as { total: Tree }).total).toBeDefined();
  });

  it("resumes bit-identically from a serialised mid-epoch checkpoint", async () => {
    const full = await fit({ ...base, epochs: 3, plugins: [iterateSum()] });
    let saved: string | undefined;
    const ac = new AbortController();
    await fit({
      ...base, epochs: 3, plugins: [iterateSum()], checkpointEvery: 4, signal: ac.signal,
      onCheckpoint: (s) => { saved = JSON.stringify(serializeState(s)); ac.abort(); },
    });
    const { seed: _s, ...rest } = base;
    const resumed = await fit({ ...rest, epochs: 3, plugins: [iterateSum()], initialState: deserializeState(saved!) });
    expectBitsEqual(resumed.params, full.params);
    expectBitsEqual((resumed.plugins["iterate-sum"] as { total: Tree }).total, (full.plugins["iterate-sum"] as { total: Tree }).total);
  });

  it("wraps a throwing result() in a PluginError naming the plugin and hook", async () => {
    const bad: Plugin = { name: "bad", result: () => { throw new Error("boom"); } };
    await expect(fit({ ...base, epochs: 1, plugins: [bad] })).rejects.toThrow(PluginError);
    await expect(fit({ ...base, epochs: 1, plugins: [bad] })).rejects.toThrow(/plugin "bad" failed in result: boom/);
  });
});
