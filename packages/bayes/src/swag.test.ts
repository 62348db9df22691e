import { fit, mlp } from "@regularize/core-train";
import { normal, prngKey, tensor } from "@regularize/core-autodiff";
import { sgd } from "@regularize/optim";
import { describe, expect, it } from "vitest";
import { BayesArgumentError } from "./errors.js";
import { type SwagResult, swag, swagPosterior } from "./swag.js";

// feed iterates directly through afterStep (everySteps 1) with a minimal context
function collect(iterates: number[][], rank: number): SwagResult {
  const p = swag({ startEpoch: 0, everySteps: 1, rank });
  iterates.forEach((th, step) => p.afterStep!({ step, params: { a: tensor(th) } } as never));
  return p.result();
}

describe("swag", () => {
  const its = [[1, 2, 0], [3, 1, 1], [2, 5, 1], [0, 4, 2], [4, 3, 1]];
  it("keeps the exact first and second moments and the last K deviations from the running mean", () => {
    const r = collect(its, 3);
    const n = its.length;
    for (let k = 0; k < 3; k++) {
      expect(r.flatMean[k]).toBeCloseTo(its.reduce((s, t) => s + t[k]!, 0) / n, 14);
      expect(r.flatSquaredMean[k]).toBeCloseTo(its.reduce((s, t) => s + t[k]! ** 2, 0) / n, 14);
    }
    expect(r.deviations).toHaveLength(3);
    // the last deviation: θ₅ − θ̄₅
    expect(Array.from(r.deviations[2]!)).toEqual(its[4]!.map((v, k) => v - r.flatMean[k]!));
    expect(r.count).toBe(5);
  });

  it("samples have covariance ½(Σ_diag + D̂D̂ᵀ/(K−1)) (diag + low rank) and mean θ̄", () => {
    const r = collect(its, 3);
    const S = 40000;
    const xs = swagPosterior(r).sample(prngKey(1), S).map((t) => (t as unknown as { a: { data: Float64Array } }).a.data);
    const m = r.flatMean, D = r.deviations;
    for (const [i, j] of [[0, 0], [1, 1], [0, 1], [1, 2]] as const) {
      const want = 0.5 * ((i === j ? r.flatSquaredMean[i]! - m[i]! ** 2 : 0) + D.reduce((s, d) => s + d[i]! * d[j]!, 0) / 2);
      let c = 0;
      for (const x of xs) c += (x[i]! - m[i]!) * (x[j]! - m[j]!) / S;
      const sdi = Math.sqrt(want > 0 && i === j ? want : 1);
      expect(Math.abs(c - want)).toBeLessThan(5 * Math.sqrt(2 / S) * Math.max(sdi * sdi, 1));
    }
    let mean0 = 0;
    for (const x of xs) mean0 += x[0]! / S;
    expect(Math.abs(mean0 - m[0]!)).toBeLessThan(0.05);
  });

  it("collects per epoch inside fit and predicts through the Predictive interface", async () => {
    const model = mlp({ widths: [3, 5, 2] });
    const x = normal(prngKey(2), [20, 3], { dtype: "float64" });
    const y = tensor(Array.from({ length: 20 }, (_, i) => i % 2), { dtype: "int32" });
    const r = await fit({ model, data: { x, y }, loss: "crossEntropy", optimizer: sgd({ learningRate: 0.05 }), plugins: [swag({ startEpoch: 2, rank: 4 })], batchSize: 5, epochs: 8, seed: 1 });
    const res = r.plugins.swag as SwagResult;
    expect(res.count).toBe(6);
    expect(res.deviations).toHaveLength(4);
    const out = swagPosterior(res).predictive(model, { kind: "classification", samples: 10, key: prngKey(3) }).predict(x);
    for (let i = 0; i < 20; i++) expect(out.mean.data[2 * i]! + out.mean.data[2 * i + 1]!).toBeCloseTo(1, 12);
  });

  it("rejects bad options and empty results", () => {
    expect(() => swag({ startEpoch: -1 })).toThrow(BayesArgumentError);
    expect(() => swag({ startEpoch: 0, rank: 1.5 })).toThrow(BayesArgumentError);
    expect(() => swagPosterior(swag({ startEpoch: 0 }).result())).toThrow(/no collected iterates/);
  });
});

describe("swag on top of ensemble's swa", () => {
  it("has SWA's average as its first moment (same schedule, same run)", async () => {
    const { swa } = await import("@regularize/ensemble");
    const model = mlp({ widths: [3, 5, 2] });
    const x = normal(prngKey(2), [20, 3], { dtype: "float64" });
    const y = tensor(Array.from({ length: 20 }, (_, i) => i % 2), { dtype: "int32" });
    const r = await fit({ model, data: { x, y }, loss: "crossEntropy", optimizer: sgd({ learningRate: 0.05 }), plugins: [swag({ startEpoch: 2, rank: 4 }), swa({ startEpoch: 2 })], batchSize: 5, epochs: 8, seed: 1 });
    const s = r.plugins.swag as SwagResult, a = r.plugins.swa as { params: Record<string, unknown>; count: number };
    expect(s.count).toBe(a.count);
    const flat = (t: unknown): number[] => (t && typeof t === "object" && "data" in (t as object) ? Array.from((t as { data: ArrayLike<number> }).data)
      : Array.isArray(t) ? t.flatMap(flat) : Object.keys(t as object).sort().flatMap((k) => flat((t as Record<string, unknown>)[k])));
    const am = flat(a.params), sm = flat(s.mean);
    am.forEach((v, k) => expect(Math.abs(sm[k]! - v)).toBeLessThan(1e-14));
  });
});
