/** A function sampled on a regular 2-D grid, row-major with x varying fastest and y from y0 upwards (plain JSON). */
export interface Grid2d {
  readonly nx: number;
  readonly ny: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly values: number[];
}

/** A point of a 2-D parameter space (φ0, φ1). */
export type Point = [number, number];

/** Grid coordinates: x = x0 + i·(x1 − x0)/(nx − 1). */
export function gridX(g: Pick<Grid2d, "nx" | "x0" | "x1">, i: number): number {
  return g.x0 + (i * (g.x1 - g.x0)) / (g.nx - 1);
}
export function gridY(g: Pick<Grid2d, "ny" | "y0" | "y1">, j: number): number {
  return g.y0 + (j * (g.y1 - g.y0)) / (g.ny - 1);
}

/** A typed array (or any array-like) as a plain number[] for JSON results. */
export function plain(a: ArrayLike<number>): number[] {
  return Array.from(a);
}
