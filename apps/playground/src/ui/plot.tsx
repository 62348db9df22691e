import * as Plot from "@observablehq/plot";
import { useEffect, useRef, useState } from "preact/hooks";
import { type GridData, heatMark, LOSS_COLORS, renderHeat } from "../render/heat.js";
import { exportSvg, exportSvgAsPng } from "./export.js";
import { markFirstFrame, schedule } from "./schedule.js";

export type PlotElement = ReturnType<typeof Plot.plot>;
export type Point = readonly [number, number];
export { LOSS_COLORS };

function mainSvg(host: HTMLElement): SVGSVGElement | null {
  // Plot returns an <svg>, or a <figure> holding a title, legends and the chart's <svg>
  const all = host.querySelectorAll<SVGSVGElement>("svg");
  let best: SVGSVGElement | null = null;
  for (const s of all) if (!best || s.clientWidth * s.clientHeight > best.clientWidth * best.clientHeight) best = s;
  return best;
}

/** PNG / SVG download buttons for the plot in `host`. */
export function ExportButtons(props: { label: string; svg: () => SVGSVGElement | null; png?: () => Promise<void> }) {
  return (
    <span class="export">
      <button type="button" aria-label={`Download “${props.label}” as PNG`}
        onClick={() => { if (props.png) void props.png(); else { const s = props.svg(); if (s) void exportSvgAsPng(s, props.label); } }}>PNG</button>
      <button type="button" aria-label={`Download “${props.label}” as SVG`}
        onClick={() => { const s = props.svg(); if (s) exportSvg(s, props.label); }}>SVG</button>
    </span>
  );
}

/**
 * Mounts an Observable Plot figure, rebuilding it when `deps` change. Builds run in their own task
 * (see schedule.ts) and may be async (heat maps come from a worker); a newer build supersedes an older one.
 */
export function PlotView(props: {
  build: () => PlotElement | null | Promise<PlotElement | null>;
  deps: readonly unknown[];
  label: string;
  testId?: string;
  onClickData?: (x: number, y: number) => void;
  class?: string;
  /** Hide the export buttons (e.g. tiny thumbnails). */
  noExport?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const clickRef = useRef(props.onClickData);
  clickRef.current = props.onClickData;
  const gen = useRef(0);
  const [drawn, setDrawn] = useState<"0" | "1" | "error">("0");
  useEffect(() => {
    const g = ++gen.current;
    let cleanup: (() => void) | undefined;
    schedule(() => {
      if (g !== gen.current) return;
      const t0 = performance.now();
      const built = props.build();
      performance.measure(`plot-build ${props.label}`, { start: t0 });
      Promise.resolve(built).then((el) => {
        const t1 = performance.now();
        const host = ref.current;
        if (g !== gen.current || !host) return;
        // the synchronous part of an async build already ran; place the result in its own task
        host.dataset.buildMs = String(Math.round(performance.now() - t0));
        host.replaceChildren();
        if (!el) { setDrawn("0"); return; }
        // the host is the accessible image (role="img" + label); Plot's per-mark aria-labels on <g> are
        // not allowed there (axe: aria-prohibited-attr), so the drawing itself is hidden from the tree
        for (const n of el.querySelectorAll("[aria-label], [aria-description]")) { n.removeAttribute("aria-label"); n.removeAttribute("aria-description"); }
        el.removeAttribute("aria-label");
        el.setAttribute("aria-hidden", "true");
        host.append(el);
        performance.measure(`plot-place ${props.label}`, { start: t1 });
        setDrawn("1");
        markFirstFrame();
        cleanup = attachClick(el);
      }, (err: unknown) => {
        const host = ref.current;
        if (g !== gen.current || !host) return;
        host.textContent = `plot failed: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
        setDrawn("error");
      });
    });
    return () => { cleanup?.(); };
  }, props.deps);
  useEffect(() => () => { gen.current++; }, []);

  const attachClick = (el: PlotElement): (() => void) | undefined => {
    if (!clickRef.current) return undefined;
    const svg = el instanceof SVGSVGElement ? el : el.querySelector("svg");
    const sx = el.scale("x"), sy = el.scale("y");
    if (!svg || !sx?.invert || !sy?.invert) return undefined;
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
  };

  return (
    <div class={`plot-wrap ${props.class ?? ""}`}>
      <div ref={ref} class="plot" role="img" aria-label={props.label} data-testid={props.testId} data-drawn={drawn} />
      {drawn === "1" && !props.noExport && <ExportButtons label={props.label} svg={() => (ref.current ? mainSvg(ref.current) : null)} />}
    </div>
  );
}

export interface HeatmapOptions {
  readonly grid: GridData;
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
}

/** Heat map with contours, like the notebooks' loss-surface figures; the pixels and contours come from a worker. */
export async function heatmap(o: HeatmapOptions): Promise<PlotElement> {
  const layer = await renderHeat(o.grid, {
    contours: o.contours ?? 20, ...(o.colors ? { colors: o.colors } : {}), ...(o.clip !== undefined ? { clip: o.clip } : {}),
  });
  const g = o.grid;
  const dx = (g.x1 - g.x0) / (g.nx - 1), dy = (g.y1 - g.y0) / (g.ny - 1);
  return Plot.plot({
    width: o.width ?? 360,
    height: o.height ?? 340,
    marginLeft: 44,
    marginBottom: 36,
    ...(o.title ? { title: o.title } : {}),
    x: { label: o.xLabel, domain: [g.x0 - dx / 2, g.x1 + dx / 2] },
    y: { label: o.yLabel, domain: [g.y0 - dy / 2, g.y1 + dy / 2] },
    marks: [heatMark(g, layer), Plot.frame(), ...(o.marks ?? [])],
  });
}

export const pathMarks = (path: readonly Point[], color = "#fff", start = true): Plot.Markish[] => [
  Plot.line(path, { x: (d: Point) => d[0], y: (d: Point) => d[1], stroke: color, strokeWidth: 1.6 }),
  Plot.dot(path, { x: (d: Point) => d[0], y: (d: Point) => d[1], r: 1.6, fill: color }),
  ...(start ? [Plot.dot([path[0]!], { x: (d: Point) => d[0], y: (d: Point) => d[1], r: 4, stroke: color, fill: "none", strokeWidth: 1.5 })] : []),
];
