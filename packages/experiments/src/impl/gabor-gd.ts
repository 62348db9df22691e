/**
 * Gradient descent on the Gabor loss (notebook 9.1, fig 9.1c) step by step: the path, the loss,
 * ‖∇L‖ and the curvature along the gradient gᵀHg/‖g‖², by differentiating the gradient again
 * (double backprop). Was apps/cli's `regularize gabor`.
 */
import { type Tensor, grad, mul, sum, square, sub, tensor, treeNorm } from "@regularize/core-autodiff";
import type { Progress } from "../experiment.js";
import { regularizedGaborObjective } from "./gabor-grid.js";

export interface GaborGdParams {
  readonly start: readonly [number, number];
  readonly lr: number;
  readonly steps: number;
  readonly lambda: number;
}

export interface GaborGdResult {
  readonly step: number[];
  readonly phi0: number[];
  readonly phi1: number[];
  readonly loss: number[];
  readonly gradNorm: number[];
  /** Curvature of the loss along the gradient, gᵀHg/‖g‖². */
  readonly curvature: number[];
}

export function* gaborGd(p: GaborGdParams): Generator<Progress, GaborGdResult, void> {
  const objective = regularizedGaborObjective(p.lambda, "sum");
  const dL = grad(objective);
  // Hessian-gradient product by differentiating ⟨∇L, g⟩ again (g held fixed)
  const hessDir = (phi: Tensor, g: Tensor) => grad((q: Tensor) => sum(mul(dL(q), g)))(phi);
  let phi = tensor([p.start[0], p.start[1]]);
  const r: GaborGdResult = { step: [], phi0: [], phi1: [], loss: [], gradNorm: [], curvature: [] };
  for (let s = 0; s <= p.steps; s++) {
    const g = dL(phi);
    const gn2 = sum(square(g)).item();
    const loss = objective(phi).item();
    r.step.push(s);
    r.phi0.push(phi.data[0]!);
    r.phi1.push(phi.data[1]!);
    r.loss.push(loss);
    r.gradNorm.push(treeNorm(g));
    r.curvature.push(gn2 > 0 ? sum(mul(g, hessDir(phi, g))).item() / gn2 : 0);
    if (s < p.steps) phi = sub(phi, mul(g, p.lr));
    yield { fraction: (s + 1) / (p.steps + 1), metrics: { step: s, loss, gradNorm: r.gradNorm[s]!, curvature: r.curvature[s]! } };
  }
  return r;
}
