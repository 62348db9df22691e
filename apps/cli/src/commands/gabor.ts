import { add, exp, grad, mul, reshape, sin, slice, square, sub, sum, tensor, treeNorm, type Tensor } from "@regularize/core-autodiff";
import { gaborDataset } from "@regularize/datasets";

/** Options of the Gabor gradient-descent demo (notebook 9.1). */
export interface GaborDemoOptions {
  readonly start: readonly [number, number];
  readonly learningRate: number;
  readonly steps: number;
  /** Weight λ of the centred L2 term λ·(φ0² + (φ1 − 12.5)²) of figure 9.1 (0 = none). */
  readonly lambda: number;
}

/** One row of the printed path. */
export interface GaborStep {
  readonly step: number;
  readonly phi0: number;
  readonly phi1: number;
  readonly loss: number;
  readonly gradNorm: number;
  /** Curvature of the loss along the gradient, gᵀHg/‖g‖², from double backprop. */
  readonly curvature: number;
}

/** The Gabor loss of UDL eq. 6.8 on the notebooks' 30 points: Σ (sin(z)·exp(−z²/32) − y)², z = φ0 + 0.06·φ1·x. */
export function gaborLoss(): (phi: Tensor) => Tensor {
  const data = gaborDataset();
  const x = tensor(data.x), y = tensor(data.y as Float64Array);
  return (phi: Tensor) => {
    const phi0 = reshape(slice(phi, [[0, 1]]), []), phi1 = reshape(slice(phi, [[1, 2]]), []);
    const z = add(phi0, mul(mul(phi1, 0.06), x));
    return sum(square(sub(mul(sin(z), exp(mul(square(z), -1 / 32))), y)));
  };
}

/** Plain gradient descent on the (optionally regularized) Gabor loss; the path as rows. */
export function runGaborDemo(opts: GaborDemoOptions): GaborStep[] {
  const data = gaborLoss();
  const centre = tensor([0, 12.5]);
  const objective = (phi: Tensor) => (opts.lambda > 0 ? add(data(phi), mul(sum(square(sub(phi, centre))), opts.lambda)) : data(phi));
  const dL = grad(objective);
  // Hessian-gradient product by differentiating ⟨∇L, g⟩ again (g held fixed)
  const hessDir = (phi: Tensor, g: Tensor) => grad((q: Tensor) => sum(mul(dL(q), g)))(phi);
  let phi = tensor([...opts.start]);
  const rows: GaborStep[] = [];
  for (let s = 0; s <= opts.steps; s++) {
    const g = dL(phi);
    const gn2 = sum(square(g)).item();
    const curvature = gn2 > 0 ? sum(mul(g, hessDir(phi, g))).item() / gn2 : 0;
    rows.push({ step: s, phi0: phi.data[0]!, phi1: phi.data[1]!, loss: objective(phi).item(), gradNorm: treeNorm(g), curvature });
    if (s < opts.steps) phi = sub(phi, mul(g, opts.learningRate));
  }
  return rows;
}
