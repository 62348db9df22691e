import { Worker } from "node:worker_threads";
import type { PlotFigure } from "@regularize/experiments";
import { describe, expect, it } from "vitest";
import { renderInProcess, startBackgroundRenderer } from "./background-renderer.ts";

const loss: PlotFigure = {
  name: "loss", title: "Training loss", x: { label: "step" }, y: { label: "cross-entropy (batch)", type: "log" },
  marks: [{ type: "line", series: "train loss", x: [30, 60, 90, 120], y: [2.1, 1.2, 0.4, 0.05] }],
};
const surface: PlotFigure = {
  name: "surface", title: "A surface ‖∇L‖", x: { label: "φ0" }, y: { label: "φ1" },
  marks: [
    { type: "raster", nx: 4, ny: 3, x0: 0, x1: 1, y0: 0, y1: 1, values: [0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5] },
    { type: "dot", series: "minimum", x: [0.5], y: [0.5] },
  ],
};
const plain = (rs: { name: string; svg: string; png: Uint8Array }[]) => rs.map((r) => ({ name: r.name, svg: r.svg, png: Buffer.from(r.png).toString("base64") }));

describe("startBackgroundRenderer", () => {
  it("renders in a worker thread the same bytes as the renderer on this thread", async () => {
    const bg = startBackgroundRenderer();
    try {
      expect(bg.renderedBy).toBeUndefined();
      const viaWorker = await bg.render([loss, surface]);
      expect(bg.renderedBy).toBe("worker");
      expect(plain(viaWorker)).toEqual(plain(await renderInProcess([loss, surface])));
      // a second request to the same worker (warm) gives the same files again
      expect(plain(await bg.render([loss]))).toEqual(plain(viaWorker.slice(0, 1)));
      expect(bg.renderedBy).toBe("worker");
      expect(await bg.render([])).toEqual([]);
      // a figure that cannot be drawn fails there, then here, with the error this thread's renderer gives
      const bad = { ...loss, marks: [{ type: "nope" }] } as unknown as PlotFigure;
      const inProcess = await renderInProcess([bad]).then(() => "rendered", (e: Error) => e.message);
      expect(await bg.render([bad]).then(() => "rendered", (e: Error) => e.message)).toBe(inProcess);
      expect(bg.renderedBy).toBe("this thread");
      // and the worker still serves the next request
      expect(plain(await bg.render([surface]))).toEqual(plain(viaWorker.slice(1)));
      expect(bg.renderedBy).toBe("worker");
    } finally {
      await bg.close();
      await bg.close();
    }
  });

  it("falls back to this thread when the worker cannot start, dies, or fails a figure", async () => {
    const expected = plain(await renderInProcess([loss]));
    const spawns: (() => Worker)[] = [
      () => { throw new Error("no threads here"); },
      () => new Worker("process.exit(3)", { eval: true }),
      () => new Worker("require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); })", { eval: true }),
      () => new Worker("const p = require('node:worker_threads').parentPort; p.on('message', () => p.postMessage({ ok: false, error: 'x' }))", { eval: true }),
    ];
    for (const spawn of spawns) {
      const bg = startBackgroundRenderer(spawn);
      try {
        expect(plain(await bg.render([loss]))).toEqual(expected);
        expect(bg.renderedBy).toBe("this thread");
      } finally {
        await bg.close();
      }
    }
  });
});
