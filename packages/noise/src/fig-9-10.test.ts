import { describe, expect, it } from "vitest";
import { linspace, prngKey, tensor } from "@regularize/core-autodiff";
import { fit, predict, shallowNet } from "@regularize/core-train";
import { inputNoise } from "./input-noise.js";
import { FIG910_X, FIG910_Y, sgd, totalVariation } from "../test/helpers.js";

// Figure 9.10 (qualitative): more Gaussian input noise gives a smoother fitted curve. The book does
// not give the model or σ_x's units (CHAPTER9 §2 fig 9.10 "NOT FOUND"); we use the suggested §1.2
// network with K = 40 units, full-batch GD on the SSE with fresh noise every step, σ_x ∈ {0, 0.06, 0.1} (the playground presets).
describe("figure 9.10: input noise smooths the fit", () => {
  it("gives a lower total variation of the fitted curve for larger σ_x (seeded)", async () => {
    const model = shallowNet({ K: 40 });
    const data = { x: tensor(FIG910_X), y: tensor(FIG910_Y) };
    const grid = linspace(0, 1, 100);
    const tv: number[] = [];
    for (const sigma of [0, 0.06, 0.1]) {
      const { params } = await fit({
        model, data, loss: "sse", optimizer: sgd(0.008), plugins: [inputNoise({ sigma })], steps: 1500, key: prngKey(910), shuffle: false,
      });
      tv.push(totalVariation(predict(model, params, grid).data));
    }
    console.info(`fig 9.10: total variation for σ_x = 0 / 0.06 / 0.1: ${tv.map((v) => v.toFixed(3)).join(" / ")}`);
    expect(tv[0]!).toBeGreaterThan(tv[1]!);
    expect(tv[1]!).toBeGreaterThan(tv[2]!);
  });
});
