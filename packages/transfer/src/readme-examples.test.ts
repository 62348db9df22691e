import { describe, expect, it } from "vitest";
import { Tensor, prngKey } from "@regularize/core-autodiff";
import { fit, linear, mlp, predict, accuracy } from "@regularize/core-train";
import { amplitudeScale, circularShift, gaussianNoise, makeMnist1d, sequence } from "@regularize/datasets";
import { adam } from "@regularize/optim";
import { l2sp } from "@regularize/penalties";
import {
  augmentationView, auxiliaryTask, contrastive, freeze, maskedReconstruction, multiHead, multiTask, paramGroups, pcgrad,
  pretextTask, replaceHead, transformPrediction, under, withHead,
} from "./index.js";

// The README's examples, verbatim (smaller step counts where marked), with a check of what they claim.
const d = makeMnist1d({});
const x = new Tensor(d.x, [4000, 40], "float64");
const y = new Tensor(d.y, [4000], "int32");
const test = { x: new Tensor(d.xTest, [1000, 40], "float64"), y: new Tensor(d.yTest, [1000], "int32") };
const few = { x: new Tensor(d.x.slice(0, 200 * 40), [200, 40], "float64"), y: new Tensor(d.y.slice(0, 200), [200], "int32") };

describe("README examples", () => {
  it("pretrain → replace the head → freeze or fine-tune with per-group rates and L2-SP", async () => {
    const trunk = mlp({ widths: [40, 100, 100] });
    const source = withHead(trunk, linear({ inputs: 100, outputs: 10 }), { activation: "relu" });
    const pre = await fit({ model: source, data: { x, y }, loss: "crossEntropy", optimizer: adam({ learningRate: 3e-3 }), batchSize: 100, steps: 300, seed: 1 });

    const head = linear({ inputs: 100, outputs: 10 });
    const model = withHead(trunk, head, { activation: "relu" });
    const params = replaceHead(pre.params, head, prngKey(2));
    // (a) linear probe: the trunk is frozen bit for bit
    const probe = await fit({ model, params, data: few, loss: "crossEntropy", batchSize: 50, steps: 200, seed: 3,
      optimizer: freeze(adam({ learningRate: 1e-3 }), under("trunk")) });
    // (b) fine-tune everything: the trunk at 0.3× the head's rate, pulled towards its pretrained weights
    const tuned = await fit({ model, params, data: few, loss: "crossEntropy", batchSize: 50, steps: 200, seed: 3,
      optimizer: paramGroups({ trunk: { mask: under("trunk"), transform: adam({ learningRate: 3e-4 }) } }, adam({ learningRate: 1e-3 })),
      plugins: [l2sp({ alpha: 0.01, pretrained: { trunk: pre.params.trunk } })] });

    expect(probe.params.trunk).toEqual(pre.params.trunk);
    expect(accuracy(predict(model, tuned.params, test.x), test.y)).toBeGreaterThan(0.3);
  }, 120_000);

  it("multi-task: digit head + flip-prediction head on unlabelled signals, PCGrad", async () => {
    const flips = transformPrediction({ length: 40 }); // identity / reversal / negation / both
    const mt = multiTask({ tasks: [{ name: "digit", outputs: 10 }, { name: "flip", outputs: flips.outputs }] });
    const model = multiHead(mlp({ widths: [40, 100, 100] }), {
      digit: linear({ inputs: 100, outputs: 10 }), flip: linear({ inputs: 100, outputs: flips.outputs }),
    }, { activation: "relu" });
    const r = await fit({
      model, data: { x: few.x, y: mt.labels(200, { digit: few.y }) }, loss: mt.loss,
      optimizer: adam({ learningRate: 1e-3 }), batchSize: 50, steps: 100, seed: 1,
      plugins: [auxiliaryTask({ multiTask: mt, task: "flip", pretext: flips, pool: x, batchSize: 50 }), pcgrad({ multiTask: mt })],
    });
    const digits = mt.outputsOf(predict(model, r.params, test.x), "digit");

    expect(digits.shape).toEqual([1000, 10]);
    expect(accuracy(digits, test.y)).toBeGreaterThan(0.15);
  }, 120_000);

  it("self-supervised pretraining: masked reconstruction and SimCLR", async () => {
    const trunk = mlp({ widths: [40, 100, 100] });
    const masked = maskedReconstruction({ length: 40, fraction: 0.25 });
    const ae = withHead(trunk, linear({ inputs: 100, outputs: masked.outputs }), { activation: "relu" });
    const r1 = await fit({ model: ae, data: { x, y }, loss: masked.loss, plugins: [pretextTask(masked)],
      optimizer: adam({ learningRate: 3e-3 }), batchSize: 100, steps: 200, seed: 1 });

    // views: datasets' augmentations — shift by −4…4, scale by U[0.8, 1.2], noise σ = 0.1
    const view = augmentationView(sequence([circularShift({ min: -4, max: 4 }), amplitudeScale(), gaussianNoise({ sigma: 0.1 })]));
    const simclr = contrastive({ view, outputs: 32, temperature: 0.5 });
    const proj = withHead(trunk, mlp({ widths: [100, 64, 32] }), { activation: "relu" });
    const r2 = await fit({ model: proj, data: { x, y }, loss: simclr.loss, plugins: [pretextTask(simclr)],
      optimizer: adam({ learningRate: 1e-3 }), batchSize: 100, steps: 30, seed: 1 });

    const avg = (rows: readonly { loss: number }[]) => rows.reduce((a, r) => a + r.loss, 0) / rows.length;
    for (const r of [r1.history.steps, r2.history.steps]) expect(avg(r.slice(-10))).toBeLessThan(avg(r.slice(0, 10)));
  }, 120_000);
});
