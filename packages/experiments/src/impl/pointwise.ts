/**
 * Evaluating the optim package's implicit-regularisation terms on a whole grid of parameter points
 * at once.
 *
 * The terms (α/4)‖∇L‖² and the SGD batch-variance term are quadratic in the loss. If the parameters
 * are a grid of independent points p and the loss is the weighted sum Σ_p s_p·L(φ_p), the package's
 * term evaluated on that tree equals Σ_p s_p²·term(φ_p). Half its derivative with respect to s at
 * s = 1 is therefore the term at every grid point — one (double-backprop) pass of the package code
 * instead of one call per point.
 */
import { type Tensor, grad, ones } from "@regularize/core-autodiff";

/**
 * `termOf(s)` must build the package term on the grid-point tree with every point's loss scaled by
 * s_p (so that the term is Σ_p s_p²·term_p). Returns term_p for p = 0…P−1.
 */
export function pointwiseTerm(P: number, termOf: (s: Tensor) => Tensor): Float64Array {
  const g = grad(termOf)(ones([P]));
  const out = new Float64Array(P);
  for (let p = 0; p < P; p++) out[p] = g.data[p]! / 2;
  return out;
}
