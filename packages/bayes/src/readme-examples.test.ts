import { prngKey } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { linearGaussian, maximizeEvidence, reluFeatures } from "./index.js";

// The README's examples, verbatim where possible, with their printed numbers checked.
describe("README examples", () => {
  it("closed form (figure 9.11)", () => {
    const x = [0.027801, 0.114688, 0.133341, 0.220156, 0.27645, 0.339489, 0.412417, 0.489704, 0.559784, 0.635921, 0.694613, 0.779015, 0.81363, 0.925208, 0.935159];
    const y = [0.93182, 2.46617, 1.769386, 2.725345, 2.850461, 2.160701, 1.906322, 1.178985, 0.853258, 0.443039, 0.964807, 0.473235, 0.740574, 0.296643, 0.417498];
    const post = linearGaussian({ features: reluFeatures(x, 14), targets: y, noiseVariance: 0.09, priorVariance: 10 });
    const { mean, variance } = post.predict(reluFeatures([0, 0.5, 1], 14));
    [1.3625, 1.2772, 0.2783].forEach((m, i) => expect(mean[i]!).toBeCloseTo(m, 4));
    [0.2617, 0.1762, 0.3916].forEach((s, i) => expect(Math.sqrt(variance[i]!)).toBeCloseTo(s, 4));
    const best = maximizeEvidence({ features: reluFeatures(x, 14), targets: y });
    expect(best.logEvidence).toBeGreaterThan(post.logEvidence);
    expect(post.sample(prngKey(0), 2)).toHaveLength(2);
  });
});
