// A missing or wrong-typed argument of a public function ends in BayesArgumentError naming the
// function and the argument, not in a TypeError from deep inside (tests/fuzz found these).
import { describe, expect, it } from "vitest";
import { mlp } from "@regularize/core-train";
import { BayesArgumentError, linearGaussianElbo, maximizeEvidence, mcDropoutPredictive, meanField, meanFieldKl, meanFieldPredictive, sampleMeanField, samplesPredictive, swagPosterior } from "./index.js";

const model = mlp({ widths: [2, 3, 2] });
const bad = (call: () => unknown, fn: string, argument: string) => {
  let error: unknown;
  try { call(); } catch (e) { error = e; }
  expect(error).toBeInstanceOf(BayesArgumentError);
  expect(error).toMatchObject({ fn, argument });
};

describe("argument guards", () => {
  it("options objects", () => {
    bad(() => maximizeEvidence(undefined as never), "maximizeEvidence", "options");
    bad(() => linearGaussianElbo(null as never), "linearGaussianElbo", "options");
    bad(() => samplesPredictive(undefined as never), "samplesPredictive", "options");
    bad(() => mcDropoutPredictive(model, {} as never, undefined as never), "mcDropoutPredictive", "options");
    bad(() => linearGaussianElbo({ features: [[1]], targets: [1], noiseVariance: 1, priorVariance: 1 } as never), "linearGaussianElbo", "mean");
  });
  it("models, mean-field parameters and SWAG results", () => {
    bad(() => meanField(undefined as never), "meanField", "model");
    // unknown keys were ignored (fuzz prescreen, seed 13579)
    bad(() => meanField(model, { dtype: "int32" } as never), "meanField", "dtype");
    bad(() => meanField(model, { localReparameterization: 3 } as never), "meanField", "localReparameterization");
    expect(meanField(model, { initStd: 0.1 }).name).toBe("meanField(" + model.name + ")");
    bad(() => mcDropoutPredictive(true as never, {} as never, { kind: "classification", samples: 2 } as never), "mcDropoutPredictive", "model");
    bad(() => meanFieldKl(undefined as never, 1), "meanFieldKl", "params");
    bad(() => sampleMeanField({ mu: {} } as never, undefined as never), "sampleMeanField", "params");
    bad(() => meanFieldPredictive(meanField(model), {} as never, { kind: "classification" }), "meanFieldPredictive", "params");
    bad(() => swagPosterior("x" as never), "swagPosterior", "result");
    bad(() => swagPosterior({ count: 2 } as never), "swagPosterior", "result");
  });
});
