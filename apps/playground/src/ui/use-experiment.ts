import { useEffect, useRef, useState } from "preact/hooks";
import type { FromWorker, ToWorker, WorkerProgress } from "../worker-protocol.js";

export type RunStatus = "idle" | "running" | "done" | "cancelled" | "error";

export interface ExperimentState<R, P = unknown> {
  readonly status: RunStatus;
  readonly progress: WorkerProgress | null;
  /**
   * The result to draw: the finished run's result for the current settings, or null. While a new run
   * computes, the previous result stays (with `stale` set) so the page does not flash.
   */
  readonly result: R | null;
  /** The last partial result the running (or cancelled) run reported, if the experiment reports any. */
  readonly partial: P | null;
  /** The shown result belongs to other settings than the controls show (a run for the new ones is under way). */
  readonly stale: boolean;
  readonly error: string | null;
  /** Wall-clock time of the last completed run, in ms (measured inside the worker). */
  readonly ms: number | null;
  /** Training steps/s (live while running; the run's average once done), when the experiment reports steps. */
  readonly stepsPerSec: number | null;
  /** Increments every time a run starts (lets tests wait for "the next run"). */
  readonly runId: number;
  cancel(): void;
  rerun(): void;
}

type Inner<R, P> = Omit<ExperimentState<R, P>, "cancel" | "rerun" | "stale"> & { readonly resultKey: string | null; readonly runKey: string | null };

function makeWorker(): Worker {
  return new Worker(new URL("../worker.ts", import.meta.url), { type: "module", name: "experiments" });
}

/**
 * Runs a registry experiment in a dedicated Web Worker whenever its params change (debounced).
 * Cancel stops the run and keeps what it computed (its last partial result); if the worker does not
 * answer promptly (a long synchronous step) it is terminated and replaced.
 */
export function useExperiment<R, P = unknown>(
  experiment: string, params: object, options: { debounceMs?: number; auto?: boolean } = {},
): ExperimentState<R, P> {
  const debounceMs = options.debounceMs ?? 200;
  const auto = options.auto ?? true;
  const key = JSON.stringify(params);
  const [state, setState] = useState<Inner<R, P>>({
    status: "idle", progress: null, result: null, partial: null, error: null, ms: null, stepsPerSec: null, runId: 0,
    resultKey: null, runKey: null,
  });
  const workerRef = useRef<Worker | null>(null);
  const idRef = useRef(0);
  const killTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const paramsRef = useRef(params);
  paramsRef.current = params;

  const attach = (w: Worker) => {
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.id !== idRef.current) return; // stale run
      if (m.type === "progress") {
        setState((s) => ({
          ...s, status: "running", progress: m.progress,
          partial: m.progress.partial !== undefined ? (m.progress.partial as P) : s.partial,
          stepsPerSec: m.progress.stepsPerSec ?? s.stepsPerSec,
        }));
      } else if (m.type === "done") {
        setState((s) => ({
          ...s, status: "done", progress: null, result: m.result as R, resultKey: s.runKey, partial: null, error: null, ms: m.ms,
          stepsPerSec: m.stepsPerSec ?? null,
        }));
      } else if (m.type === "cancelled") {
        if (killTimer.current) clearTimeout(killTimer.current);
        setState((s) => cancelled(s));
      } else {
        setState((s) => ({ ...s, status: "error", progress: null, error: `${m.name}: ${m.message}` }));
      }
    };
    w.onerror = (e) => {
      e.preventDefault();
      setState((s) => ({ ...s, status: "error", progress: null, error: e.message || "the worker failed to start" }));
    };
  };
  // A cancelled run keeps its partial result; a result of other settings is not shown as if current.
  const cancelled = (s: Inner<R, P>): Inner<R, P> => ({
    ...s, status: "cancelled", progress: s.progress,
    result: s.resultKey === s.runKey ? s.result : null, resultKey: s.resultKey === s.runKey ? s.resultKey : null,
  });
  const worker = (): Worker => {
    if (!workerRef.current) {
      workerRef.current = makeWorker();
      attach(workerRef.current);
    }
    return workerRef.current;
  };
  const start = () => {
    const id = ++idRef.current;
    const runKey = JSON.stringify(paramsRef.current);
    setState((s) => ({
      ...s, status: "running", progress: { fraction: 0, message: "starting" }, partial: null, error: null, stepsPerSec: null,
      runId: s.runId + 1, runKey,
    }));
    const msg: ToWorker = { type: "run", id, experiment, params: paramsRef.current };
    worker().postMessage(msg);
  };
  const cancel = () => {
    const w = workerRef.current;
    if (!w) return;
    const id = idRef.current;
    w.postMessage({ type: "cancel", id } satisfies ToWorker);
    if (killTimer.current) clearTimeout(killTimer.current);
    killTimer.current = setTimeout(() => {
      // the worker is stuck in a long synchronous step: terminate it; a fresh one starts next run
      if (idRef.current !== id || workerRef.current !== w) return;
      w.terminate();
      workerRef.current = null;
      idRef.current++;
      setState((s) => cancelled(s));
    }, 400);
  };

  useEffect(() => {
    if (!auto) return;
    const t = setTimeout(start, debounceMs);
    return () => clearTimeout(t);
  }, [key, auto]);

  useEffect(() => () => {
    if (killTimer.current) clearTimeout(killTimer.current);
    workerRef.current?.terminate();
    workerRef.current = null;
  }, []);

  const { resultKey, runKey: _runKey, ...rest } = state;
  return { ...rest, stale: state.result !== null && resultKey !== key, cancel, rerun: start };
}
