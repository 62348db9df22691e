// Double backprop through a whole network: the gradient of the implicit-regularization modified
// loss L̃ = L + α/4‖∇L‖² (UDL eq. 9.8) needs the gradient of every op's backward rule.
import { describe, expect, it } from "vitest";
import {
  type Tensor, add, avgPool1d, conv1d, crossEntropy, elu, grad, hvp, matmul, mul, normal, prngKey, reshape, softplus, split, tanh,
  tensor, treeAdd, treeLeaves, treeScale, treeSquaredNorm,
} from "../src/index.js";
import { fdGrad } from "./fd.js";
import "./matchers.js";

type Params = { conv: Tensor; bias: Tensor; w1: Tensor; w2: Tensor };

const [k1, k2, k3, k4, k5] = split(prngKey(2024), 5) as [ReturnType<typeof prngKey>, ReturnType<typeof prngKey>, ReturnType<typeof prngKey>, ReturnType<typeof prngKey>, ReturnType<typeof prngKey>];
const params: Params = {
  conv: normal(k1, [3, 2, 3], { std: 0.5 }),
  bias: normal(k2, [3], { std: 0.1 }),
  w1: normal(k3, [6, 5], { std: 0.4 }),
  w2: normal(k4, [5, 4], { std: 0.4 }),
};
const x = normal(k5, [4, 2, 5]);
const labels = tensor([0, 3, 1, 2], { dtype: "int32" });

/** conv1d → elu → avgPool1d → tanh MLP → crossEntropy: smooth, so finite differences are meaningful. */
function loss(p: Params): Tensor {
  const h = avgPool1d(elu(conv1d(x, p.conv, { padding: 1, bias: p.bias })), { kernel: 2, stride: 2 }); // [4, 3, 2]
  const z = tanh(matmul(reshape(h, [4, 6]), p.w1));
  return crossEntropy(add(matmul(softplus(z), p.w2), 0.1), labels);
}

describe("modified loss through a conv net", () => {
  const alpha = 0.2;
  const modified = (p: Params) => add(loss(p), mul(treeSquaredNorm(grad(loss)(p)), alpha / 4));

  it("∇L̃ by nested grad equals ∇L + α/2·H∇L by hvp, over the whole parameter tree", () => {
    const viaNested = grad(modified)(params);
    const g = grad(loss)(params);
    const viaHvp = treeAdd(g, treeScale(hvp(loss, params, g), alpha / 2));
    const a = treeLeaves(viaNested), b = treeLeaves(viaHvp);
    a.forEach((t, i) => expect(t).toBeAllclose(b[i]!, { rtol: 1e-10, atol: 1e-13 }));
  });

  it("∇L̃ matches central differences of L̃ (h = 1e-5, float64)", () => {
    const keys = Object.keys(params).sort() as (keyof Params)[];
    const asTree = (ls: Tensor[]) => Object.fromEntries(keys.map((k, i) => [k, ls[i]!])) as Params;
    const fd = fdGrad((ls) => modified(asTree(ls)).item(), keys.map((k) => params[k]), 1e-5);
    const got = treeLeaves(grad(modified)(params));
    got.forEach((t, i) => expect(t).toBeAllclose(fd[i]!, { rtol: 1e-6, atol: 1e-8 }));
  });

  it("a third-order quantity (gradient of ‖H∇L‖²) matches finite differences in the bias", () => {
    const third = (p: Params) => treeSquaredNorm(hvp(loss, p, grad(loss)(p)));
    const fd = fdGrad((ls) => third({ ...params, bias: ls[0]! }).item(), [params.bias], 1e-5);
    expect(grad(third)(params).bias).toBeAllclose(fd[0]!, { rtol: 1e-5, atol: 1e-8 });
  });
});
