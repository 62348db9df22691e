/// <reference lib="webworker" />
// Renders heat maps off the main thread: the colour image (OffscreenCanvas → PNG data URL) and the
// contour lines (d3-contour → SVG path strings in grid units). The page only places them.
import { contours } from "d3-contour";
import type { HeatLayer, HeatRequest, HeatResponse } from "./heat-protocol.js";

declare const self: DedicatedWorkerGlobalScope;

function hexToRgb(hex: string): [number, number, number] {
  const h = hex.replace("#", "");
  const n = parseInt(h.length === 3 ? h.split("").map((c) => c + c).join("") : h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function range(values: Float64Array, clip?: number): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  if (clip !== undefined && clip < 1) {
    const s = values.filter(Number.isFinite).sort();
    hi = s[Math.min(s.length - 1, Math.floor(clip * s.length))] ?? hi;
  }
  if (!(hi > lo)) hi = lo + 1;
  return [lo, hi];
}

/** Every k-th row and column, so the contour paths stay small. */
function coarse(values: Float64Array, nx: number, ny: number, maxN: number): { v: Float64Array; cx: number; cy: number; k: number } {
  const k = Math.max(1, Math.ceil((Math.max(nx, ny) - 1) / (maxN - 1)));
  if (k === 1) return { v: values, cx: nx, cy: ny, k };
  const cx = Math.floor((nx - 1) / k) + 1, cy = Math.floor((ny - 1) / k) + 1;
  const v = new Float64Array(cx * cy);
  for (let j = 0; j < cy; j++) for (let i = 0; i < cx; i++) v[j * cx + i] = values[j * k * nx + i * k]!;
  return { v, cx, cy, k };
}

async function render(req: HeatRequest): Promise<HeatLayer> {
  const t0 = performance.now();
  const { nx, ny, values } = req;
  const [lo, hi] = range(values, req.clip);
  const stops = req.colors.map(hexToRgb);
  const canvas = new OffscreenCanvas(nx, ny);
  const ctx = canvas.getContext("2d")!;
  const img = ctx.createImageData(nx, ny);
  const last = stops.length - 1;
  for (let j = 0; j < ny; j++) {
    const row = (ny - 1 - j) * nx; // image row 0 is the top (highest y)
    for (let i = 0; i < nx; i++) {
      const v = values[j * nx + i]!;
      const o = 4 * (row + i);
      if (!Number.isFinite(v)) { img.data[o + 3] = 0; continue; }
      const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo))) * last;
      const s = Math.min(last - 1, Math.floor(t));
      const f = t - s;
      const a = stops[s]!, b = stops[s + 1] ?? a;
      img.data[o] = a[0] + (b[0] - a[0]) * f;
      img.data[o + 1] = a[1] + (b[1] - a[1]) * f;
      img.data[o + 2] = a[2] + (b[2] - a[2]) * f;
      img.data[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  const blob = await canvas.convertToBlob({ type: "image/png" });
  const href = new FileReaderSync().readAsDataURL(blob);
  const paths: string[] = [];
  if (req.contours > 0) {
    const c = coarse(values, nx, ny, 101);
    const thresholds = Array.from({ length: req.contours }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / req.contours);
    // d3-contour puts sample (i, j) at the centre of cell [i, i+1] of a cx × cy grid; map coarse cells
    // back to fine cells so both layers align: fine = k·coarse + ½·(1 − k) … i.e. centre to centre.
    const sx = c.k, off = 0.5 - c.k / 2;
    const fmt = (v: number) => String(Math.round(v * 10) / 10);
    for (const mp of contours().size([c.cx, c.cy]).thresholds(thresholds)(c.v)) {
      let d = "";
      for (const poly of mp.coordinates) for (const ring of poly) {
        ring.forEach((p, n) => { d += `${n ? "L" : "M"}${fmt(p[0]! * sx + off)},${fmt(p[1]! * sx + off)}`; });
        d += "Z";
      }
      if (d) paths.push(d);
    }
  }
  return { href, paths, lo, hi, ms: performance.now() - t0 };
}

self.onmessage = (e: MessageEvent<HeatRequest>) => {
  const req = e.data;
  render(req).then(
    (layer) => self.postMessage({ id: req.id, layer } satisfies HeatResponse),
    (err: unknown) => self.postMessage({ id: req.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } satisfies HeatResponse),
  );
};
