import { useEffect, useRef, useState } from "preact/hooks";
import type { ExperimentName, ParamsOf, ResultOf } from "../experiments/registry.js";
import type { Progress } from "../experiments/run.js";
import type { FromWorker, ToWorker } from "../worker-protocol.js";

export type RunStatus = "idle" | "running" | "done" | "cancelled" | "error";

export interface ExperimentState<K extends ExperimentName> {
  readonly status: RunStatus;
  readonly progress: Progress | null;
  readonly result: ResultOf<K> | null;
  readonly error: string | null;
  /** Wall-clock time of the last completed run, in ms (measured inside the worker). */
  readonly ms: number | null;
  /** Increments every time a run starts (lets tests wait for "the next run"). */
  readonly runId: number;
  cancel(): void;
  rerun(): void;
}

function makeWorker(): Worker {
  return new Worker(new URL("../worker.ts", import.meta.url), { type: "module" });
}

/**
 * Runs an experiment in a dedicated Web Worker whenever its params change (debounced), keeping the
 * previous result on screen while the new one computes. Cancel stops the run; if the worker does
 * not answer promptly (a long synchronous step) it is terminated and replaced.
 */
export function useExperiment<K extends ExperimentName>(
  name: K, params: ParamsOf<K>, options: { debounceMs?: number; auto?: boolean } = {},
): ExperimentState<K> {
  const debounceMs = options.debounceMs ?? 200;
  const auto = options.auto ?? true;
  const key = JSON.stringify(params);
  const [state, setState] = useState<Omit<ExperimentState<K>, "cancel" | "rerun">>({
    status: "idle", progress: null, result: null, error: null, ms: null, runId: 0,
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
      if (m.type === "progress") setState((s) => ({ ...s, status: "running", progress: m.progress }));
      else if (m.type === "done") setState((s) => ({ ...s, status: "done", progress: null, result: m.result as ResultOf<K>, error: null, ms: m.ms }));
      else if (m.type === "cancelled") {
        if (killTimer.current) clearTimeout(killTimer.current);
        setState((s) => ({ ...s, status: "cancelled", progress: null }));
      } else setState((s) => ({ ...s, status: "error", progress: null, error: m.message }));
    };
    w.onerror = (e) => {
      e.preventDefault();
      setState((s) => ({ ...s, status: "error", progress: null, error: e.message || "worker failed" }));
    };
  };
  const worker = (): Worker => {
    if (!workerRef.current) {
      workerRef.current = makeWorker();
      attach(workerRef.current);
    }
    return workerRef.current;
  };
  const start = () => {
    const id = ++idRef.current;
    setState((s) => ({ ...s, status: "running", progress: { fraction: 0, message: "starting" }, error: null, runId: s.runId + 1 }));
    const msg: ToWorker = { type: "run", id, name, params: paramsRef.current };
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
      setState((s) => ({ ...s, status: "cancelled", progress: null }));
    }, 400);
  };

  useEffect(() => {
    if (!auto) return;
    const t = setTimeout(start, debounceMs);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, auto]);

  useEffect(() => () => {
    if (killTimer.current) clearTimeout(killTimer.current);
    workerRef.current?.terminate();
    workerRef.current = null;
  }, []);

  return { ...state, cancel, rerun: start };
}
