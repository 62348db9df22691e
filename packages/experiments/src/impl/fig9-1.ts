/**
 * Figure 9.1: explicit L2 regularisation on the Gabor loss (notebook 9.1).
 * a) the loss L(φ) (sum of squares over the 30 points) with its local minima;
 * b) the centred regulariser g(φ) = φ0² + (φ1 − 12.5)²;
 * c) L + λ·g with its minima and a gradient-descent path (α = 0.1, 41 steps) from a start point.
 */
import { tensor } from "@regularize/core-autodiff";
import type { Progress } from "../experiment.js";
import {
  GABOR_WINDOW, centredL2, findLocalMinima, gaborLossRows, gradientDescent2d, regularizedGaborObjective,
  type LocalMinimum,
} from "./gabor-grid.js";
import type { Grid2d, Point } from "./grid.js";

export interface Fig91Params {
  /** Regularisation strength λ. */
  readonly lambda: number;
  /** GD start point (φ0, φ1). */
  readonly start: readonly [number, number];
  /** GD learning rate α. */
  readonly alpha: number;
  /** Number of GD steps. */
  readonly steps: number;
  /** Grid points per axis (201 → step 0.1 as in the notebook). */
  readonly resolution: number;
}

export interface Fig91Result {
  readonly loss: Grid2d;
  readonly reg: Grid2d;
  readonly total: Grid2d;
  /** Local minima of L (sorted, global first). */
  readonly lossMinima: LocalMinimum[];
  /** Local minima of L + λg (sorted, global first). */
  readonly totalMinima: LocalMinimum[];
  /** GD iterates on L + λg, start included (steps + 1 points). */
  readonly path: Point[];
  /** L + λg at the end of the path. */
  readonly pathEndValue: number;
}

interface LossCache { resolution: number; values: number[]; minima: LocalMinimum[] }
let lossCache: LossCache | undefined;

const gridOf = (values: number[], n: number): Grid2d => ({ nx: n, ny: n, ...GABOR_WINDOW, values });
const radiusFor = (n: number) => Math.max(2, Math.round((0.35 * (n - 1)) / 20));

export function* fig91(params: Fig91Params): Generator<Progress, Fig91Result, void> {
  const n = params.resolution;
  if (!lossCache || lossCache.resolution !== n) {
    const values = new Float64Array(n * n);
    const chunk = 20;
    for (let r = 0; r < n; r += chunk) {
      const end = Math.min(n, r + chunk);
      values.set(gaborLossRows(n, n, r, end, "sum"), r * n);
      yield { fraction: (0.6 * end) / n, message: `loss surface: row ${end} / ${n}` };
    }
    const plainValues = Array.from(values);
    const minima = findLocalMinima(gridOf(plainValues, n), regularizedGaborObjective(0), radiusFor(n));
    lossCache = { resolution: n, values: plainValues, minima };
    yield { fraction: 0.7, message: "minima of L" };
  }
  const loss = gridOf([...lossCache.values], n);
  const lossMinima = lossCache.minima.map((m) => ({ phi: [m.phi[0], m.phi[1]] as Point, value: m.value }));
  const reg = new Array<number>(n * n);
  const total = new Array<number>(n * n);
  const { x0, x1, y0, y1 } = GABOR_WINDOW;
  for (let j = 0; j < n; j++) {
    const p1 = y0 + (j * (y1 - y0)) / (n - 1);
    for (let i = 0; i < n; i++) {
      const p0 = x0 + (i * (x1 - x0)) / (n - 1);
      const g = centredL2(p0, p1);
      reg[j * n + i] = g;
      total[j * n + i] = loss.values[j * n + i]! + params.lambda * g;
    }
  }
  const objective = regularizedGaborObjective(params.lambda);
  const totalGrid = gridOf(total, n);
  const totalMinima = params.lambda === 0 ? lossMinima.map((m) => ({ ...m })) : findLocalMinima(totalGrid, objective, radiusFor(n));
  yield { fraction: 0.85, message: "minima of L + λg" };
  const path = gradientDescent2d(objective, [params.start[0], params.start[1]], params.alpha, params.steps);
  const end = path[path.length - 1]!;
  const pathEndValue = objective(tensor([end[0], end[1]])).item();
  yield { fraction: 1, message: "done" };
  return { loss, reg: gridOf(reg, n), total: totalGrid, lossMinima, totalMinima, path, pathEndValue };
}
