import type { PlotFigure, PlotMark } from "../experiment.js";

/** Curves over the toy data's x ∈ [0, 1] with the training points and the true function (figs 9.2, 9.6, 9.9, 9.10). */
export function curveFigure(
  name: string, title: string,
  d: { readonly x: readonly number[]; readonly y: readonly number[]; readonly grid: readonly number[]; readonly truth?: readonly number[] },
  curves: readonly { readonly name: string; readonly y: readonly number[]; readonly dash?: boolean }[],
): PlotFigure {
  const marks: PlotMark[] = [];
  if (d.truth) marks.push({ type: "line", x: d.grid, y: d.truth, series: "true function", dash: true });
  for (const c of curves) marks.push({ type: "line", x: d.grid, y: c.y, series: c.name, ...(c.dash ? { dash: true } : {}) });
  marks.push({ type: "dot", x: d.x, y: d.y, series: "data" });
  return { name, title, x: { label: "input x", domain: [0, 1] }, y: { label: "output y" }, marks };
}

/** A loss / metric curve over steps, one line per series. */
export function lossFigure(
  name: string, title: string, xLabel: string, yLabel: string,
  series: readonly { readonly name: string; readonly x: readonly number[]; readonly y: readonly number[] }[],
  yType: "linear" | "log" = "linear",
): PlotFigure {
  return {
    name, title, x: { label: xLabel }, y: { label: yLabel, type: yType },
    marks: series.map((s) => ({ type: "line" as const, x: s.x, y: s.y, series: s.name })),
  };
}
