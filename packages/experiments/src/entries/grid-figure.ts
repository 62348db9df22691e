import type { PlotFigure, PlotMark } from "../experiment.js";
import type { Grid2d } from "../impl/grid.js";

/** A fig 9.1-style contour figure of a gridded function with paths (lines) and marked points (dots). */
export function gridFigure(
  name: string, title: string, g: Grid2d, xLabel: string, yLabel: string,
  paths: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[] }[],
  dots: readonly { readonly name: string; readonly points: readonly (readonly [number, number])[] }[] = [],
): PlotFigure {
  const marks: PlotMark[] = [{ type: "raster", nx: g.nx, ny: g.ny, x0: g.x0, x1: g.x1, y0: g.y0, y1: g.y1, values: g.values, contours: 12 }];
  for (const p of paths) marks.push({ type: "line", x: p.points.map((q) => q[0]), y: p.points.map((q) => q[1]), series: p.name });
  for (const d of dots) if (d.points.length) marks.push({ type: "dot", x: d.points.map((q) => q[0]), y: d.points.map((q) => q[1]), series: d.name });
  return { name, title, x: { label: xLabel, domain: [g.x0, g.x1] }, y: { label: yLabel, domain: [g.y0, g.y1] }, marks };
}
