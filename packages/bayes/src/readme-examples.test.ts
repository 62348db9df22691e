import { normal, prngKey, tensor } from "@regularize/core-autodiff";
import { evaluatePredictive, fit, mlp } from "@regularize/core-train";
import { dropout } from "@regularize/noise";
import { adam, sgd } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import {
  type BayesByBackpropScales, type SwagResult, bayesByBackprop, gaussianPrior, klAnnealing, laplace, linearGaussian, maximizeEvidence, mcDropoutPredictive, meanField,
  meanFieldPredictive, posteriorSamples, reluFeatures, samplesPredictive, sgld, swag, swagPosterior,
} from "./index.js";

// The README's examples, as written there, with their printed numbers checked.
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

  it("Laplace, SGLD, Bayes by Backprop, SWAG and MC dropout, each through a Predictive", async () => {
    const x = normal(prngKey(0), [60, 2], { dtype: "float64" });
    const y = tensor(Array.from({ length: 60 }, (_, i) => (x.data[2 * i]! > 0.5 ? 2 : x.data[2 * i]! > -0.5 ? 1 : 0)), { dtype: "int32" });
    const data = { x, y };
    const model = mlp({ widths: [2, 16, 3] });
    const r = await fit({ model, data, loss: "crossEntropy", optimizer: adam({ learningRate: 0.01 }), steps: 300, seed: 0 });
    const la = laplace({
      model, params: r.params, data, likelihood: "categorical",
      subset: "lastLayer", structure: "kron", curvature: "ggn", priorPrecision: "marginalLikelihood",
    });
    const metrics = evaluatePredictive(la.predictive({ method: "linearized", samples: 100 }), data);
    const diag = laplace({ model, params: r.params, data, likelihood: "categorical", structure: "diagonal", priorPrecision: "marginalLikelihood" });
    const kfac = laplace({ model, params: r.params, data, likelihood: "categorical", structure: "kron", priorPrecision: "marginalLikelihood" });

    const chain = await fit({
      model, params: r.params, data, loss: "crossEntropy", batchSize: 20, steps: 400, seed: 1,
      optimizer: sgld({ learningRate: 1e-3, dataSize: 60, temperature: 1 }),
      plugins: [gaussianPrior({ variance: 1, dataSize: 60 }), posteriorSamples({ burnIn: 200, thinning: 20 })],
    });
    const { samples } = chain.plugins.posteriorSamples as { samples: typeof r.params[] };
    const sgldPredictive = samplesPredictive({ model, samples, kind: "classification" });
    const fast = sgld({ learningRate: 1e-3, dataSize: 60, noise: "rademacher" });
    const fastChain = await fit({ model, params: r.params, data, loss: "crossEntropy", batchSize: 20, steps: 50, seed: 1, optimizer: fast });

    const vmodel = meanField(model, { initStd: 1e-3 });
    const vi = await fit({
      model: vmodel, data, loss: "crossEntropy", optimizer: adam({ learningRate: 0.01 }), steps: 300, seed: 2,
      plugins: [bayesByBackprop({ dataSize: 60, priorVariance: 1, klWeight: klAnnealing(100) })],
    });
    const viPredictive = meanFieldPredictive(model, vi.params, { kind: "classification", samples: 50 });
    const owned = await fit({
      model, data, loss: "crossEntropy", optimizer: adam({ learningRate: 0.01 }), steps: 300, seed: 2,
      plugins: [bayesByBackprop({ dataSize: 60, priorVariance: 1, scales: { initStd: 1e-3, learningRate: 0.01 } })],
    });
    const { rho } = owned.plugins.bayesByBackprop as BayesByBackpropScales;
    const ownedPredictive = meanFieldPredictive(model, { mu: owned.params, rho: rho! }, { kind: "classification", samples: 50 });

    const s = await fit({ model, params: r.params, data, loss: "crossEntropy", optimizer: sgd({ learningRate: 0.05, momentum: 0.9 }),
      batchSize: 20, epochs: 12, seed: 3, plugins: [swag({ startEpoch: 2, rank: 5 })] });
    const swagPredictive = swagPosterior(s.plugins.swag as SwagResult).predictive(model, { kind: "classification", samples: 20, key: prngKey(0) });

    const plugins = [dropout({ rate: 0.2 })];
    const d = await fit({ model, data, loss: "crossEntropy", optimizer: adam({ learningRate: 0.01 }), steps: 300, seed: 4, plugins });
    const mcPredictive = mcDropoutPredictive(model, d.params, { kind: "classification", samples: 30, plugins, key: prngKey(1) });

    expect(samples).toHaveLength(10);
    // every method fits this easy problem: training accuracy well above chance (1/3), finite NLL
    expect(fastChain.history.steps.every((st) => Number.isFinite(st.loss))).toBe(true);
    const laplaces = [diag, kfac].map((l) => evaluatePredictive(l.predictive({ samples: 100 }), data));
    for (const m of [metrics, ...laplaces, ...[sgldPredictive, viPredictive, ownedPredictive, swagPredictive, mcPredictive].map((p) => evaluatePredictive(p, data))]) {
      expect(m.accuracy!).toBeGreaterThan(0.8);
      expect(Number.isFinite(m.nll!)).toBe(true);
    }
  });
});
