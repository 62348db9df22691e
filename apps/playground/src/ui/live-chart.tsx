import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface LiveSeries {
  readonly label: string;
  readonly color: string;
  readonly dash?: number[];
}

/** A uPlot line chart for live training curves: created once, then updated with setData. */
export function LiveChart(props: {
  x: readonly number[];
  ys: readonly (readonly number[])[];
  series: readonly LiveSeries[];
  xLabel: string;
  yLabel: string;
  logX?: boolean;
  logY?: boolean;
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
  const fmt = (v: number | null) => (v == null || !Number.isFinite(v) ? "" : Math.abs(v) >= 1e6 ? `${v / 1e6}M` : Math.abs(v) >= 1000 ? `${v / 1000}k` : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(0) : String(+v.toPrecision(3)));

  useEffect(() => {
    if (!host.current) return;
    const opts: uPlot.Options = {
      width: props.width ?? 520,
      height: props.height ?? 260,
      scales: { x: { time: false, ...(props.logX ? { distr: 3 } : {}) }, y: props.logY ? { distr: 3 } : {} },
      axes: [
        { label: props.xLabel, values: (_u, vals) => vals.map(fmt) },
        { label: props.yLabel, values: (_u, vals) => vals.map(fmt), size: 56 },
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
    chart.current = new uPlot(opts, [[], ...props.series.map(() => [])] as unknown as uPlot.AlignedData, host.current);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const data = [props.x as number[], ...props.ys.map((y) => y as number[])] as unknown as uPlot.AlignedData;
    chart.current?.setData(data);
  }, [props.x, props.ys]);

  return <div ref={host} class="live-chart" role="img" aria-label={props.label} data-testid={props.testId} />;
}
