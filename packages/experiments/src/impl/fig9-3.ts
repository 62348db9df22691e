/**
 * Figure 9.3: implicit regularisation of gradient descent (notebook 9.2's loss).
 *   L(φ) = 1 − exp(−½·φ1²·e^{4φ0²}); the global minima are the line φ1 = 0, the valley widest at φ0 = 0.
 * Discrete GD with step α (optim sgd) ends further right than the continuous gradient flow; the flow on
 * the modified loss L + (α/4)‖∇L‖² (optim modifiedLossGD + gradientFlow) lands near the discrete end.
 */
import { type Tensor, exp, grad, mul, reshape, slice, square, sub, sum, tensor } from "@regularize/core-autodiff";
import { applyUpdates, gradientFlow, implicitGdTerm, modifiedLossGD, sgd } from "@regularize/optim";
import type { Progress } from "../experiment.js";
import { pointwiseTerm } from "./pointwise.js";
import type { Grid2d, Point } from "./grid.js";

export interface Fig93Params {
  /** GD step α (also the α of the modified loss). */
  readonly alpha: number;
  /** Number of discrete GD steps. */
  readonly steps: number;
  readonly start: readonly [number, number];
  /** Integration time of the continuous paths (10 = notebook's α = 0.001 × 10 000 steps). */
  readonly flowTime: number;
  /** Grid points per axis over [−0.8, 0.5] (131 → step 0.01 as in the notebook). */
  readonly resolution: number;
}

export const FIG93_WINDOW = { x0: -0.8, x1: 0.5, y0: -0.8, y1: 0.5 } as const;

/** The loss as a function of element-wise φ0, φ1 tensors (any matching shapes). */
export function fig93LossOf(phi0: Tensor, phi1: Tensor): Tensor {
  return sub(1, exp(mul(mul(square(phi1), exp(mul(square(phi0), 4))), -0.5)));
}

/** The loss at one parameter vector φ = [φ0, φ1]. */
export function fig93Loss(phi: Tensor): Tensor {
  return fig93LossOf(reshape(slice(phi, [[0, 1]]), []), reshape(slice(phi, [[1, 2]]), []));
}

export interface Fig93Result {
  readonly loss: Grid2d;
  /** (α/4)‖∇L‖². */
  readonly term: Grid2d;
  /** L + (α/4)‖∇L‖². */
  readonly modified: Grid2d;
  readonly discrete: Point[];
  readonly flow: Point[];
  readonly modifiedFlow: Point[];
}

function gridCoords(n: number): { a: Tensor; b: Tensor } {
  const { x0, x1, y0, y1 } = FIG93_WINDOW;
  const a = new Float64Array(n * n), b = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    a[j * n + i] = x0 + (i * (x1 - x0)) / (n - 1);
    b[j * n + i] = y0 + (j * (y1 - y0)) / (n - 1);
  }
  return { a: tensor(a), b: tensor(b) };
}

const toPoints = (path: readonly Tensor[]): Point[] => path.map((p): Point => [p.data[0]!, p.data[1]!]);

/** Discrete gradient descent with optim's sgd transformation (full batch: plain GD). */
export function gdPath(loss: (p: Tensor) => Tensor, start: readonly [number, number], alpha: number, steps: number): Point[] {
  const opt = sgd({ learningRate: alpha });
  const g = grad(loss);
  let phi = tensor([start[0], start[1]]);
  let state = opt.init(phi);
  const path: Point[] = [[start[0], start[1]]];
  for (let s = 0; s < steps; s++) {
    const [updates, next] = opt.update(g(phi), state, phi);
    state = next;
    phi = applyUpdates(phi, updates);
    path.push([phi.data[0]!, phi.data[1]!]);
  }
  return path;
}

export function* fig93(params: Fig93Params): Generator<Progress, Fig93Result, void> {
  const n = params.resolution;
  const { a, b } = gridCoords(n);
  const lossValues = Float64Array.from(fig93LossOf(a, b).data);
  yield { fraction: 0.1, message: "loss surface" };
  const term = pointwiseTerm(n * n, (s) =>
    implicitGdTerm((p: { a: Tensor; b: Tensor }) => sum(mul(fig93LossOf(p.a, p.b), s)), params.alpha)({ a, b }));
  const modified = lossValues.map((v, i) => v + term[i]!);
  yield { fraction: 0.4, message: "implicit regulariser" };
  const discrete = gdPath(fig93Loss, params.start, params.alpha, params.steps);
  const start = tensor([params.start[0], params.start[1]]);
  const flow = toPoints(gradientFlow(fig93Loss, start, { time: params.flowTime, method: "dopri5" }).path);
  yield { fraction: 0.7, message: "gradient flow" };
  const modifiedFlow = toPoints(gradientFlow(modifiedLossGD(fig93Loss, params.alpha), start, { time: params.flowTime, method: "dopri5" }).path);
  const grid = (values: Float64Array): Grid2d => ({ nx: n, ny: n, ...FIG93_WINDOW, values: Array.from(values) });
  yield { fraction: 1, message: "done" };
  return { loss: grid(lossValues), term: grid(term), modified: grid(modified), discrete, flow, modifiedFlow };
}

