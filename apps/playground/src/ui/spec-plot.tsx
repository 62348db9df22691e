// Draws the registry's plot specs (PlotFigure: plain data) with Observable Plot; rasters go through
// the heat-map worker like every other heat map.
import * as Plot from "@observablehq/plot";
import type { PlotFigure, PlotMark } from "@regularize/experiments";
import { heatMark, renderHeat } from "../render/heat.js";
import { PlotView, type PlotElement } from "./plot.js";

/** The registry's plot marks and figures (type-only: nothing of the package reaches this bundle). */
export type SpecMark = PlotMark;
export type SpecFigure = PlotFigure;

/** Series colours (colour-blind friendly, readable on light and dark backgrounds). */
export const SERIES_COLORS = ["#1f9bcf", "#f08c2a", "#2b8a3e", "#d6336c", "#7048e8", "#868e96", "#e8590c", "#0ca678"];

function seriesOf(fig: SpecFigure): string[] {
  const s: string[] = [];
  for (const m of fig.marks) if ("series" in m && m.series !== undefined && !s.includes(m.series)) s.push(m.series);
  return s;
}

/** Build an Observable Plot figure from a spec (async: a raster is rendered in the worker first). */
export async function specPlot(fig: SpecFigure, o: { width?: number; height?: number; colors?: Readonly<Record<string, string>> } = {}): Promise<PlotElement> {
  const series = seriesOf(fig);
  const color = (s: string | undefined) => (s === undefined ? "currentColor" : o.colors?.[s] ?? SERIES_COLORS[series.indexOf(s) % SERIES_COLORS.length]!);
  const marks: Plot.Markish[] = [];
  for (const m of fig.marks) {
    switch (m.type) {
      case "raster": {
        const layer = await renderHeat(m, { contours: m.contours ?? 0 });
        marks.push(heatMark(m, layer));
        break;
      }
      case "line":
        marks.push(Plot.line(m.x.map((x, i) => [x, m.y[i]!]), { x: "0", y: "1", stroke: color(m.series), strokeWidth: 1.8, clip: true,
          ...(m.dash ? { strokeDasharray: "5,3" } : {}), ...(fig.y.type === "log" ? { filter: (d: number[]) => d[1]! > 0 } : {}) }));
        break;
      case "dot":
        marks.push(Plot.dot(m.x.map((x, i) => [x, m.y[i]!, m.r?.[i] ?? 3]), { x: "0", y: "1", r: m.r ? "2" : 3, fill: color(m.series), clip: true }));
        break;
      case "band":
        marks.push(Plot.areaY(m.x.map((x, i) => [x, m.y1[i]!, m.y2[i]!]), { x: "0", y1: "1", y2: "2", fill: color(m.series), fillOpacity: 0.2, clip: true }));
        break;
      case "rule":
        if (m.x !== undefined) marks.push(Plot.ruleX([m.x], { stroke: color(m.series), strokeDasharray: "4,3" }));
        if (m.y !== undefined) marks.push(Plot.ruleY([m.y], { stroke: color(m.series), strokeDasharray: "4,3" }));
        break;
      case "bar": {
        // several bar series: grouped bars (one facet per category, one bar per series)
        const grouped = fig.marks.filter((x) => x.type === "bar").length > 1;
        marks.push(grouped
          ? Plot.barY(m.x.map((x, i) => [x, m.y[i]!, m.series ?? ""]), { fx: "0", x: "2", y: "1", fill: color(m.series) })
          : Plot.barY(m.x.map((x, i) => [x, m.y[i]!]), { x: "0", y: "1", fill: color(m.series) }));
        break;
      }
      case "text":
        marks.push(Plot.text(m.x.map((x, i) => [x, m.y[i]!, m.text[i]!]), { x: "0", y: "1", text: "2", fill: "currentColor", dy: -8 }));
        break;
    }
  }
  const hasRaster = fig.marks.some((m) => m.type === "raster");
  const hasBars = fig.marks.some((m) => m.type === "bar");
  const r = fig.marks.find((m) => m.type === "raster") as Extract<SpecMark, { type: "raster" }> | undefined;
  const half = (a: number, b: number, n: number) => (b - a) / (n - 1) / 2;
  const axisDomain = (ax: SpecFigure["x"], lo?: number, hi?: number) => ax.domain ? { domain: [...ax.domain] } : lo !== undefined && hi !== undefined ? { domain: [lo, hi] } : {};
  return Plot.plot({
    width: o.width ?? 360,
    height: o.height ?? (hasRaster ? 340 : 240),
    marginLeft: 48,
    marginBottom: 36,
    x: { label: fig.x.label, ...(hasBars ? {} : { type: fig.x.type ?? "linear" }), ...axisDomain(fig.x, r ? r.x0 - half(r.x0, r.x1, r.nx) : undefined, r ? r.x1 + half(r.x0, r.x1, r.nx) : undefined) },
    y: { label: fig.y.label, type: fig.y.type ?? "linear", ...axisDomain(fig.y, r ? r.y0 - half(r.y0, r.y1, r.ny) : undefined, r ? r.y1 + half(r.y0, r.y1, r.ny) : undefined), grid: !hasRaster },
    ...(series.length > 1 ? { color: { domain: series, range: series.map((s) => color(s)), legend: true } } : {}),
    marks: [Plot.frame({ stroke: "currentColor", strokeOpacity: 0.25 }), ...marks],
  });
}

/** One registry figure as a PlotView (with export buttons). */
export function SpecPlotView(props: { fig: SpecFigure; deps: readonly unknown[]; width?: number; height?: number; testId?: string }) {
  return (
    <figure>
      <figcaption>{props.fig.title}</figcaption>
      <PlotView label={props.fig.title} deps={props.deps} testId={props.testId ?? `plot-${props.fig.name}`}
        build={() => specPlot(props.fig, { ...(props.width ? { width: props.width } : {}), ...(props.height ? { height: props.height } : {}) })} />
    </figure>
  );
}
