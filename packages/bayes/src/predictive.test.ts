import { evaluatePredictive, mlp, softmaxRows } from "@regularize/core-train";
import { Tensor, normal, prngKey } from "@regularize/core-autodiff";
import { dropout, mcDropoutPredict } from "@regularize/noise";
import { describe, expect, it } from "vitest";
import { BayesArgumentError } from "./errors.js";
import { mcDropoutPredictive, samplesPredictive } from "./predictive.js";

const model = mlp({ widths: [3, 8, 4] });
const x = normal(prngKey(1), [6, 3], { dtype: "float64" });
const y = new Tensor(Int32Array.from([0, 1, 2, 3, 0, 1]), [6], "int32");

describe("samplesPredictive", () => {
  it("averages the samples' softmax probabilities", () => {
    const a = model.init(prngKey(2)), b = model.init(prngKey(3));
    const out = samplesPredictive({ model, samples: [a, b], kind: "classification" }).predict(x, { members: true });
    const pa = softmaxRows(model.apply(a, x).data, 6, 4), pb = softmaxRows(model.apply(b, x).data, 6, 4);
    out.mean.data.forEach((v, k) => expect(v).toBeCloseTo((pa[k]! + pb[k]!) / 2, 14));
    expect(out.members).toHaveLength(2);
    const m = evaluatePredictive(samplesPredictive({ model, samples: [a, b], kind: "classification" }), { x, y });
    expect(m.nll).toBeGreaterThan(0);
    expect(() => samplesPredictive({ model, samples: [], kind: "classification" })).toThrow(BayesArgumentError);
  });
});

describe("mcDropoutPredictive", () => {
  it("is noise's mcDropoutPredict passes through the Predictive interface", () => {
    const p = model.init(prngKey(4));
    const plugins = [dropout({ rate: 0.3 })];
    const out = mcDropoutPredictive(model, p, { kind: "regression", samples: 20, plugins, key: prngKey(5) }).predict(x);
    const ref = mcDropoutPredict(model, p, x, { samples: 20, plugins, key: prngKey(5) });
    out.mean.data.forEach((v, k) => expect(v).toBeCloseTo(ref.mean.data[k]!, 12));
    out.variance.data.forEach((v, k) => expect(v).toBeCloseTo(ref.variance.data[k]!, 12));
  });
});
