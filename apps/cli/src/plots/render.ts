/**
 * Plot specs (PlotFigure, from the experiments registry) → SVG through Observable Plot in Node with a
 * linkedom document (serialised by svg-serialize.ts), and SVG → PNG through resvg with the bundled Open Sans subset. Deterministic: the
 * same figure gives byte-identical SVG (Plot's counters for clip-path ids are renumbered).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as Plot from "@observablehq/plot";
import { Resvg } from "@resvg/resvg-js";
import type { PlotFigure, PlotMark } from "@regularize/experiments";
import { parseHTML } from "linkedom";
import { serializeSvg } from "./svg-serialize.ts";

/** Series colours (Tableau 10), assigned in order of first appearance. */
export const PALETTE = ["#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab"] as const;

const FONT_FAMILY = "Open Sans";
/** The bundled font (OFL-1.1, see assets/fonts/README.md): next to src/plots/ in the sources, next to dist/ when built. */
export const FONT_FILE = ["../../assets/fonts/OpenSans-Regular.subset.ttf", "../assets/fonts/OpenSans-Regular.subset.ttf"]
  .map((rel) => fileURLToPath(new URL(rel, import.meta.url)))
  .find((p) => existsSync(p)) ?? fileURLToPath(new URL("../../assets/fonts/OpenSans-Regular.subset.ttf", import.meta.url));

export interface RenderOptions {
  readonly width?: number;
  readonly height?: number;
}

const SVG_NS = "http://www.w3.org/2000/svg";

type Row = { x: number; y: number };
const rows = (x: readonly number[], y: readonly number[]): Row[] => x.map((xi, i) => ({ x: xi, y: y[i]! }));

// the svg's inline style, as earlier versions wrote it (set as an attribute: linkedom's `style` cannot be assigned a string, as Plot would)
const STYLE = `font-family: "${FONT_FAMILY}", sans-serif; font-size: 12px; background: white;`;

/**
 * Render one figure as a standalone SVG document (title and legend inside the SVG), byte-identical to
 * what earlier versions wrote with jsdom (render.test.ts compares every mark type with those files).
 */
export function renderSvg(fig: PlotFigure, opts: RenderOptions = {}): string {
  const { document } = parseHTML("<!DOCTYPE html><html><body></body></html>") as unknown as { document: Document };
  const width = opts.width ?? 720;
  const height = opts.height ?? 460;
  const series: string[] = [];
  const colorOf = (s: string | undefined): string => {
    const name = s ?? "";
    let i = series.indexOf(name);
    if (i < 0) { series.push(name); i = series.length - 1; }
    return PALETTE[i % PALETTE.length]!;
  };
  const legend: { name: string; color: string; kind: "line" | "dot" | "band"; dash: boolean }[] = [];
  const addLegend = (name: string | undefined, kind: "line" | "dot" | "band", dash = false) => {
    if (name === undefined || name === "" || legend.some((l) => l.name === name)) return;
    legend.push({ name, color: colorOf(name), kind, dash });
  };
  const marks: Plot.Markish[] = [];
  let hasRaster = false;
  for (const m of fig.marks) marks.push(...toPlotMarks(m, colorOf, addLegend, () => { hasRaster = true; }));
  const logX = fig.x.type === "log", logY = fig.y.type === "log";
  // bars stand on categories (a band scale): a linear x would refuse their string x
  const categoricalX = fig.marks.some((m) => m.type === "bar");
  // categories in the order the bars give them (a band scale sorts them otherwise)
  const categories = categoricalX && !fig.x.domain ? [...new Set(fig.marks.flatMap((m) => (m.type === "bar" ? m.x : [])))] : undefined;
  const longestCategory = Math.max(0, ...(categories ?? []).map((c) => String(c).length));
  const slant = longestCategory > 12;
  const svg = Plot.plot({
    document,
    width, height,
    // long category names (method labels) slant, with room below for them
    marginTop: 40, marginRight: 20, marginLeft: 70, marginBottom: slant ? Math.min(200, 44 + 3.5 * longestCategory) : 44,
    x: { label: fig.x.label, type: categoricalX ? "band" : logX ? "log" : "linear", ...(slant ? { tickRotate: -30 } : {}), ...(fig.x.domain ? { domain: [...fig.x.domain] } : categories ? { domain: categories } : {}), grid: !hasRaster },
    y: { label: fig.y.label, labelAnchor: "center", type: logY ? "log" : "linear", ...(fig.y.domain ? { domain: [...fig.y.domain] } : {}), grid: !hasRaster },
    color: { type: "linear", scheme: "viridis", ...(hasRaster ? { legend: false } : {}) },
    marks,
  }) as unknown as SVGSVGElement;
  // where Plot would have put it: after its own attributes
  svg.setAttribute("style", STYLE);
  svg.setAttribute("xmlns", SVG_NS);
  // title
  const title = document.createElementNS(SVG_NS, "text");
  title.setAttribute("x", "8");
  title.setAttribute("y", "22");
  title.setAttribute("font-size", "14");
  title.setAttribute("text-anchor", "start");
  title.setAttribute("fill", "black");
  title.textContent = fig.title;
  svg.appendChild(title);
  // legend: one row per series, top right inside the frame
  if (legend.length > 0) {
    const g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("text-anchor", "start");
    g.setAttribute("font-size", "11");
    const longest = Math.max(...legend.map((l) => l.name.length));
    const boxW = Math.min(width / 2, 30 + 6.5 * longest);
    const x0 = width - 20 - boxW;
    const bg = document.createElementNS(SVG_NS, "rect");
    for (const [k, v] of Object.entries({ x: x0 - 6, y: 44, width: boxW + 6, height: 16 * legend.length + 6, fill: "white", "fill-opacity": "0.8", stroke: "#ccc" })) bg.setAttribute(k, String(v));
    g.appendChild(bg);
    legend.forEach((l, i) => {
      const y = 60 + 16 * i;
      const sw = document.createElementNS(SVG_NS, l.kind === "line" ? "line" : l.kind === "dot" ? "circle" : "rect");
      const attrs: Record<string, string | number> = l.kind === "line"
        ? { x1: x0, x2: x0 + 18, y1: y - 4, y2: y - 4, stroke: l.color, "stroke-width": 2, ...(l.dash ? { "stroke-dasharray": "4,3" } : {}) }
        : l.kind === "dot" ? { cx: x0 + 9, cy: y - 4, r: 3.5, fill: l.color }
        : { x: x0, y: y - 9, width: 18, height: 10, fill: l.color, "fill-opacity": 0.3 };
      for (const [k, v] of Object.entries(attrs)) sw.setAttribute(k, String(v));
      g.appendChild(sw);
      const t = document.createElementNS(SVG_NS, "text");
      t.setAttribute("x", String(x0 + 24));
      t.setAttribute("y", String(y));
      t.setAttribute("fill", "black");
      t.textContent = l.name;
      g.appendChild(t);
    });
    svg.appendChild(g);
  }
  return normalizeIds(`<?xml version="1.0" encoding="UTF-8"?>\n${serializeSvg(svg)}\n`);
}

/** Plot numbers clip paths and gradients with process-wide counters: renumber them per document. */
function normalizeIds(svg: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `r${ids.size}`);
  let out = svg;
  for (const [from, to] of ids) {
    const esc = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`id="${esc}"`, "g"), `id="${to}"`).replace(new RegExp(`#${esc}\\b`, "g"), `#${to}`);
  }
  return out;
}

function toPlotMarks(
  m: PlotMark, colorOf: (s: string | undefined) => string,
  addLegend: (name: string | undefined, kind: "line" | "dot" | "band", dash?: boolean) => void, raster: () => void,
): Plot.Markish[] {
  switch (m.type) {
    case "line": {
      addLegend(m.series, "line", m.dash ?? false);
      const data = rows(m.x, m.y).filter((r) => Number.isFinite(r.x) && Number.isFinite(r.y));
      return [Plot.line(data, { x: "x", y: "y", stroke: colorOf(m.series), strokeWidth: 1.8, ...(m.dash ? { strokeDasharray: "5,3" } : {}) })];
    }
    case "dot": {
      addLegend(m.series, "dot");
      const data = rows(m.x, m.y).map((r, i) => ({ ...r, r: m.r?.[i] ?? 3 }));
      return [Plot.dot(data, { x: "x", y: "y", r: "r", fill: colorOf(m.series), stroke: "white", strokeWidth: 0.5 })];
    }
    case "band": {
      addLegend(m.series, "band");
      const data = m.x.map((x, i) => ({ x, y1: m.y1[i]!, y2: m.y2[i]! }));
      return [Plot.areaY(data, { x: "x", y1: "y1", y2: "y2", fill: colorOf(m.series), fillOpacity: 0.25 })];
    }
    case "rule": {
      const out: Plot.Markish[] = [];
      if (m.x !== undefined) out.push(Plot.ruleX([m.x], { stroke: colorOf(m.series), strokeDasharray: "3,3" }));
      if (m.y !== undefined) out.push(Plot.ruleY([m.y], { stroke: colorOf(m.series), strokeDasharray: "3,3" }));
      addLegend(m.series, "line", true);
      return out;
    }
    case "raster": {
      raster();
      // samples sit at grid points x0 + i·dx: Plot's contour puts value i at the centre of pixel i
      const dx = (m.x1 - m.x0) / (m.nx - 1), dy = (m.y1 - m.y0) / (m.ny - 1);
      const finite = m.values.filter(Number.isFinite);
      const lo = Math.min(...finite), hi = Math.max(...finite);
      const n = m.contours ?? 12;
      // the first threshold at the minimum: every cell is filled (contour fills value ≥ threshold)
      const thresholds = Array.from({ length: n }, (_, k) => lo + (k * (hi - lo)) / n);
      const opts = { width: m.nx, height: m.ny, x1: m.x0 - dx / 2, x2: m.x1 + dx / 2, y1: m.y0 - dy / 2, y2: m.y1 + dy / 2, thresholds };
      return [
        Plot.contour([...m.values], { ...opts, value: Plot.identity, fill: "value", fillOpacity: 0.9 }),
        Plot.contour([...m.values], { ...opts, value: Plot.identity, stroke: "white", strokeOpacity: 0.6, strokeWidth: 0.6 }),
      ];
    }
    case "bar": {
      addLegend(m.series, "band");
      const data = m.x.map((x, i) => ({ x, y: m.y[i]! }));
      return [Plot.barY(data, { x: "x", y: "y", fill: colorOf(m.series) })];
    }
    case "text": {
      const data = m.x.map((x, i) => ({ x, y: m.y[i]!, text: m.text[i] ?? "" }));
      return [Plot.text(data, { x: "x", y: "y", text: "text", textAnchor: "start", fill: "black" })];
    }
  }
}

/** Glyphs the bundled subset lacks, replaced for the PNG (the SVG keeps them for browsers' fonts). */
const PNG_GLYPHS: Record<string, string> = { "‖": "|", "∇": "grad ", "→": "->" };

function rendered(svg: string, scale: number) {
  const text = svg.replace(/[‖∇→]/g, (c) => PNG_GLYPHS[c] ?? c);
  return new Resvg(text, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: { fontFiles: [FONT_FILE], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  }).render();
}

/** Render an SVG (from renderSvg) as PNG bytes with the bundled font and no system fonts. */
export function renderPng(svg: string, opts: { readonly scale?: number } = {}): Buffer {
  return rendered(svg, opts.scale ?? 1.5).asPng();
}

/** The RGBA pixels renderPng encodes (tests look at them). */
export function rasterize(svg: string, opts: { readonly scale?: number } = {}): { width: number; height: number; pixels: Buffer } {
  const r = rendered(svg, opts.scale ?? 1.5);
  return { width: r.width, height: r.height, pixels: r.pixels };
}

/** A figure as { svg, png }, named by its `name` (plots/<name>.svg, plots/<name>.png). */
export function renderFigure(fig: PlotFigure, opts: RenderOptions = {}): { name: string; svg: string; png: Buffer } {
  const svg = renderSvg(fig, opts);
  return { name: fig.name, svg, png: renderPng(svg) };
}
