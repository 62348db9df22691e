import { describe, expect, it } from "vitest";
import { type Tensor, prngKey, tensor } from "@regularize/core-autodiff";
import { type ForwardHookContext, type Site, predict, shallowNet } from "@regularize/core-train";
import { dropout, dropoutMask } from "./dropout.js";
import { NoiseOptionError } from "./errors.js";
import { expectAllclose } from "../test/helpers.js";

const hidden: Site = { name: "hidden0", index: 1, kind: "hidden" };
const input: Site = { name: "input", index: 0, kind: "input" };
const hookCtx = (active: boolean, seed = 1): ForwardHookContext => ({ mode: active ? "train" : "eval", active, key: prngKey(seed), step: 0 });

describe("dropout weight scaling (extra chapter identity)", () => {
  it("E_m[β + Σ m_k ω_k h_k] = β + (1−p)·Σ ω_k h_k exactly, enumerating all 2^K masks, and equals the weight-scaling eval", () => {
    const K = 6, p = 0.3;
    const model = shallowNet({ K });
    const params = { omega: tensor([0.7, -1.2, 2.5, 0.3, -0.8, 1.9]), beta: tensor(0.4) };
    const xs = [0.05, 0.31, 0.62, 0.97];
    const hk = (x: number, k: number) => Math.max(0, x - k / K);
    const dp = dropout({ rate: p, inference: "weight-scaling" });
    const evalOut = predict(model, params, tensor(xs), { plugins: [dp] }).data;
    xs.forEach((x, i) => {
      let expectation = 0;
      for (let mask = 0; mask < 1 << K; mask++) {
        let prob = 1, f = params.beta.item();
        for (let k = 0; k < K; k++) {
          const keep = (mask >> k) & 1;
          prob *= keep ? 1 - p : p;
          f += keep * params.omega.data[k]! * hk(x, k);
        }
        expectation += prob * f;
      }
      let scaled = params.beta.item();
      for (let k = 0; k < K; k++) scaled += (1 - p) * params.omega.data[k]! * hk(x, k);
      expectAllclose(expectation, scaled, { rtol: 1e-13, atol: 1e-14 });
      expectAllclose(evalOut[i]!, scaled, { rtol: 1e-13, atol: 1e-14 });
    });
  });

  it("inverted dropout is the identity at test time and unbiased in train mode", () => {
    const h = tensor([[1, 2, 3, 4]]);
    const dp = dropout({ rate: 0.5 });
    expect(dp.site!(h, hidden, hookCtx(false))).toBe(h);
    const out = dp.site!(h, hidden, hookCtx(true)) as Tensor;
    Array.from(out.data).forEach((v, k) => expect([0, 2 * h.data[k]!]).toContain(v));
  });
});

describe("dropout", () => {
  it("drops a share ≈ p of units per example in train mode (4 standard errors)", () => {
    const n = 20000, p = 0.3;
    const m = dropoutMask(tensor(new Array(n).fill([1])), prngKey(4), { rate: p });
    const dropped = Array.from(m.data).filter((v) => v === 0).length / n;
    expect(Math.abs(dropped - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });

  it("drops exactly one of units 7/8/9 per step with fixed-count sampling over those units (figure 9.9)", () => {
    const h = tensor([new Array(14).fill(1), new Array(14).fill(1)]);
    for (let s = 0; s < 30; s++) {
      const m = dropoutMask(h, prngKey(s), { rate: 1 / 3, units: [7, 8, 9], sampling: "fixed-count", sharedMask: true });
      expect(m.shape).toEqual([1, 14]);
      const zeros = Array.from(m.data).flatMap((v, k) => (v === 0 ? [k] : []));
      expect(zeros).toHaveLength(1);
      expect([7, 8, 9]).toContain(zeros[0]);
    }
  });

  it("acts on hidden sites only, and only on the named ones", () => {
    const h = tensor([[1, 1, 1, 1]]);
    expect(dropout({ rate: 0.5 }).site!(h, input, hookCtx(true))).toBe(h);
    expect(dropout({ rate: 0.5, sites: ["hidden1"] }).site!(h, hidden, hookCtx(true))).toBe(h);
    expect(dropout({ rate: 0.5, sites: ["hidden0"] }).site!(h, hidden, hookCtx(true))).not.toBe(h);
  });

  it("is a pure function of the key: same seed ⇒ same output, another seed ⇒ another mask", () => {
    const h = tensor([Array.from({ length: 64 }, (_, k) => k + 1)]);
    const dp = dropout({ rate: 0.5 });
    const a = dp.site!(h, hidden, hookCtx(true, 3)).data, b = dp.site!(h, hidden, hookCtx(true, 3)).data;
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(dp.site!(h, hidden, hookCtx(true, 4)).data)).not.toEqual(Array.from(a));
  });

  it("with rate 0 is the identity in both modes and both inference rules", () => {
    const h = tensor([[1.5, -2]]);
    for (const inference of ["inverted", "weight-scaling"] as const) {
      expect(dropout({ rate: 0, inference }).site!(h, hidden, hookCtx(true))).toBe(h);
      expect(dropout({ rate: 0, inference }).site!(h, hidden, hookCtx(false))).toBe(h);
    }
  });

  it("rejects bad options with a NoiseOptionError naming the option", () => {
    expect(() => dropout({ rate: 1 })).toThrowError(NoiseOptionError);
    expect(() => dropout({ rate: -0.1 })).toThrowError(/"rate"/);
    expect(() => dropout({ rate: 0.5, inference: "scaled" as "inverted" })).toThrowError(/"inference"/);
    expect(() => dropout({ rate: 0.5, units: [] })).toThrowError(/"units"/);
    expect(() => dropout({ rate: 0.5, units: [20] }).site!(tensor([[1, 2]]), hidden, hookCtx(true))).toThrowError(/"units"/);
  });
});
