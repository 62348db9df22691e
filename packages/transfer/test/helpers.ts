import { type Tensor, type Tree, normal, prngKey, tensor, treeFlatten } from "@regularize/core-autodiff";
import { type Dataset, type Model, linear, mlp } from "@regularize/core-train";
import type { ConformanceProblem } from "@regularize/core-train/testing";
import { multiHead } from "../src/with-head.js";
import { type MultiTask, multiTask } from "../src/multi-task.js";

/** Two tasks on 4-D blobs: "cls" (3 classes, every row labelled) and "parity" (2 classes, every third row unlabelled). */
export function twoTaskProblem(n = 24, seed = 3): { mt: MultiTask; model: Model<Tree>; data: Dataset; validation: Dataset; problem: ConformanceProblem } {
  const mt = multiTask({ tasks: [{ name: "cls", outputs: 3 }, { name: "parity", outputs: 2, weight: 0.5 }] });
  const model = multiHead(mlp({ widths: [4, 8] }), { cls: linear({ inputs: 8, outputs: 3 }), parity: linear({ inputs: 8, outputs: 2 }) }, { activation: "relu" }) as Model<Tree>;
  const make = (m: number, s: number): Dataset => {
    const noise = normal(prngKey(s), [m, 4], { std: 0.5 }).data;
    const x = new Float64Array(m * 4);
    const cls = new Float64Array(m), parity = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      cls[i] = i % 3;
      parity[i] = i % 3 === 2 ? NaN : (i >> 1) % 2;
      for (let j = 0; j < 4; j++) x[i * 4 + j] = (j === i % 3 ? 2 : 0) + (j === 3 ? parity[i]! || 0 : 0) + noise[i * 4 + j]!;
    }
    return { x: tensor(x, { shape: [m, 4] }), y: mt.labels(m, { cls, parity }) };
  };
  const data = make(n, seed), validation = make(12, seed + 1);
  return { mt, model, data, validation, problem: { name: "two tasks (multiHead mlp 4-8 → 3 + 2)", model, data, validation, loss: mt.loss, batchSize: 8 } };
}

/** Every leaf's raw bits, for bit-identity checks. */
export function bits(t: Tree): number[][] {
  return treeFlatten(t)[0].map((l: Tensor) => Array.from(new Uint32Array(new Float64Array(l.data).buffer)));
}

/** Central finite differences of f at x. */
export function finiteDiff(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const a = Float64Array.from(x), b = Float64Array.from(x);
    a[i] = a[i]! + h;
    b[i] = b[i]! - h;
    g[i] = (f(a) - f(b)) / (2 * h);
  }
  return g;
}
