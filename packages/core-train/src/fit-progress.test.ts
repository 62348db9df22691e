import { describe, expect, it } from "vitest";
import { blobs } from "../test/helpers.js";
import { fit } from "./fit.js";
import type { Progress } from "./fit-options.js";
import { mlp } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";

const base = { model: mlp({ widths: [4, 3] }), data: blobs(12, 1), loss: "crossEntropy" as const, optimizer: referenceSgd({ lr: 0.1 }), batchSize: 2, seed: 1 };

describe("fit progress and abort", () => {
  it("reports progress every progressEvery steps and once at the end", async () => {
    const seen: Progress[] = [];
    await fit({ ...base, epochs: 2, progressEvery: 4, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.step)).toEqual([4, 8, 12, 12]);
    expect(seen.at(-1)).toMatchObject({ totalSteps: 12, fraction: 1, epoch: 2 });
    expect(Number.isFinite(seen[0]!.loss)).toBe(true);
  });

  it("stops between steps when the signal aborts, still running afterEpoch and afterFit", async () => {
    const ac = new AbortController();
    const log: string[] = [];
    const watcher: Plugin = { name: "w", afterEpoch: () => { log.push("afterEpoch"); }, afterFit: () => { log.push("afterFit"); } };
    const r = await fit({ ...base, epochs: 100, plugins: [watcher], signal: ac.signal, progressEvery: 1, onProgress: (p) => { if (p.step === 3) ac.abort(); } });
    expect(r.stopped).toBe("aborted");
    expect(r.state.step).toBe(3);
    expect(log).toEqual(["afterEpoch", "afterFit"]);
  });

  it("does no step with an already aborted signal", async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await fit({ ...base, epochs: 5, signal: ac.signal });
    expect(r).toMatchObject({ stopped: "aborted", history: { steps: [] } });
  });

  it("yields to the event loop during a long fit so messages (a Worker's cancel) get through", async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 0);
    const r = await fit({ ...base, epochs: 10_000, signal: ac.signal, yieldEveryMs: 0 });
    expect(r.stopped).toBe("aborted");
    expect(r.state.step).toBeLessThan(60_000);
  });
});
