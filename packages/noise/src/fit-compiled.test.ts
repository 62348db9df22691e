import { type Tensor, astype, prngKey, treeFlatten, treeMap } from "@regularize/core-autodiff";
import { type Plugin, fit } from "@regularize/core-train";
import { referenceSgd, tinyClassification } from "@regularize/core-train/testing";
import { describe, expect, it } from "vitest";
import { gradientNoise } from "./gradient-noise.js";
import { betaDropout } from "./multiplicative-noise.js";

const bits = (t: Tensor): number[] => Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));

// these two drew from JS (a key's words, a step number) and made fit fall back to eager steps
const plugins: Record<string, () => Plugin> = {
  betaDropout: () => betaDropout({ rate: 0.3, concentration: 2 }),
  gradientNoise: () => gradientNoise({ eta: 0.05 }) as Plugin,
};

describe("noise plugins that record under fit()'s compiled step", () => {
  for (const [name, make] of Object.entries(plugins)) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${name}, ${dtype}: compiled (no fallback notice), bit-identical to compile: false, resumes exactly`, async () => {
        const pr = tinyClassification();
        const data = { x: astype(pr.data.x, dtype), y: pr.data.y };
        const params = treeMap((t: Tensor) => astype(t, dtype), pr.model.init(prngKey(4)));
        const opts = { model: pr.model, params, data, loss: pr.loss, optimizer: referenceSgd({ lr: 0.05, momentum: 0.9 }), batchSize: pr.batchSize, steps: 9, seed: 2, onNotice: () => {} };
        const c = await fit({ ...opts, plugins: [make()] }), e = await fit({ ...opts, plugins: [make()], compile: false });
        expect(c.compiled).toBe(true);
        expect(c.notices).toEqual([]);
        expect(treeFlatten(c.params)[0].map(bits)).toEqual(treeFlatten(e.params)[0].map(bits));
        expect(c.history.steps.map((s) => s.loss)).toEqual(e.history.steps.map((s) => s.loss));
        const { params: _p, ...rest } = opts;
        const half = await fit({ ...opts, plugins: [make()], steps: 4 });
        const resumed = await fit({ ...rest, plugins: [make()], initialState: half.state });
        expect(treeFlatten(resumed.params)[0].map(bits)).toEqual(treeFlatten(c.params)[0].map(bits));
      });
    }
  }
});
