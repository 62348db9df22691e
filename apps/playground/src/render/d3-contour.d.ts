// Minimal types for the part of d3-contour the render worker uses (avoids an @types dependency).
declare module "d3-contour" {
  export interface ContourMultiPolygon {
    readonly type: "MultiPolygon";
    readonly value: number;
    readonly coordinates: number[][][][];
  }
  export interface Contours {
    (values: ArrayLike<number>): ContourMultiPolygon[];
    size(size: [number, number]): Contours;
    thresholds(t: number[]): Contours;
    smooth(s: boolean): Contours;
  }
  export function contours(): Contours;
}
