import { useEffect, useRef, useState } from "preact/hooks";
import type { FromWorker, PluginChoice, ToWorker } from "../worker-protocol.js";
import type { ExperimentState, RunStatus } from "./use-experiment.js";

export interface TrialOutcome<R> {
  readonly params: Readonly<Record<string, unknown>>;
  /** Position of the trial in the list given to the pool. */
  readonly index: number;
  readonly result: R;
}

function makeWorker(): Worker {
  return new Worker(new URL("../worker.ts", import.meta.url), { type: "module", name: "experiments" });
}

/**
 * Runs a grid of trials of one registry experiment on a small pool of Web Workers (one per core, at
 * most `maxWorkers`), restarting when the trial list changes. Finished trials are kept on Cancel;
 * the returned state fits RunBar (partial = the trials finished so far).
 */
/** A trial: its params, and catalog plugins for entries that accept them. */
export interface Trial { readonly params: Readonly<Record<string, unknown>>; readonly plugins?: readonly PluginChoice[] }

export function useTrialPool<R>(experiment: string, trials: readonly (Readonly<Record<string, unknown>> | Trial)[], options: { maxWorkers?: number; debounceMs?: number } = {}):
  ExperimentState<readonly TrialOutcome<R>[], readonly TrialOutcome<R>[]> & { readonly total: number; readonly failed: readonly string[] } {
  const key = JSON.stringify(trials);
  const [done, setDone] = useState<TrialOutcome<R>[]>([]);
  const [status, setStatus] = useState<RunStatus>("idle");
  const [failed, setFailed] = useState<string[]>([]);
  const [ms, setMs] = useState<number | null>(null);
  const [runId, setRunId] = useState(0);
  const [fractions, setFractions] = useState<Record<number, number>>({});
  const [rate, setRate] = useState<number | null>(null);
  const workers = useRef<Worker[]>([]);
  const gen = useRef(0);

  const stopAll = () => { for (const w of workers.current) w.terminate(); workers.current = []; };

  const start = () => {
    stopAll();
    const g = ++gen.current;
    const list = (JSON.parse(key) as (Record<string, unknown> | Trial)[]).map((t) => ("params" in t && typeof t.params === "object" ? t as Trial : { params: t as Record<string, unknown> }));
    const t0 = performance.now();
    setDone([]); setFailed([]); setFractions({}); setRate(null); setMs(null); setStatus("running"); setRunId((r) => r + 1);
    let next = 0, finished = 0, failures = 0;
    const n = Math.max(1, Math.min(options.maxWorkers ?? 2, navigator.hardwareConcurrency || 2, list.length));
    const rates = new Map<Worker, number>();
    const feed = (w: Worker) => {
      if (g !== gen.current) return;
      if (next >= list.length) {
        w.terminate();
        // every trial failed: an error (the reasons are in `failed`); some did: done, with the failures listed
        if (finished === list.length) { setStatus(failures === list.length ? "error" : "done"); setMs(performance.now() - t0); }
        return;
      }
      const i = next++;
      const finish = (failure?: string, nextWorker = w) => {
        finished++;
        setFractions((f) => ({ ...f, [i]: 1 }));
        if (failure !== undefined) { failures++; setFailed((f) => [...f, `${JSON.stringify(list[i])}: ${failure}`]); }
        feed(nextWorker);
      };
      w.onmessage = (e: MessageEvent<FromWorker>) => {
        if (g !== gen.current) return;
        const m = e.data;
        const setWorkerRate = (r: number | undefined) => { if (r !== undefined) { rates.set(w, r); setRate([...rates.values()].reduce((a, b) => a + b, 0)); } };
        if (m.type === "progress") {
          setFractions((f) => ({ ...f, [i]: m.progress.fraction }));
          setWorkerRate(m.progress.stepsPerSec);
        } else if (m.type === "done") {
          setWorkerRate(m.stepsPerSec); // the run's average replaces the last 1-s window
          setDone((d) => [...d, { params: list[i]!.params, index: i, result: m.result as R }]);
          finish();
        } else if (m.type === "error") finish(`${m.name}: ${m.message}`);
        else finish("cancelled");
      };
      // the worker script failed to load or threw outside a run: the trial failed; a fresh worker takes the next one
      w.onerror = (e) => {
        e.preventDefault();
        if (g !== gen.current) return;
        w.terminate();
        const fresh = makeWorker();
        workers.current = workers.current.map((x) => (x === w ? fresh : x));
        finish(e.message || "the worker failed to start", fresh);
      };
      w.postMessage({ type: "run", id: i, experiment, params: list[i]!.params, ...(list[i]!.plugins ? { plugins: list[i]!.plugins } : {}) } satisfies ToWorker);
    };
    workers.current = Array.from({ length: n }, makeWorker);
    for (const w of workers.current) feed(w);
    if (list.length === 0) setStatus("done");
  };
  const cancel = () => {
    gen.current++;
    stopAll();
    setStatus("cancelled");
  };

  useEffect(() => {
    const t = setTimeout(start, options.debounceMs ?? 300);
    return () => clearTimeout(t);
  }, [key]);
  useEffect(() => () => { gen.current++; stopAll(); }, []);

  const total = trials.length;
  const fraction = total === 0 ? 1 : Object.values(fractions).reduce((a, b) => a + b, 0) / total;
  return {
    status, progress: status === "running" || status === "cancelled" ? { fraction, message: `${done.length} of ${total} trainings done` } : null,
    result: status === "done" ? done : null, partial: done, stale: false, error: failed.length ? `${failed.length} trial(s) failed` : null,
    ms, stepsPerSec: rate, runId, cancel, rerun: start, total, failed,
  };
}
