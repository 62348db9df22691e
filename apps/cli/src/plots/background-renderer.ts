/**
 * The plot renderer off the critical path: `regularize run` starts a worker thread at launch that
 * loads Observable Plot and resvg (plot-worker.ts) on another core while the experiment runs,
 * so writing the plots afterwards costs only their drawing. Any failure of the worker (it cannot
 * start, crashes, or a figure throws there) falls back to rendering on this thread, which gives the
 * same files or the same error as before.
 */
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { PlotFigure } from "@regularize/experiments";
import { entryFile } from "../entry-files.ts";
import type { PlotReply, PlotRequest } from "./plot-worker.ts";

/** One figure drawn: plots/<name>.svg and plots/<name>.png. */
export interface RenderedFigure {
  readonly name: string;
  readonly svg: string;
  readonly png: Uint8Array;
}

/** Something that turns figures into SVG + PNG. */
export interface PlotRenderer {
  render(figures: readonly PlotFigure[]): Promise<RenderedFigure[]>;
  /** Which thread drew the last figures (undefined before the first render). */
  readonly renderedBy?: "worker" | "this thread" | undefined;
  /** Stop the worker, if any (idempotent; resolves once it has exited, and never rejects). */
  close(): Promise<void>;
  /** Resolves once the worker's thread runs (its V8 isolate exists), or at once without a worker, or when it failed to start. */
  readonly started?: Promise<void>;
}

/** Render on this thread (loads the renderer on first use). */
export async function renderInProcess(figures: readonly PlotFigure[]): Promise<RenderedFigure[]> {
  if (figures.length === 0) return [];
  const { renderFigure } = await import("./render.ts");
  return figures.map((f) => renderFigure(f));
}

/** The renderer on this thread, as a PlotRenderer. */
export const inProcessRenderer: PlotRenderer = { render: renderInProcess, renderedBy: "this thread", close: async () => {}, started: Promise.resolve() };

// A worker is a second V8 heap beside the training's: a small young generation keeps its peak RSS
// lower for a few more scavenges on the idle core.
const LIMITS = { maxYoungGenerationSizeMb: 8 };

function spawnWorker(): Worker {
  const file = entryFile("plots/plot-worker.ts", "plot-worker.js");
  if (!file.endsWith(".ts")) return new Worker(file, { resourceLimits: LIMITS });
  // from the sources (tests): the worker runs the TypeScript entry through tsx, on the packages' sources
  return new Worker(entryFile("ts-worker.mjs", "ts-worker.mjs"), {
    workerData: { tsEntry: pathToFileURL(file).href }, execArgv: ["--conditions=source"], resourceLimits: LIMITS,
  });
}

/**
 * Start the background renderer now (call it at launch, before the long computation). `spawn` is for
 * tests (a worker that fails); the default is the CLI's plot worker.
 */
export function startBackgroundRenderer(spawn: () => Worker = spawnWorker): PlotRenderer {
  let worker: Worker | undefined;
  let broken: Error | undefined;
  let started = Promise.resolve();
  try {
    const w = worker = spawn();
    // never what keeps the process alive: ref'd only while a reply is awaited
    w.unref();
    w.on("error", (err) => { broken = err; });
    w.on("exit", () => { broken ??= new Error("plot worker exited"); });
    started = new Promise((resolve) => { w.once("online", resolve).once("error", () => resolve()).once("exit", () => resolve()); });
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
  }
  const close = async (): Promise<void> => {
    const w = worker;
    worker = undefined;
    if (w) await w.terminate().catch(() => undefined);
  };
  const viaWorker = (w: Worker, figures: readonly PlotFigure[]): Promise<RenderedFigure[] | undefined> =>
    new Promise((resolve) => {
      const done = (r: RenderedFigure[] | undefined) => {
        w.off("message", onMessage).off("error", onFail).off("exit", onFail);
        w.unref();
        resolve(r);
      };
      const onMessage = (reply: PlotReply) => done(reply.ok ? reply.rendered : undefined);
      const onFail = () => done(undefined);
      w.on("message", onMessage).on("error", onFail).on("exit", onFail);
      w.ref();
      w.postMessage({ figures } satisfies PlotRequest);
    });
  let renderedBy: PlotRenderer["renderedBy"];
  return {
    async render(figures) {
      if (figures.length === 0) return [];
      const w = worker;
      const viaThread = w && !broken ? await viaWorker(w, figures) : undefined;
      renderedBy = viaThread ? "worker" : "this thread";
      // the worker could not do it: this thread renders (the same files, or the same error as before)
      return viaThread ?? await renderInProcess(figures);
    },
    get renderedBy() { return renderedBy; },
    close,
    started,
  };
}
