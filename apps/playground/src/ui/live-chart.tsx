import * as Plot from "@observablehq/plot";
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { exportCanvasAsPng, exportSvg } from "./export.js";
import { ExportButtons } from "./plot.js";
import { markFirstFrame } from "./schedule.js";
import { textColor, useDarkMode } from "./theme.js";

export interface LiveSeries {
  readonly label: string;
  readonly color: string;
  readonly dash?: number[];
}

/**
 * A uPlot line chart for live training curves: created once (and again when the width or the colour
 * scheme changes), then updated with setData — cheap enough to follow a run at every progress report.
 * Its width follows the container, so it never overflows a phone's screen.
 */
export function LiveChart(props: {
  x: readonly number[];
  ys: readonly (readonly number[])[];
  series: readonly LiveSeries[];
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
  /** Maximum width in px (the chart shrinks to its container). */
  width?: number;
  height?: number;
  label: string;
  testId?: string;
  /** Vertical markers (e.g. the early-stopping step). */
  markers?: readonly { x: number; color: string }[];
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const markersRef = useRef(props.markers ?? []);
  markersRef.current = props.markers ?? [];
  const dataRef = useRef<uPlot.AlignedData>([[]]);
  const dark = useDarkMode();
  const [width, setWidth] = useState(0);
  const maxW = props.width ?? 520;
  const fmt = (v: number | null) => (v == null || !Number.isFinite(v) ? "" : Math.abs(v) >= 1e6 ? `${v / 1e6}M` : Math.abs(v) >= 1000 ? `${v / 1000}k` : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(0) : String(+v.toPrecision(3)));

  useEffect(() => {
    const el = host.current?.parentElement;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, Math.min(maxW, Math.floor(el.clientWidth)))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [maxW]);

  useEffect(() => {
    if (!host.current || width === 0) return;
    const fg = textColor();
    const grid = { stroke: dark ? "rgba(255,255,255,0.12)" : "rgba(0,0,0,0.08)" };
    const axis = { stroke: fg, grid, ticks: grid };
    const opts: uPlot.Options = {
      width,
      height: props.height ?? 260,
      scales: { x: { time: false, ...(props.logX ? { distr: 3 } : {}) }, y: props.logY ? { distr: 3 } : {} },
      axes: [
        { ...axis, label: props.xLabel, values: (_u, vals) => vals.map(fmt) },
        { ...axis, label: props.yLabel, values: (_u, vals) => vals.map(fmt), size: 56 },
      ],
      series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.8, ...(s.dash ? { dash: s.dash } : {}), points: { show: false } }))],
      legend: { show: true },
      hooks: {
        draw: [(u: uPlot) => {
          const ctx = u.ctx;
          for (const m of markersRef.current) {
            const px = u.valToPos(m.x, "x", true);
            ctx.save();
            ctx.strokeStyle = m.color;
            ctx.setLineDash([4, 3]);
            ctx.lineWidth = 1.5;
            ctx.beginPath();
            ctx.moveTo(px, u.bbox.top);
            ctx.lineTo(px, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          }
        }],
      },
    };
    chart.current = new uPlot(opts, dataRef.current.length === props.series.length + 1 ? dataRef.current : [[], ...props.series.map(() => [])] as unknown as uPlot.AlignedData, host.current);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [width, dark]);

  useEffect(() => {
    const data = [props.x as number[], ...props.ys.map((y) => y as number[])] as unknown as uPlot.AlignedData;
    dataRef.current = data;
    chart.current?.setData(data);
    if (props.x.length > 0) markFirstFrame();
  }, [props.x, props.ys]);

  // SVG export: the same curves drawn by Observable Plot (uPlot draws on a canvas)
  const svgExport = () => {
    const rows = props.series.flatMap((s, k) => props.x.map((x, i) => ({ x, y: props.ys[k]?.[i], s: s.label }))
      .filter((d) => d.y !== undefined && Number.isFinite(d.y) && (!props.logY || d.y > 0) && (!props.logX || d.x > 0)));
    const el = Plot.plot({
      width: maxW, height: props.height ?? 260, marginLeft: 56,
      x: { label: props.xLabel, type: props.logX ? "log" : "linear" },
      y: { label: props.yLabel, type: props.logY ? "log" : "linear", grid: true },
      color: { domain: props.series.map((s) => s.label), range: props.series.map((s) => s.color), legend: true },
      marks: [
        Plot.line(rows, { x: "x", y: "y", stroke: "s" }),
        ...(props.markers ?? []).map((m) => Plot.ruleX([m.x], { stroke: m.color, strokeDasharray: "4,3" })),
      ],
    });
    const svg = el instanceof SVGSVGElement ? el : el.querySelector<SVGSVGElement>("svg[class*=plot]:not([class*=swatch])") ?? el.querySelector("svg");
    if (!svg) return null;
    // attach off-screen so computed styles resolve, then export
    const tmp = document.createElement("div");
    tmp.style.cssText = "position:absolute;left:-10000px;top:0";
    tmp.append(el);
    document.body.append(tmp);
    exportSvg(svg, props.label);
    tmp.remove();
    return null;
  };

  return (
    <div class="plot-wrap">
      <div ref={host} class="live-chart" role="img" aria-label={props.label} data-testid={props.testId} />
      <ExportButtons label={props.label} svg={svgExport}
        png={async () => { const c = host.current?.querySelector("canvas"); if (c) await exportCanvasAsPng(c, props.label); }} />
    </div>
  );
}
