/**
 * Figure 9.4: implicit regularisation of SGD on the Gabor model. With MEAN losses
 * L = (1/I)·Σ ℓ_i (I = 30), the panels are
 *   a) L;  b) the GD term (α/4)‖∇L‖² (optim implicitGdTerm);
 *   c) the SGD term: the expected batch-gradient variance over random partitions into batches of
 *      size b, (α/4)(1/b)((I−b)/(I−1))(1/I)Σ‖∇ℓ_i − ∇L‖² (optim expectedSgdTerm);
 *   d) the modified loss a + b + c, with its global minimum.
 * The grid terms are computed for all points in one pass each (see pointwise.ts).
 */
import { type Tensor, add, mul, reshape, square, sub, sum, tensor } from "@regularize/core-autodiff";
import { gabor } from "@regularize/core-train";
import { expectedSgdTerm, implicitGdTerm } from "@regularize/optim";
import type { Progress } from "../experiment.js";
import { GABOR_WINDOW, type LocalMinimum, findLocalMinima, gaborData, gaborModel, gridColumns, refineMinimum } from "./gabor-grid.js";
import { pointwiseTerm } from "./pointwise.js";
import type { Grid2d } from "./grid.js";

export interface Fig94Params {
  /** Learning rate α of the modified-loss terms. */
  readonly alpha: number;
  /** SGD batch size b (1…30; 30 = full batch, no SGD term). */
  readonly batchSize: number;
  /** Grid points per axis over the fig 9.1 window (101 → step 0.2). */
  readonly resolution: number;
}


export interface Fig94Result {
  readonly loss: Grid2d;
  readonly gdTerm: Grid2d;
  readonly sgdTerm: Grid2d;
  readonly modified: Grid2d;
  /** Global minimum of the mean loss L. */
  readonly lossMin: LocalMinimum;
  /** Global minimum of the modified loss. */
  readonly modifiedMin: LocalMinimum;
}

/** Per-example squared errors ℓ_i(φ) as a vector [I] for one φ = [φ0, φ1] (core-train's Gabor model). */
export function gaborPerExample(phi: Tensor): Tensor {
  const d = gaborData();
  return square(sub(gabor().apply({ phi }, tensor(d.xs)), tensor(d.ys)));
}

/** Mean loss L(φ) = (1/I)·Σ ℓ_i. */
export function gaborMeanLoss(phi: Tensor): Tensor {
  return mul(sum(gaborPerExample(phi)), 1 / gaborData().n);
}

/** The modified SGD loss at one φ: L + (α/4)‖∇L‖² + expected SGD term (all from optim). */
export function modifiedSgdObjective(alpha: number, batchSize: number): (phi: Tensor) => Tensor {
  const gd = implicitGdTerm(gaborMeanLoss, alpha);
  const sgd = expectedSgdTerm(gaborPerExample, alpha, batchSize);
  return (phi) => add(add(gaborMeanLoss(phi), gd(phi)), sgd(phi));
}

type GridPoints = { a: Tensor; b: Tensor };

export function* fig94(params: Fig94Params): Generator<Progress, Fig94Result, void> {
  const n = params.resolution;
  const d = gaborData();
  const I = d.n;
  const loss = new Float64Array(n * n), gdTerm = new Float64Array(n * n), sgdTerm = new Float64Array(n * n);
  const chunk = Math.max(1, Math.floor(4000 / n));
  for (let r = 0; r < n; r += chunk) {
    const end = Math.min(n, r + chunk);
    const cols = gridColumns(n, n, r, end);
    const P = n * (end - r);
    const a = tensor(cols.a.data), b = tensor(cols.b.data);
    // ℓ_i on every grid point of the chunk, weighted by s (see pointwise.ts)
    const exampleLoss = (i: number, p: GridPoints): Tensor => square(sub(gaborModel(p.a, p.b, tensor(d.xs[i]!)), d.ys[i]!));
    const perExample = (s: Tensor) => Array.from({ length: I }, (_, i) => (p: GridPoints) => sum(mul(exampleLoss(i, p), s)));
    const meanLoss = (s: Tensor) => (p: GridPoints) => mul(sum(mul(sum(square(sub(gaborModel(reshapeCol(p.a), reshapeCol(p.b), d.x), d.y)), { axis: 1 }), s)), 1 / I);
    const lossChunk = sum(square(sub(gaborModel(reshapeCol(a), reshapeCol(b), d.x), d.y)), { axis: 1 });
    for (let k = 0; k < P; k++) loss[r * n + k] = lossChunk.data[k]! / I;
    gdTerm.set(pointwiseTerm(P, (s) => implicitGdTerm(meanLoss(s), params.alpha)({ a, b })), r * n);
    if (params.batchSize < I) sgdTerm.set(pointwiseTerm(P, (s) => expectedSgdTerm(perExample(s), params.alpha, params.batchSize)({ a, b })), r * n);
    yield { fraction: (0.85 * end) / n, message: `terms: row ${end} / ${n}` };
  }
  const modified = loss.map((v, k) => v + gdTerm[k]! + sgdTerm[k]!);
  const grid = (values: Float64Array): Grid2d => ({ nx: n, ny: n, ...GABOR_WINDOW, values: Array.from(values) });
  const lossMin = findLocalMinima(grid(loss), gaborMeanLoss, 2)[0]!;
  yield { fraction: 0.9, message: "minimum of the modified loss" };
  const modifiedMin = refineMinimum(modifiedSgdObjective(params.alpha, params.batchSize), argmin(grid(modified)), 12);
  yield { fraction: 1, message: "done" };
  return { loss: grid(loss), gdTerm: grid(gdTerm), sgdTerm: grid(sgdTerm), modified: grid(modified), lossMin, modifiedMin };
}

function reshapeCol(t: Tensor): Tensor {
  return reshape(t, [t.size, 1]);
}

function argmin(g: Grid2d): [number, number] {
  let best = 0;
  for (let k = 1; k < g.values.length; k++) if (g.values[k]! < g.values[best]!) best = k;
  const i = best % g.nx, j = Math.floor(best / g.nx);
  return [g.x0 + (i * (g.x1 - g.x0)) / (g.nx - 1), g.y0 + (j * (g.y1 - g.y0)) / (g.ny - 1)];
}
