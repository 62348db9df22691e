import * as Plot from "@observablehq/plot";
import { toDisplayUnits } from "@regularize/datasets";

export type Units = "scaled" | "raw";

export const CYAN = "#1fb5c9";
export const ORANGE = "#f08c2a";

export interface ToyPlotOptions {
  readonly title?: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly grid: ArrayLike<number>;
  readonly truth?: ArrayLike<number>;
  readonly curves: readonly { readonly values: ArrayLike<number>; readonly color?: string; readonly dash?: string; readonly width?: number }[];
  readonly units: Units;
  readonly yDomain?: readonly [number, number];
  readonly width?: number;
  readonly height?: number;
  readonly extra?: Plot.Markish[];
  readonly dataRadius?: number;
}

/** A chapter-8/9 style toy regression plot: truth in the text colour, orange data, coloured model curves. */
export function toyPlot(o: ToyPlotOptions) {
  const u = (v: number) => (o.units === "scaled" ? toDisplayUnits(v) : v);
  const line = (vals: ArrayLike<number>) => Array.from(o.grid, (x, i) => ({ x, y: u(vals[i]!) }));
  const domain = o.yDomain ?? (o.units === "scaled" ? [-1, 1] : [-1, 4]);
  return Plot.plot({
    width: o.width ?? 300,
    height: o.height ?? 220,
    marginLeft: 36,
    marginBottom: 30,
    ...(o.title ? { title: o.title } : {}),
    x: { domain: [0, 1], label: "x" },
    y: { domain: domain as [number, number], label: o.units === "scaled" ? "y′ (book's scaled units)" : "y" },
    marks: [
      Plot.frame({ stroke: "currentColor", strokeOpacity: 0.25 }),
      ...(o.truth ? [Plot.line(line(o.truth), { x: "x", y: "y", stroke: "currentColor", strokeWidth: 1.4 })] : []),
      ...(o.extra ?? []),
      ...o.curves.map((c) => Plot.line(line(c.values), {
        x: "x", y: "y", stroke: c.color ?? CYAN, strokeWidth: c.width ?? 2, ...(c.dash ? { strokeDasharray: c.dash } : {}), clip: true,
      })),
      Plot.dot(Array.from(o.x, (x, i) => ({ x, y: u(o.y[i]!) })), { x: "x", y: "y", r: o.dataRadius ?? 3.5, fill: ORANGE, stroke: "#7a3d00", strokeWidth: 0.6 }),
    ],
  });
}
