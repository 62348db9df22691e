import * as v from "valibot";
import { defineExperiment } from "../experiment.js";
import type { Notebook93Result } from "../impl/notebook9-3.js";

/** Notebook 9.3: bagging the §1.2 closed-form model; returns exactly the notebook's numbers for any seed. */
export const notebook93 = defineExperiment({
  id: "notebook9.3",
  title: "Notebook 9.3: ensembling by bagging (median and mean of bootstrap models)",
  reproduces: "Notebook 9.3 (figure 9.7's recipe)",
  description:
    "np.random.seed(seed); 15 noisy points of exp(sin(2πx)) (σ = 0.3, 2π = 2·3.1413); the K = 14 ReLU model fitted in closed form " +
    "with a 1e-5 ridge on the weights; `members` bootstrap models drawn by choice(15, 15) continuing the same stream; MSE against " +
    "the true function on 100 points of [0, 1] for the single model, each member, their median and their mean.",
  params: v.object({
    seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)), 1),
    members: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100)), 4),
  }),
  load: async () => {
    const { notebook93: run } = await import("../impl/notebook9-3.js");
    return function* (p: { seed: number; members: number }): Generator<{ fraction: number }, Notebook93Result, void> {
      const r = run(p.seed, p.members);
      yield { fraction: 1 };
      return { singleMse: r.singleMse, memberMse: r.memberMse, medianMse: r.medianMse, meanMse: r.meanMse, indices: r.indices };
    };
  },
});
