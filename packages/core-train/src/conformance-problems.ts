import { type PRNGKey, type Tree, linspace, normal, prngKey, sin, mul, tensor } from "@regularize/core-autodiff";
import type { Loss, LossName } from "./losses.js";
import { mlp } from "./mlp.js";
import type { Model } from "./model.js";
import type { Dataset } from "./plugin.js";
import { shallowNet } from "./shallow-net.js";

/** A tiny training problem the conformance suite fits plugins on. */
export interface ConformanceProblem {
  readonly name: string;
  readonly model: Model<Tree>;
  readonly data: Dataset;
  readonly validation: Dataset;
  readonly loss: Loss | LossName;
  readonly batchSize: number;
}

function gaussianBlobs(key: PRNGKey, n: number): Dataset {
  const centres = [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, -1]];
  const noise = normal(key, [n, 4], { std: 0.5 }).data;
  const x = new Float64Array(n * 4);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = centres[i % 3]![j]! + noise[i * 4 + j]!;
  }
  return { x: tensor(x, { shape: [n, 4] }), y: tensor(y, { dtype: "int32" }) };
}

/** Three Gaussian blobs in 4-D, an MLP 4-8-3 with a residual-free hidden layer, mean cross-entropy. */
export function tinyClassification(): ConformanceProblem {
  return {
    name: "tiny classification (mlp 4-8-8-3, crossEntropy)",
    model: mlp({ widths: [4, 8, 8, 3] }) as Model<Tree>,
    data: gaussianBlobs(prngKey(101), 12),
    validation: gaussianBlobs(prngKey(102), 9),
    loss: "crossEntropy",
    batchSize: 4,
  };
}

function sineData(n: number, offset: number): Dataset {
  const x = linspace(0.02 + offset, 0.98 - offset, n);
  return { x, y: sin(mul(x, 2 * Math.PI)) };
}

/** 10 points of sin(2πx), the chapter's simplified network with K = 5, mean squared error. */
export function tinyRegression(): ConformanceProblem {
  return {
    name: "tiny regression (shallowNet K=5, mse)",
    model: shallowNet({ K: 5 }) as Model<Tree>,
    data: sineData(10, 0),
    validation: sineData(6, 0.03),
    loss: "mse",
    batchSize: 5,
  };
}
