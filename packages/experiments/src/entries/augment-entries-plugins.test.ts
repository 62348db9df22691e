import type { Plugin } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { getExperiment, resolveParams, runExperiment } from "../index.js";

// Drive an entry's run with a spy plugin in ctx.plugins (what runExperiment passes for --plugin)
// and count the training steps that reached it.
async function stepsSeen(id: string, params: Record<string, unknown>): Promise<number> {
  let steps = 0;
  const spy: Plugin = { name: "spy", afterStep: () => { steps++; } };
  const run = (await getExperiment(id).load())(resolveParams(id, params) as never, { signal: new AbortController().signal, plugins: [spy] });
  for (let r = await run.next(); !r.done; r = await run.next());
  return steps;
}

describe("the augmentation / transfer entries honour the plugins the user picked", () => {
  it("every one of them accepts --plugin", () => {
    for (const id of ["notebook9.5", "fig9.13", "fig9.12", "mnist1d-baselines"]) expect(getExperiment(id).acceptsPlugins, id).toBe(true);
  });

  it("notebook9.5 and fig9.13 pass them to both arms' fit (2 × 40 steps of one epoch)", async () => {
    expect(await stepsSeen("notebook9.5", { epochs: 1, extra: 0 })).toBe(80);
    expect(await stepsSeen("fig9.13", { epochs: 1, extra: 0 })).toBe(80);
  }, 120_000);

  it("fig9.12 passes them to every pretraining and fine-tuning, mnist1d-baselines to every model", async () => {
    // source pretraining 3 + two transfer fine-tunings 3 each + scratch 3
    expect(await stepsSeen("fig9.12", {
      labelled: [20], seeds: 1, steps: 3, pretrainSteps: 3, batchSize: 10, unlabelled: 100, testExamples: 50, hidden: 8, sourceExamples: 100,
      methods: ["scratch", "transfer-frozen", "transfer-finetune"],
    })).toBe(12);
    expect(await stepsSeen("mnist1d-baselines", { models: ["logistic", "mlp"], data: ["normal"], steps: 5 })).toBe(10);
  }, 120_000);

  it("a catalog plugin chosen by name changes the run (on-the-fly augmentation on notebook 9.5)", async () => {
    const plain = (await runExperiment("notebook9.5", { epochs: 1, extra: 0 })) as { baseline: { testError: number[] } };
    const augmented = (await runExperiment("notebook9.5", { epochs: 1, extra: 0 }, { plugins: [{ name: "augment" }] })) as typeof plain;
    expect(augmented.baseline.testError).not.toEqual(plain.baseline.testError);
  }, 120_000);
});
