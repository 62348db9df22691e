import { tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { UsageError } from "./errors.js";
import type { Transformation } from "./transformation.js";
import { countValue } from "./count.js";
import { resolveMask } from "./mask.js";
import {
  addDecayedWeights, addL2Gradient, chain, clip, clipByGlobalNorm, emaMomentum, identity, scale, scaleByAdam, scaleByLearningRate, scaleByRms, traceMomentum,
} from "./index.js";

const params = { w: tensor([1, 2]) };
const grads = { w: tensor([0.5, -0.5]) };

describe("a transform's update names the transform for a wrong state or non-tree updates", () => {
  const transforms = {
    identity: identity(), scale: scale(2), scaleByLearningRate: scaleByLearningRate(0.1), traceMomentum: traceMomentum({ beta: 0.9 }),
    emaMomentum: emaMomentum({ beta: 0.9 }), scaleByAdam: scaleByAdam(), scaleByRms: scaleByRms(), clip: clip({ maxDelta: 1 }), clipByGlobalNorm: clipByGlobalNorm({ maxNorm: 1 }),
    addDecayedWeights: addDecayedWeights({ weightDecay: 0.1 }), addL2Gradient: addL2Gradient({ lambda: 0.1 }),
  } as Record<string, Transformation<object>>;

  it.each(Object.entries(transforms))("%s", (name, t) => {
    const state = t.init(params);
    for (const bad of [undefined, null, 1, "x"]) {
      expect(() => t.update(grads, bad as never, params), `state ${String(bad)}`).toThrow(UsageError);
      expect(() => t.update(grads, bad as never, params), `state ${String(bad)}`).toThrow(new RegExp(`^${name}: update: state must be what init returned`));
    }
    for (const bad of [undefined, null, false, 1.5]) expect(() => t.update(bad as never, state, params), `updates ${String(bad)}`).toThrow(/update: updates must be a tree of tensors/);
    const [u] = t.update(grads, state, params);
    expect((u as typeof grads).w.shape).toEqual([2]);
  });

  it("a stateful transform names the missing state field (another transform's state)", () => {
    const adam = scaleByAdam({});
    expect(() => adam.update(grads, traceMomentum({ beta: 0.9 }).init(params) as never)).toThrow(/^scaleByAdam: update: state must be what init returned \(an object with count, mu, nu\)/);
    expect(() => scaleByLearningRate(0.1).hyperparams!(undefined as never, 0)).toThrow(/^scaleByLearningRate: hyperparams: state must be/);
  });

  it("resolveMask names a non-string fn argument", () => {
    expect(() => resolveMask(tensor(1) as never, "weights", { w: tensor([[1]]) })).toThrow(/^resolveMask: fn must be the name of the calling function/);
  });

  it("countValue refuses what is not a step count", () => {
    for (const bad of [-3, null, 1.5, { stride: 0 }]) expect(() => countValue(bad as never), String(bad)).toThrow(UsageError);
    expect(countValue(3)).toBe(3);
    expect(countValue(tensor(4))).toBe(4);
  });
});

describe("chain's init", () => {
  it("names params that are not a tree (a chain of stateless members answered init(\"x\") with a state; fuzz, seed 4242)", () => {
    for (const t of [chain(), chain(identity(), scale(2))]) {
      for (const bad of [undefined, null, 1, "x"]) expect(() => t.init(bad as never), String(bad)).toThrow(/^chain: init: params must be a tree of tensors/);
    }
    expect(chain().init(params)).toEqual([]);
    expect(chain(identity(), scale(2)).init(params)).toEqual([{}, {}]);
  });
});
