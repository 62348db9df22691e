import * as Plot from "@observablehq/plot";
import { useEffect, useRef } from "preact/hooks";
import type { Grid2d, Point } from "../experiments/run.js";

type PlotElement = ReturnType<typeof Plot.plot>;

/** Mounts an Observable Plot figure, rebuilding it when `deps` change. */
export function PlotView(props: {
  build: () => PlotElement | null;
  deps: readonly unknown[];
  label: string;
  testId?: string;
  onClickData?: (x: number, y: number) => void;
  class?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const clickRef = useRef(props.onClickData);
  clickRef.current = props.onClickData;
  useEffect(() => {
    const host = ref.current;
    if (!host) return;
    const t0 = performance.now();
    const el = props.build();
    host.dataset.buildMs = String(Math.round(performance.now() - t0));
    host.replaceChildren();
    if (!el) return;
    host.append(el);
    if (!clickRef.current) return;
    const svg = el instanceof SVGSVGElement ? el : el.querySelector("svg");
    const sx = el.scale("x"), sy = el.scale("y");
    if (!svg || !sx?.invert || !sy?.invert) return;
    const onClick = (e: MouseEvent) => {
      const r = svg.getBoundingClientRect();
      const vb = svg.viewBox.baseVal;
      const kx = vb && vb.width ? vb.width / r.width : 1;
      const ky = vb && vb.height ? vb.height / r.height : 1;
      const x = sx.invert!((e.clientX - r.left) * kx) as number;
      const y = sy.invert!((e.clientY - r.top) * ky) as number;
      const [dx0, dx1] = sx.domain as [number, number];
      const [dy0, dy1] = sy.domain as [number, number];
      if (x < Math.min(dx0, dx1) || x > Math.max(dx0, dx1) || y < Math.min(dy0, dy1) || y > Math.max(dy0, dy1)) return;
      clickRef.current?.(x, y);
    };
    svg.addEventListener("click", onClick);
    svg.style.cursor = "crosshair";
    return () => svg.removeEventListener("click", onClick);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, props.deps);
  return <div ref={ref} class={`plot ${props.class ?? ""}`} role="img" aria-label={props.label} data-testid={props.testId} />;
}

/** The notebooks' colour map: dark brown (low) → cream (high). */
export const LOSS_COLORS = ["#2a0902", "#6e2a0c", "#b5651d", "#e8b86a", "#ffffe0"];

export function gridMarks(grid: Grid2d) {
  const dx = (grid.x1 - grid.x0) / (grid.nx - 1);
  const dy = (grid.y1 - grid.y0) / (grid.ny - 1);
  return {
    width: grid.nx, height: grid.ny,
    x1: grid.x0 - dx / 2, x2: grid.x1 + dx / 2, y1: grid.y0 - dy / 2, y2: grid.y1 + dy / 2,
  };
}

function range(values: Float64Array, clipQuantile?: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (clipQuantile !== undefined) {
    const s = Float64Array.from(values).sort();
    hi = s[Math.min(s.length - 1, Math.floor(clipQuantile * s.length))]!;
  }
  return [lo, hi];
}

/** Every k-th row and column of a grid (so that contouring stays cheap on the main thread). */
export function subsample(grid: Grid2d, maxN: number): Grid2d {
  const k = Math.max(1, Math.ceil((Math.max(grid.nx, grid.ny) - 1) / (maxN - 1)));
  if (k === 1) return grid;
  const nx = Math.floor((grid.nx - 1) / k) + 1, ny = Math.floor((grid.ny - 1) / k) + 1;
  const values = new Float64Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) values[j * nx + i] = grid.values[j * k * grid.nx + i * k]!;
  return {
    nx, ny, values, x0: grid.x0, y0: grid.y0,
    x1: grid.x0 + ((nx - 1) * k * (grid.x1 - grid.x0)) / (grid.nx - 1),
    y1: grid.y0 + ((ny - 1) * k * (grid.y1 - grid.y0)) / (grid.ny - 1),
  };
}

export interface HeatmapOptions {
  readonly grid: Grid2d;
  readonly title?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  readonly contours?: number;
  readonly colors?: readonly string[];
  /** Upper quantile the colour scale saturates at (own normalisation per panel). */
  readonly clip?: number;
  readonly marks?: Plot.Markish[];
  readonly legend?: boolean;
}

/** Heat map with contours, like the notebooks' loss-surface figures. */
export function heatmap(o: HeatmapOptions): PlotElement {
  const [lo, hi] = range(o.grid.values, o.clip);
  const colors = o.colors ?? LOSS_COLORS;
  const domain = colors.map((_, i) => lo + ((hi - lo) * i) / (colors.length - 1));
  const g = gridMarks(o.grid);
  const coarse = subsample(o.grid, 81);
  const gc = gridMarks(coarse);
  const thresholds = Array.from({ length: o.contours ?? 20 }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / (o.contours ?? 20));
  return Plot.plot({
    width: o.width ?? 360,
    height: o.height ?? 340,
    marginLeft: 44,
    marginBottom: 36,
    ...(o.title ? { title: o.title } : {}),
    x: { label: o.xLabel, domain: [o.grid.x0, o.grid.x1] },
    y: { label: o.yLabel, domain: [o.grid.y0, o.grid.y1] },
    color: { type: "linear", domain, range: colors as string[], clamp: true, legend: o.legend ?? false, label: o.title ?? "" },
    marks: [
      Plot.raster(o.grid.values, { ...g, imageRendering: "auto" } as Plot.RasterOptions),
      Plot.contour(coarse.values, { ...gc, stroke: "rgba(128,128,128,0.6)", strokeWidth: 0.7, thresholds, fill: null } as Plot.ContourOptions),
      Plot.frame(),
      ...(o.marks ?? []),
    ],
  });
}

export const pathMarks = (path: readonly Point[], color = "#fff", start = true): Plot.Markish[] => [
  Plot.line(path, { x: (d: Point) => d[0], y: (d: Point) => d[1], stroke: color, strokeWidth: 1.6 }),
  Plot.dot(path, { x: (d: Point) => d[0], y: (d: Point) => d[1], r: 1.6, fill: color }),
  ...(start ? [Plot.dot([path[0]!], { x: (d: Point) => d[0], y: (d: Point) => d[1], r: 4, stroke: color, fill: "none", strokeWidth: 1.5 })] : []),
];
