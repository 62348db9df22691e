/**
 * The Gabor loss of UDL §6.1.2 (eq. 6.8) over the 30-point dataset, on whole grids of parameter
 * points at once (figs 9.1, 9.4). The model itself is core-train's `gaborFunction` (the one
 * definition in the repo); gradients and Hessians come from autodiff.
 */
import {
  add, grad, hessian, mul, reshape, slice, square, sub, sum, tensor, valueAndGrad, type Tensor,
} from "@regularize/core-autodiff";
import { gaborFunction } from "@regularize/core-train";
import { gaborDataset } from "@regularize/datasets";
import { allParams, l2Penalty } from "@regularize/penalties";
import type { Grid2d, Point } from "./grid.js";

export type Reduction = "sum" | "mean";

/** The fig 9.1 / 9.4 plot window. */
export const GABOR_WINDOW = { x0: -10, x1: 10, y0: 2.5, y1: 22.5 } as const;

export interface GaborData {
  readonly x: Tensor; // [1, I]
  readonly y: Tensor; // [1, I]
  readonly n: number;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

let cached: GaborData | undefined;
export function gaborData(): GaborData {
  if (cached) return cached;
  const d = gaborDataset();
  cached = { x: tensor(d.x, { shape: [1, d.n] }), y: tensor(d.y, { shape: [1, d.n] }), n: d.n, xs: d.x, ys: d.y };
  return cached;
}

/** Model output for parameter columns φ0, φ1 of shape [P, 1] against inputs x [1, I] → [P, I]. */
export const gaborModel = gaborFunction;

/** Squared residuals [P, I] for parameter columns [P, 1]. */
export function gaborSquaredResiduals(phi0: Tensor, phi1: Tensor, data: GaborData = gaborData()): Tensor {
  return square(sub(gaborModel(phi0, phi1, data.x), data.y));
}

/** Loss at one parameter vector φ (a [2] tensor): Σ or mean of squared residuals. */
export function gaborLoss(phi: Tensor, reduction: Reduction = "sum", data: GaborData = gaborData()): Tensor {
  const a = reshape(slice(phi, [[0, 1]]), [1, 1]);
  const b = reshape(slice(phi, [[1, 2]]), [1, 1]);
  const s = sum(gaborSquaredResiduals(a, b, data));
  return reduction === "sum" ? s : mul(s, 1 / data.n);
}

/** The centred regulariser of fig 9.1b: g(φ) = φ0² + (φ1 − 12.5)². */
export const REG_CENTRE: readonly [number, number] = [0, 12.5];
export function centredL2(phi0: number, phi1: number): number {
  return (phi0 - REG_CENTRE[0]) ** 2 + (phi1 - REG_CENTRE[1]) ** 2;
}

/** λ·g(φ) through @regularize/penalties' l2Penalty (centre (0, 12.5), every parameter penalised). */
export function centredL2Penalty(phi: Tensor, lambda: number): Tensor {
  return l2Penalty({ phi }, { lambda, center: { phi: tensor([REG_CENTRE[0], REG_CENTRE[1]]) }, mask: allParams });
}

/** A scalar objective of φ ([2] tensor) built from the engine. */
export type Objective2d = (phi: Tensor) => Tensor;

export function regularizedGaborObjective(lambda: number, reduction: Reduction = "sum"): Objective2d {
  return (phi) => (lambda === 0 ? gaborLoss(phi, reduction) : add(gaborLoss(phi, reduction), centredL2Penalty(phi, lambda)));
}

/** The regular grid of parameter points, as two [P, 1] columns (row-major, φ0 fastest). */
export function gridColumns(nx: number, ny: number, rowStart = 0, rowEnd = ny, w = GABOR_WINDOW): { a: Tensor; b: Tensor } {
  const rows = rowEnd - rowStart;
  const a = new Float64Array(nx * rows);
  const b = new Float64Array(nx * rows);
  for (let j = 0; j < rows; j++) {
    const phi1 = w.y0 + ((rowStart + j) * (w.y1 - w.y0)) / (ny - 1);
    for (let i = 0; i < nx; i++) {
      a[j * nx + i] = w.x0 + (i * (w.x1 - w.x0)) / (nx - 1);
      b[j * nx + i] = phi1;
    }
  }
  return { a: tensor(a, { shape: [nx * rows, 1] }), b: tensor(b, { shape: [nx * rows, 1] }) };
}

/** Loss of every grid point in rows [rowStart, rowEnd), vectorised over points and data. */
export function gaborLossRows(nx: number, ny: number, rowStart: number, rowEnd: number, reduction: Reduction): Float64Array {
  const { a, b } = gridColumns(nx, ny, rowStart, rowEnd);
  const s = sum(gaborSquaredResiduals(a, b), { axis: 1 });
  const out = Float64Array.from(s.data);
  if (reduction === "mean") for (let k = 0; k < out.length; k++) out[k] = out[k]! / gaborData().n;
  return out;
}

/**
 * Per-point loss and gradient for grid rows [rowStart, rowEnd): differentiating Σ_p L(φ_p) with
 * respect to the parameter columns gives every point's own gradient in one backward pass.
 */
export function gaborLossAndGradRows(
  nx: number, ny: number, rowStart: number, rowEnd: number, reduction: Reduction,
): { loss: Float64Array; g0: Float64Array; g1: Float64Array } {
  const { a, b } = gridColumns(nx, ny, rowStart, rowEnd);
  const n = gaborData().n;
  const scale = reduction === "mean" ? 1 / n : 1;
  let perPoint: Tensor | undefined;
  const [, g] = valueAndGrad((p: { a: Tensor; b: Tensor }) => {
    perPoint = mul(sum(gaborSquaredResiduals(p.a, p.b), { axis: 1 }), scale);
    return sum(perPoint);
  })({ a, b });
  return { loss: Float64Array.from(perPoint!.data), g0: Float64Array.from(g.a.data), g1: Float64Array.from(g.b.data) };
}

/** Plain gradient descent on a 2-D objective; returns every iterate including the start. */
export function gradientDescent2d(objective: Objective2d, start: Point, alpha: number, steps: number): Point[] {
  const g = grad(objective);
  const path: Point[] = [[start[0], start[1]]];
  let phi = tensor([start[0], start[1]]);
  for (let s = 0; s < steps; s++) {
    const d = g(phi);
    phi = sub(phi, mul(d, alpha));
    path.push([phi.data[0]!, phi.data[1]!]);
  }
  return path;
}

export interface LocalMinimum {
  readonly phi: Point;
  readonly value: number;
}

/**
 * Local minima of a gridded function: grid points that are the smallest in a (2r+1)² neighbourhood
 * (away from the border), each refined by damped Newton steps on the engine's gradient and Hessian.
 */
export function findLocalMinima(grid: Grid2d, objective: Objective2d, radius = 3): LocalMinimum[] {
  const { nx, ny, values } = grid;
  const candidates: Point[] = [];
  for (let j = radius; j < ny - radius; j++) {
    for (let i = radius; i < nx - radius; i++) {
      const v = values[j * nx + i]!;
      let isMin = true;
      for (let dj = -radius; dj <= radius && isMin; dj++) {
        for (let di = -radius; di <= radius; di++) {
          if ((di !== 0 || dj !== 0) && values[(j + dj) * nx + i + di]! < v) { isMin = false; break; }
        }
      }
      if (isMin) {
        candidates.push([grid.x0 + (i * (grid.x1 - grid.x0)) / (nx - 1), grid.y0 + (j * (grid.y1 - grid.y0)) / (ny - 1)]);
      }
    }
  }
  const refined: LocalMinimum[] = [];
  for (const c of candidates) {
    const m = refineMinimum(objective, c);
    if (m.phi[0] < grid.x0 || m.phi[0] > grid.x1 || m.phi[1] < grid.y0 || m.phi[1] > grid.y1) continue;
    if (refined.some((r) => Math.hypot(r.phi[0] - m.phi[0], r.phi[1] - m.phi[1]) < 1e-3)) continue;
    refined.push(m);
  }
  refined.sort((p, q) => p.value - q.value);
  return refined;
}

/** Damped Newton (falls back to a gradient step when the Hessian is not positive definite). */
export function refineMinimum(objective: Objective2d, start: Point, iterations = 30): LocalMinimum {
  const vg = valueAndGrad(objective);
  const hess = hessian(objective);
  let phi: Point = start;
  let [v, g] = vg(tensor([phi[0], phi[1]]));
  let value = v.item();
  for (let it = 0; it < iterations; it++) {
    const g0 = g.data[0]!, g1 = g.data[1]!;
    if (Math.hypot(g0, g1) < 1e-10) break;
    const H = hess(tensor([phi[0], phi[1]])).data;
    const h00 = H[0]!, h01 = H[1]!, h11 = H[3]!;
    const det = h00 * h11 - h01 * h01;
    let d0: number, d1: number;
    if (h00 > 0 && det > 0) {
      d0 = -(h11 * g0 - h01 * g1) / det;
      d1 = -(-h01 * g0 + h00 * g1) / det;
    } else {
      const n = Math.hypot(g0, g1);
      d0 = (-0.05 * g0) / n;
      d1 = (-0.05 * g1) / n;
    }
    let t = 1, accepted = false;
    for (let ls = 0; ls < 30; ls++) {
      const trial: Point = [phi[0] + t * d0, phi[1] + t * d1];
      const [tv, tg] = vg(tensor([trial[0], trial[1]]));
      if (tv.item() <= value) {
        phi = trial; value = tv.item(); g = tg; accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
  }
  void v;
  return { phi, value };
}
