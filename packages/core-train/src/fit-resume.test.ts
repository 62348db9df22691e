import { add, bernoulli, mul, normal, treeMap } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { blobs, expectBitsEqual } from "../test/helpers.js";
import { StateError } from "./errors.js";
import { fit } from "./fit.js";
import type { FitOptions } from "./fit-options.js";
import { mlp, type MlpParams } from "./mlp.js";
import type { Plugin } from "./plugin.js";
import { referenceSgd } from "./reference-sgd.js";
import { deserializeState, serializeState } from "./serialize-state.js";
import type { TrainState } from "./train-state.js";

/** Dropout plus a stateful counter: randomness from ctx.key, state through saveState/loadState. */
function statefulDropout(): Plugin {
  let seen = 0;
  return {
    name: "dropout",
    beforeFit: () => { seen = 0; },
    site: (h, s, ctx) => (ctx.active && s.kind === "hidden" ? mul(h, mul(bernoulli(ctx.key, 0.7, [...h.shape]), 1 / 0.7)) : h),
    afterBatch: (ctx) => { seen++; ctx.log("seen", seen); },
    saveState: () => ({ seen }),
    loadState: (s) => { seen = (s as { seen: number }).seen; },
  };
}

/** A stochastic gradient transform with tensor state (momentum of noisy gradients). */
const noisyMomentum: Plugin = {
  name: "noisy",
  enforce: "pre",
  transform: {
    init: (p) => ({ m: treeMap((x) => mul(x, 0), p) }),
    update: (g, s: { m: typeof g }, _p, _step, key) => {
      const noisy = treeMap((gi) => add(gi, normal(key!, [...gi.shape], { std: 1e-3 })), g);
      const m = treeMap((mi, gi) => add(mul(mi, 0.5), gi!), s.m, noisy);
      return [m, { m }];
    },
  },
};

const opts = (plugins: Plugin[]): FitOptions<MlpParams> => ({
  model: mlp({ widths: [4, 6, 6, 3], residual: true }), data: blobs(12, 1), validation: blobs(6, 2), loss: "crossEntropy",
  optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), batchSize: 5, plugins, epochs: 4, seed: 11,
});

const roundTrip = (s: TrainState) => deserializeState(JSON.stringify(serializeState(s)));

describe("fit resume", () => {
  for (const stopAt of [2, 3, 7]) {
    it(`reproduces the uninterrupted run bit for bit when resumed from step ${stopAt} through JSON`, async () => {
      const full = await fit(opts([statefulDropout(), noisyMomentum]));
      const first = await fit({ ...opts([statefulDropout(), noisyMomentum]), steps: stopAt });
      const { seed: _seed, ...rest } = opts([statefulDropout(), noisyMomentum]);
      const second = await fit({ ...rest, initialState: roundTrip(first.state) });
      expectBitsEqual(second.params, full.params);
      expect(second.history.steps).toEqual(full.history.steps.slice(stopAt));
      expect(second.history.epochs.at(-1)).toEqual(full.history.epochs.at(-1));
      expect(first.state.step).toBe(stopAt);
    });
  }

  it("resumes exactly from checkpoints delivered during the run", async () => {
    const states: TrainState[] = [];
    const full = await fit({ ...opts([statefulDropout()]), checkpointEvery: 2, onCheckpoint: (s) => { states.push(roundTrip(s)); } });
    expect(states.map((s) => s.step)).toEqual([2, 4, 6, 8, 10, 12]);
    const { seed: _seed, ...rest } = opts([statefulDropout()]);
    for (const s of [states[0]!, states[2]!]) {
      const r = await fit({ ...rest, initialState: s });
      expectBitsEqual(r.params, full.params);
    }
  });

  it("rejects a state saved with other stateful plugins", async () => {
    const first = await fit({ ...opts([statefulDropout()]), steps: 2 });
    const { seed: _seed, ...rest } = opts([]);
    await expect(fit({ ...rest, initialState: first.state })).rejects.toThrow(StateError);
  });

  it("rejects a mid-epoch state with another batch size, and a key that differs from the state's", async () => {
    const first = await fit({ ...opts([]), steps: 2 });
    const { seed: _seed, ...rest } = opts([]);
    await expect(fit({ ...rest, batchSize: 4, initialState: first.state })).rejects.toThrow(/same data and batching/);
    await expect(fit({ ...rest, key: (await import("@regularize/core-autodiff")).prngKey(99), initialState: first.state })).rejects.toMatchObject({ option: "key" });
  });

  it("continues to the same budget: a finished state resumes to a no-op", async () => {
    const full = await fit(opts([]));
    const { seed: _seed, ...rest } = opts([]);
    const again = await fit({ ...rest, initialState: full.state });
    expect(again.history.steps).toHaveLength(0);
    expectBitsEqual(again.params, full.params);
  });
});
