/**
 * Figure 9.2: L2 regularisation of the 14-unit simplified network, fitted in closed form
 * φ = (AᵀA + λ·diag(0, 1, …, 1))⁻¹Aᵀy (ridge with the bias unpenalised), for the book's six λ and a
 * free λ.
 */
import { add, eye, matmul, mul, solve, tensor } from "@regularize/core-autodiff";
import type { Progress } from "../experiment.js";
import { plain } from "./grid.js";
import { type DataChoice, designMatrix, paramsFromVector, plotGrid, predict, sse, toyData, truth } from "./toy.js";

export const FIG92_LAMBDAS = [0, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1] as const;
export const FIG92_PROBES = [0, 0.25, 0.5, 0.75, 1] as const;

export interface Fig92Params {
  readonly data: DataChoice;
  /** Seed of the generated data (1 = the notebooks' data set). */
  readonly seed: number;
  /** The free λ of the seventh panel. */
  readonly lambda: number;
  readonly K: number;
}

export interface RidgeFit {
  readonly lambda: number;
  /** [β, ω_0 … ω_{K−1}]. */
  readonly phi: number[];
  /** Fit on the plotting grid (raw units). */
  readonly curve: number[];
  /** f at x = 0, 0.25, 0.5, 0.75, 1 (raw units). */
  readonly probes: number[];
  /** Σ(f(x_i) − y_i)² on the data (raw units). */
  readonly sse: number;
}

export interface Fig92Result {
  readonly x: number[];
  readonly y: number[];
  readonly grid: number[];
  readonly truth: number[];
  readonly fits: RidgeFit[];
  readonly free: RidgeFit;
}

/** Closed-form ridge fit of the simplified network (bias unpenalised). */
export function ridgeFit(x: Float64Array, y: Float64Array, lambda: number, K = 14, grid = plotGrid()): RidgeFit {
  const A = designMatrix(x, K);
  const AtA = matmul(A, A, { transA: true });
  const penalty = Float64Array.from({ length: K + 1 }, (_, i) => (i === 0 ? 0 : lambda));
  const M = lambda === 0 ? AtA : add(AtA, mul(eye(K + 1), tensor(penalty)));
  const phi = Float64Array.from(solve(M, matmul(A, tensor(y), { transA: true })).data);
  const params = paramsFromVector(phi);
  return {
    lambda, phi: plain(phi),
    curve: plain(predict(params, grid, K)),
    probes: plain(predict(params, Float64Array.from(FIG92_PROBES), K)),
    sse: sse(predict(params, x, K), y),
  };
}

export function* fig92(params: Fig92Params): Generator<Progress, Fig92Result, void> {
  const d = toyData(params.data, params.seed, "fig9_2");
  const grid = plotGrid();
  const fits: RidgeFit[] = [];
  for (const [i, lambda] of FIG92_LAMBDAS.entries()) {
    fits.push(ridgeFit(d.x, d.y, lambda, params.K, grid));
    yield { fraction: (i + 1) / (FIG92_LAMBDAS.length + 1), message: `λ = ${lambda}` };
  }
  const free = ridgeFit(d.x, d.y, params.lambda, params.K, grid);
  return { x: plain(d.x), y: plain(d.y), grid: plain(grid), truth: plain(truth(grid)), fits, free };
}
