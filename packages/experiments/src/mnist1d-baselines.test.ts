import { describe, expect, it } from "vitest";
import { runExperiment } from "./index.js";
import { MNIST1D_REFERENCE, type Mnist1dBaselinesResult, pointsOff } from "./impl/mnist1d-baselines.js";

// The full reference protocol (6000 steps) for the cheaper models: logistic regression on both
// data sets, the MLP and the CNN on the normal data (~15 s of CPU with fit's compiled steps). The
// GRU and the shuffled MLP and CNN run in mnist1d-baselines.full.test.ts behind MNIST1D_BASELINES=1
// (see the README for their figures and for the two shuffled rows that miss at seed 42).
describe("mnist1d-baselines (reference protocol, cheap models)", () => {
  it("logistic regression is within 2 points of the notebooks' 31.5 % (normal) and 31.7 % (shuffled)", async () => {
    const r = (await runExperiment("mnist1d-baselines", { models: ["logistic"] })) as Mnist1dBaselinesResult;
    expect(pointsOff(r.runs.normal!.logistic!.testAccuracy, MNIST1D_REFERENCE.normal.logistic)).toBeLessThanOrEqual(2);
    expect(pointsOff(r.runs.shuffled!.logistic!.testAccuracy, MNIST1D_REFERENCE.shuffled.logistic)).toBeLessThanOrEqual(2);
    // A linear model does not care about the column order: same accuracy up to rounding of the sums.
    expect(Math.abs(r.runs.normal!.logistic!.testAccuracy - r.runs.shuffled!.logistic!.testAccuracy)).toBeLessThanOrEqual(0.02);
  }, 600_000);

  it("the residual MLP is within 2 points of the notebooks' 64.2–65.1 % and fits the training set", async () => {
    const r = (await runExperiment("mnist1d-baselines", { models: ["mlp"], data: ["normal"] })) as Mnist1dBaselinesResult;
    expect(pointsOff(r.runs.normal!.mlp!.testAccuracy, MNIST1D_REFERENCE.normal.mlp)).toBeLessThanOrEqual(2);
    expect(r.runs.normal!.mlp!.trainAccuracy).toBeGreaterThan(0.95);
    expect(r.runs.shuffled).toBeUndefined();
  }, 600_000);

  it("the CNN is within 2 points of the notebooks' 92.3–94.2 % and fits the training set", async () => {
    const r = (await runExperiment("mnist1d-baselines", { models: ["cnn"], data: ["normal"] })) as Mnist1dBaselinesResult;
    expect(pointsOff(r.runs.normal!.cnn!.testAccuracy, MNIST1D_REFERENCE.normal.cnn)).toBeLessThanOrEqual(2);
    expect(r.runs.normal!.cnn!.trainAccuracy).toBeGreaterThan(0.98);
  }, 600_000);
});
