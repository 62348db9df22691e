import { describe, expect, it } from "vitest";
import { type Tree, prngKey, tensor } from "@regularize/core-autodiff";
import { type Model, type TrainState, fit, linear, mlp } from "@regularize/core-train";
import { l2sp } from "@regularize/penalties";
import { momentum } from "@regularize/optim";
import { bits, twoTaskProblem } from "../test/helpers.js";
import { paramGroups, under } from "./param-groups.js";
import { replaceHead, withHead } from "./with-head.js";

describe("pretrain → replace the head → fine-tune", () => {
  const { data } = twoTaskProblem(24);
  const y3 = tensor(Int32Array.from({ length: 24 }, (_, i) => i % 3), { dtype: "int32" });
  const y2 = tensor(Int32Array.from({ length: 24 }, (_, i) => (i >> 1) % 2), { dtype: "int32" });
  const trunk = mlp({ widths: [4, 8, 8] });

  it("resumes a fine-tuning (per-group rates, L2-SP) from a checkpoint bit-exactly", async () => {
    const source = withHead(trunk, linear({ inputs: 8, outputs: 3 }), { activation: "relu" });
    const pre = await fit({ model: source, data: { x: data.x, y: y3 }, loss: "crossEntropy", optimizer: momentum({ learningRate: 0.05 }), batchSize: 8, epochs: 3, seed: 1 });
    const head = linear({ inputs: 8, outputs: 2 });
    const target = withHead(trunk, head, { activation: "relu" }) as Model<Tree>;
    const params = replaceHead(pre.params, head, prngKey(7));
    expect(bits(params.trunk)).toEqual(bits(pre.params.trunk));
    const run = (extra: object) => fit({
      model: target, data: { x: data.x, y: y2 }, loss: "crossEntropy", batchSize: 8, epochs: 4,
      optimizer: paramGroups({ trunk: { mask: under("trunk"), transform: momentum({ learningRate: 0.005 }) } }, momentum({ learningRate: 0.05 })),
      plugins: [l2sp({ alpha: 0.01, beta: 0.001, pretrained: { trunk: pre.params.trunk } })],
      ...extra,
    });
    const full = await run({ params, seed: 2 });
    let mid: TrainState | undefined;
    await run({ params, seed: 2, epochs: 2, checkpointEvery: 5, onCheckpoint: (s: TrainState) => { mid ??= s; } });
    expect(mid!.step).toBe(5); // mid-epoch
    const resumed = await run({ initialState: mid });
    expect(bits(resumed.params)).toEqual(bits(full.params));
    expect(resumed.history.epochs.at(-1)).toEqual(full.history.epochs.at(-1));
  });

  it("replaceHead rejects parameters without a trunk", () => {
    expect(() => replaceHead({} as never, linear({ inputs: 8, outputs: 2 }), prngKey(1))).toThrow(/replaceHead: params/);
  });
});
