/** A function sampled on a regular grid: row-major, x fastest, rows from y0 upwards (the registry's raster mark). */
export interface GridData {
  readonly nx: number;
  readonly ny: number;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly values: ArrayLike<number>;
}

export interface HeatRequest {
  readonly id: number;
  readonly nx: number;
  readonly ny: number;
  readonly values: Float64Array;
  /** Colour stops (hex), low → high. */
  readonly colors: readonly string[];
  /** Upper quantile the colour scale saturates at (undefined: the maximum). */
  readonly clip?: number;
  /** Number of contour levels (0: none). */
  readonly contours: number;
}

export interface HeatLayer {
  /** PNG data URL of the colour image, top row = highest y. */
  readonly href: string;
  /** Contour paths in grid-cell units: x ∈ [0, nx], y ∈ [0, ny] with y = 0 at the first row (y0). */
  readonly paths: readonly string[];
  /** Colour-scale range. */
  readonly lo: number;
  readonly hi: number;
  /** Time the worker took (ms). */
  readonly ms: number;
}

export type HeatResponse = { readonly id: number; readonly layer: HeatLayer } | { readonly id: number; readonly error: string };
