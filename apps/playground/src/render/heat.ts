// Page side of the heat-map renderer: posts grids to one shared worker and turns its layers into an
// Observable Plot mark (an <image> plus contour paths placed with one transform — no per-pixel work here).
import type { GridData, HeatLayer, HeatRequest, HeatResponse } from "./heat-protocol.js";

export type { GridData, HeatLayer } from "./heat-protocol.js";

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (l: HeatLayer) => void; reject: (e: Error) => void }>();

function getWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./heat-worker.ts", import.meta.url), { type: "module", name: "heat" });
  worker.onmessage = (e: MessageEvent<HeatResponse>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if ("layer" in e.data) p.resolve(e.data.layer);
    else p.reject(new Error(e.data.error));
  };
  return worker;
}

/** The notebooks' colour map: dark brown (low) → cream (high). */
export const LOSS_COLORS = ["#2a0902", "#6e2a0c", "#b5651d", "#e8b86a", "#ffffe0"] as const;

export interface HeatOptions {
  readonly colors?: readonly string[];
  readonly clip?: number;
  readonly contours?: number;
}

/** Render a grid's colour image and contours in the worker. */
export function renderHeat(grid: GridData, o: HeatOptions = {}): Promise<HeatLayer> {
  const id = ++nextId;
  const values = Float64Array.from(grid.values);
  const req: HeatRequest = {
    id, nx: grid.nx, ny: grid.ny, values, colors: o.colors ?? LOSS_COLORS, contours: o.contours ?? 20,
    ...(o.clip !== undefined ? { clip: o.clip } : {}),
  };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    getWorker().postMessage(req, [values.buffer]);
  });
}

const SVG_NS = "http://www.w3.org/2000/svg";

interface Scales { x?: (v: number) => number; y?: (v: number) => number }

/**
 * A Plot function mark drawing a rendered layer over the grid's extent (pixel centres at the grid
 * points, like Plot.raster with x1/x2 half a cell outside).
 */
export function heatMark(grid: GridData, layer: HeatLayer, contourStroke = "rgba(128,128,128,0.6)") {
  return (_index: unknown, scales: Scales) => {
    const g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("aria-hidden", "true");
    const sx = scales.x!, sy = scales.y!;
    const dx = (grid.x1 - grid.x0) / (grid.nx - 1), dy = (grid.y1 - grid.y0) / (grid.ny - 1);
    const X0 = sx(grid.x0 - dx / 2), X1 = sx(grid.x1 + dx / 2);
    const Y0 = sy(grid.y0 - dy / 2), Y1 = sy(grid.y1 + dy / 2);
    const img = document.createElementNS(SVG_NS, "image");
    img.setAttribute("href", layer.href);
    img.setAttribute("x", String(Math.min(X0, X1)));
    img.setAttribute("y", String(Math.min(Y0, Y1)));
    img.setAttribute("width", String(Math.abs(X1 - X0)));
    img.setAttribute("height", String(Math.abs(Y1 - Y0)));
    img.setAttribute("preserveAspectRatio", "none");
    g.append(img);
    if (layer.paths.length) {
      const c = document.createElementNS(SVG_NS, "g");
      c.setAttribute("transform", `matrix(${(X1 - X0) / grid.nx},0,0,${(Y1 - Y0) / grid.ny},${X0},${Y0})`);
      c.setAttribute("fill", "none");
      c.setAttribute("stroke", contourStroke);
      c.setAttribute("stroke-width", "0.7");
      for (const d of layer.paths) {
        const p = document.createElementNS(SVG_NS, "path");
        p.setAttribute("d", d);
        p.setAttribute("vector-effect", "non-scaling-stroke");
        c.append(p);
      }
      g.append(c);
    }
    return g;
  };
}
