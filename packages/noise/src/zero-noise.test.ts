import { describe, expect, it } from "vitest";
import { type Tree, treeLeaves } from "@regularize/core-autodiff";
import { type Plugin, fit } from "@regularize/core-train";
import { referenceSgd, tinyClassification, tinyRegression } from "@regularize/core-train/testing";
import { adversarialTraining } from "./adversarial.js";
import { disturbLabel } from "./disturb-label.js";
import { dropConnect } from "./drop-connect.js";
import { dropout } from "./dropout.js";
import { gradientNoise } from "./gradient-noise.js";
import { inputNoise } from "./input-noise.js";
import { betaDropout, gaussianDropout, uniformDropout } from "./multiplicative-noise.js";
import { weightNoise } from "./weight-noise.js";

// "Noise with σ = 0 ≡ identity" (STYLE's property list), checked end to end: a fit with the
// zero-noise plugin gives bit-identical parameters to the same fit without it.
const zeroNoise: readonly (readonly [string, () => Plugin])[] = [
  ["dropout", () => dropout({ rate: 0 })],
  ["dropout (weight-scaling)", () => dropout({ rate: 0, inference: "weight-scaling" })],
  ["gaussianDropout", () => gaussianDropout({ rate: 0 })],
  ["uniformDropout", () => uniformDropout({ rate: 0 })],
  ["betaDropout", () => betaDropout({ rate: 0 })],
  ["dropConnect", () => dropConnect({ rate: 0 })],
  ["inputNoise", () => inputNoise({ sigma: 0 })],
  ["weightNoise", () => weightNoise({ sigma: 0 })],
  ["gradientNoise", () => gradientNoise({ eta: 0 })],
  ["disturbLabel", () => disturbLabel({ alpha: 0, classes: 3 })],
  ["adversarialTraining", () => adversarialTraining({ epsilon: 0.1, mix: 0 })],
];

async function run(problem: ReturnType<typeof tinyRegression>, plugins: Plugin[]): Promise<Tree> {
  const r = await fit({ model: problem.model, data: problem.data, loss: problem.loss, optimizer: referenceSgd({ lr: 0.05 }), batchSize: problem.batchSize, steps: 6, seed: 11, plugins });
  return r.params;
}

describe("zero noise is the identity", () => {
  it.each(zeroNoise)("%s with zero noise trains exactly like no plugin", async (name, make) => {
    const problem = name === "disturbLabel" ? tinyClassification() : tinyRegression();
    const a = treeLeaves(await run(problem, [])).map((l) => Array.from(l.data));
    const b = treeLeaves(await run(problem, [make()])).map((l) => Array.from(l.data));
    expect(b).toEqual(a);
  });
});
