/**
 * Worker-thread entry of the background plot renderer (background-renderer.ts): loads the renderer
 * (Observable Plot and resvg: a few tenths of a second of module loading) and draws one throwaway
 * figure, while the main thread trains; then renders the figures it is sent. The output is the same
 * as renderFigure's on the main thread (ids are renumbered per document, nothing else is shared).
 */
import { parentPort } from "node:worker_threads";
import type { PlotFigure } from "@regularize/experiments";
import { renderFigure } from "./render.ts";

/** main → worker: the figures to render. */
export interface PlotRequest {
  readonly figures: readonly PlotFigure[];
}

/** worker → main: every figure rendered, or the first error. */
export type PlotReply =
  | { readonly ok: true; readonly rendered: { name: string; svg: string; png: Uint8Array }[] }
  | { readonly ok: false; readonly error: string };

/** A small line figure on a log axis with a legend: runs Plot's, linkedom's and resvg's code paths once. */
const WARM_UP: PlotFigure = {
  name: "warm-up", title: "warm-up", x: { label: "step" }, y: { label: "loss", type: "log" },
  marks: [{ type: "line", series: "a", x: [1, 2, 3], y: [1, 0.5, 0.25] }, { type: "dot", series: "b", x: [1, 3], y: [0.9, 0.3] }],
};

const port = parentPort;
if (port) {
  let requested = false;
  // JIT and lazy initialisation happen now, on this thread, not after the training; unless the
  // figures are already waiting (a short experiment), which then warm it up themselves
  setImmediate(() => { if (!requested) renderFigure(WARM_UP); });
  port.on("message", (req: PlotRequest) => {
    requested = true;
    let reply: PlotReply;
    try {
      const rendered = req.figures.map((f) => {
        const r = renderFigure(f);
        return { name: r.name, svg: r.svg, png: new Uint8Array(r.png.buffer, r.png.byteOffset, r.png.byteLength) };
      });
      reply = { ok: true, rendered };
    } catch (err) {
      reply = { ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
    }
    port.postMessage(reply);
  });
}
