import { type Tensor, add, grad, mul, reshape, slice, square, sub, tensor } from "@regularize/core-autodiff";
import { describe, expect, it } from "vitest";
import { gaborLoss } from "../test/fixtures/gabor.js";
import { valleyLoss } from "../test/fixtures/valley.js";
import { expectAllclose, flat } from "../test/helpers.js";
import { sgd } from "./aliases.js";
import { applyUpdates } from "./apply-updates.js";
import { gradientFlow } from "./gradient-flow.js";
import { modifiedLossGD } from "./modified-loss.js";

// Reference endpoints of the chapter's notebooks (CHAPTER9.md §2). Their "continuous" paths are GD
// with α = 0.001 for 10 000 steps, an O(α) proxy of the flow; our flows are integrated to ~1e-9, so
// they differ from the printed proxies by ≈ 4e-4 — hence the tolerance of 1e-3.

function gd(loss: (p: Tensor) => Tensor, start: readonly number[], alpha: number, steps: number): number[] {
  const opt = sgd({ learningRate: alpha });
  let p = tensor([...start]);
  let s = opt.init(p);
  for (let i = 0; i < steps; i++) {
    const [u, ns] = opt.update(grad(loss)(p), s, p);
    p = applyUpdates(p, u);
    s = ns;
  }
  return flat(p);
}

describe("figure 9.3 (notebook 9.2): implicit regularization of gradient descent", () => {
  const start = [-0.7, -0.75];
  let modifiedEnd: number[] | undefined;
  // the modified flow needs double backprop at every stage: integrate it once for both tests
  const modifiedFlowEnd = () =>
    (modifiedEnd ??= flat(gradientFlow(modifiedLossGD(valleyLoss, 0.05), tensor(start), { time: 10, method: "dopri5", rtol: 1e-9, atol: 1e-12 }).path.at(-1)!));

  it("discrete GD α = 0.05 for 100 steps ends at (−0.2078, −0.0015)", () => {
    expectAllclose(gd(valleyLoss, start, 0.05, 100), [-0.2078, -0.0015], { atol: 1e-4 });
  });

  it("the continuous path on the modified loss (α = 0.05, t = 10) ends near (−0.2089, 0)", () => {
    expectAllclose(modifiedFlowEnd(), [-0.2089, 0], { atol: 1e-3 });
  });

  it("the plain continuous path (t = 10) ends near (−0.2269, 0), left of both", () => {
    const plain = flat(gradientFlow(valleyLoss, tensor(start), { time: 10, method: "dopri5", rtol: 1e-9, atol: 1e-12 }).path.at(-1)!);
    expectAllclose(plain, [-0.2269, 0], { atol: 1e-3 });
    // RK4 with fixed steps agrees with the adaptive integrator
    const rk4 = flat(gradientFlow(valleyLoss, tensor(start), { time: 10, steps: 500, recordEvery: 500 }).path.at(-1)!);
    expectAllclose(rk4, plain, { atol: 1e-6 });
    // the figure's message: the modified flow closes most of the gap between the flow and discrete GD
    const discrete = gd(valleyLoss, start, 0.05, 100)[0]!;
    const modified = modifiedFlowEnd()[0]!;
    expect(Math.abs(modified - discrete)).toBeLessThan(0.1 * Math.abs(plain[0]! - discrete));
  });
});

describe("figure 9.1 (notebook 9.1): explicit regularization on the Gabor loss", () => {
  const phi0 = (p: Tensor) => reshape(slice(p, [[0, 1]]), []);
  const phi1 = (p: Tensor) => reshape(slice(p, [[1, 2]]), []);

  it("reproduces the notebook's loss values", () => {
    expectAllclose(gaborLoss(tensor([0.6, -0.2])), 16.419, { atol: 5e-4 });
    expectAllclose(gaborLoss(tensor([2.6, 8.5])), 18.5032, { atol: 5e-5 });
    expectAllclose(grad(gaborLoss)(tensor([2.6, 8.5])), [-0.98858, 0.90583], { atol: 5e-6 });
  });

  it("GD α = 0.1 for 41 steps from (2.6, 8.5) ends in the local minimum near (6.05, 12.84)", () => {
    const end = gd(gaborLoss, [2.6, 8.5], 0.1, 41);
    expectAllclose(end, [6.05, 12.84], { atol: 0.01 });
    expectAllclose(gaborLoss(tensor(end)), 5.64, { atol: 0.01 });
  });

  it("with 0.2·(φ0² + (φ1 − 12.5)²) it ends near (0.10, 13.48), in the global minimum's valley", () => {
    const reg = (p: Tensor) => add(gaborLoss(p), mul(add(square(phi0(p)), square(sub(phi1(p), 12.5))), 0.2));
    expectAllclose(gd(reg, [2.6, 8.5], 0.1, 41), [0.1, 13.48], { atol: 0.01 });
  });
});
