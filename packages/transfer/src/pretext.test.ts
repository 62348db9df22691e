import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type Tensor, grad, normal, prngKey, tensor } from "@regularize/core-autodiff";
import { fit, linear, mlp } from "@regularize/core-train";
import { adam } from "@regularize/optim";
import { finiteDiff } from "../test/helpers.js";
import { TransferError } from "./errors.js";
import { maskedMseLoss, maskedReconstruction } from "./masked-reconstruction.js";
import { contrastive, ntXent } from "./nt-xent.js";
import { pretextTask } from "./pretext.js";
import { rollRows, shiftPrediction } from "./shift-prediction.js";
import { withHead } from "./with-head.js";

const signals = (b: number, l: number, seed = 1) => normal(prngKey(seed), [b, l]);

describe("rollRows / shiftPrediction", () => {
  it("shifts each row circularly: a permutation of the row with x'[j + s] = x[j]", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 5 }), (shifts) => {
      const x = signals(shifts.length, 7);
      const y = rollRows(x, shifts);
      for (let b = 0; b < shifts.length; b++) {
        const row = Array.from(x.data.subarray(b * 7, b * 7 + 7));
        const out = Array.from(y.data.subarray(b * 7, b * 7 + 7));
        expect([...out].sort()).toEqual([...row].sort());
        for (let j = 0; j < 7; j++) expect(out[(((j + shifts[b]!) % 7) + 7) % 7]).toBe(row[j]);
      }
    }));
  });

  it("labels each shifted signal with its shift, the same key giving the same bits", () => {
    const task = shiftPrediction({ length: 12 });
    const x = signals(6, 12);
    const a = task.make(x, prngKey(3)), b = task.make(x, prngKey(3)), c = task.make(x, prngKey(4));
    expect(Array.from(a.x.data)).toEqual(Array.from(b.x.data));
    expect(Array.from(a.y.data)).not.toEqual(Array.from(c.y.data));
    expect(Array.from(a.x.data)).toEqual(Array.from(rollRows(x, a.y.data as Int32Array).data));
    expect(task.outputs).toBe(12);
  });
});

describe("maskedReconstruction", () => {
  it("hides one span of round(fraction·L) samples and scores only them", () => {
    const task = maskedReconstruction({ length: 20, fraction: 0.25, fill: 0 });
    const x = signals(4, 20);
    const { x: xin, y } = task.make(x, prngKey(2));
    for (let b = 0; b < 4; b++) {
      const mask = Array.from(y.data.subarray(b * 40 + 20, b * 40 + 40));
      expect(mask.reduce((s, m) => s + m, 0)).toBe(5);
      mask.forEach((m, j) => expect(xin.data[b * 20 + j]).toBe(m ? 0 : x.data[b * 20 + j]));
    }
    // predicting the input itself errs only on the hidden samples
    const l = task.loss(xin, { x: xin, y }).item();
    let want = 0;
    for (let i = 0; i < 80; i++) if (y.data[Math.floor(i / 20) * 40 + 20 + (i % 20)]) want += x.data[i]! ** 2;
    expect(l).toBeCloseTo(want / 20, 12);
  });

  it("has a loss gradient matching central finite differences", () => {
    const task = maskedReconstruction({ length: 5, fraction: 0.4 });
    const { y } = task.make(signals(2, 5), prngKey(1));
    const p = signals(2, 5, 9);
    const loss = maskedMseLoss(5);
    const g = grad((q: Tensor) => loss(q, { x: q, y }))(p);
    const fd = finiteDiff((v) => loss(tensor(Array.from(v), { shape: [2, 5] }), { x: p, y }).item(), Float64Array.from(p.data));
    Array.from(g.data).forEach((v, i) => expect(v).toBeCloseTo(fd[i]!, 7));
  });
});

describe("ntXent", () => {
  it("has gradients matching central finite differences (float64)", () => {
    for (const tau of [0.1, 0.5, 2]) {
      const z = signals(6, 3, 5);
      const g = grad((q: Tensor) => ntXent(q, tau))(z);
      const fd = finiteDiff((v) => ntXent(tensor(Array.from(v), { shape: [6, 3] }), tau).item(), Float64Array.from(z.data), 1e-6);
      Array.from(g.data).forEach((v, i) => expect(v).toBeCloseTo(fd[i]!, 6));
    }
  });

  it("equals the SimCLR formula on a hand-checked case and is small when views agree", () => {
    const z = tensor([[1, 0], [0, 1], [1, 0], [0, 1]]);
    // row 0: positive s = 1/τ, negatives: row 1 (0), row 3 (0)
    const tau = 0.5;
    const want = -Math.log(Math.exp(2) / (Math.exp(2) + 2));
    expect(ntXent(z, tau).item()).toBeCloseTo(want, 12);
    expect(ntXent(tensor([[1, 0], [0, 1], [0, 1], [1, 0]]), tau).item()).toBeGreaterThan(want);
  });

  it("rejects an odd batch and a bad temperature", () => {
    expect(() => ntXent(signals(3, 2))).toThrow(/ntXent: z/);
    expect(() => ntXent(signals(4, 2), 0)).toThrow(/temperature/);
  });
});

describe("pretext tasks in fit", () => {
  it("self-supervised SimCLR pretraining lowers the contrastive loss", async () => {
    const view = (x: Tensor, key: ReturnType<typeof prngKey>) => rollRows(x, Array.from({ length: x.shape[0]! }, (_, i) => (key.k0 + i) % 3));
    const task = contrastive({ view, outputs: 4, temperature: 0.5 });
    const model = withHead(mlp({ widths: [8, 16] }), linear({ inputs: 16, outputs: 4 }), { activation: "relu" });
    const data = { x: signals(32, 8), y: tensor(new Int32Array(32), { dtype: "int32" }) };
    const r = await fit({ model, data, loss: task.loss, plugins: [pretextTask(task)], optimizer: adam({ learningRate: 0.01 }), batchSize: 16, epochs: 15, seed: 1 });
    const first = r.history.epochs[0]!.trainLoss!, last = r.history.epochs.at(-1)!.trainLoss!;
    expect(last).toBeLessThan(0.8 * first);
  });
});

describe("bad signals", () => {
  const tasks = [shiftPrediction({ length: 8 }), maskedReconstruction({ length: 8 }), contrastive({ view: (x) => x, length: 8 })];
  for (const t of tasks) {
    it(`${t.name} rejects wrong rank, wrong length and non-finite values naming x`, () => {
      expect(() => t.make(tensor([1, 2, 3, 4, 5, 6, 7, 8]), prngKey(0))).toThrow(TransferError);
      expect(() => t.make(signals(2, 5), prngKey(0))).toThrow(/x must have length 8/);
      const bad = signals(2, 8);
      bad.data[3] = NaN;
      expect(() => t.make(bad, prngKey(0))).toThrow(/x holds a non-finite value/);
    });
  }
  it("option errors name the option", () => {
    expect(() => maskedReconstruction({ length: 8, fraction: 1.5 })).toThrow(/fraction/);
    expect(() => shiftPrediction({ length: 0 })).toThrow(/length/);
    expect(() => contrastive({} as never)).toThrow(/view/);
  });
});

describe("transformPrediction", () => {
  it("applies the labelled flip to each signal, deterministically in the key", async () => {
    const { transformPrediction } = await import("./transform-prediction.js");
    const task = transformPrediction({ length: 5 });
    const x = signals(8, 5);
    const { x: xt, y } = task.make(x, prngKey(6));
    expect(Array.from(task.make(x, prngKey(6)).x.data)).toEqual(Array.from(xt.data));
    for (let b = 0; b < 8; b++) {
      const r = Array.from(x.data.subarray(b * 5, b * 5 + 5));
      const want = [r, [...r].reverse(), r.map((v) => -v), [...r].reverse().map((v) => -v)][y.data[b]!]!;
      expect(Array.from(xt.data.subarray(b * 5, b * 5 + 5))).toEqual(want);
    }
    expect(() => transformPrediction({ length: 5, transforms: [] })).toThrow(/transforms/);
  });
});
