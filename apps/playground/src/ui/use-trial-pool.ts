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
    let next = 0, finished = 0;
    const n = Math.max(1, Math.min(options.maxWorkers ?? 2, navigator.hardwareConcurrency || 2, list.length));
    const rates = new Map<Worker, number>();
    const feed = (w: Worker) => {
      if (g !== gen.current) return;
      if (next >= list.length) {
        w.terminate();
        if (finished === list.length) { setStatus("done"); setMs(performance.now() - t0); }
        return;
      }
      const i = next++;
      w.onmessage = (e: MessageEvent<FromWorker>) => {
        if (g !== gen.current) return;
        const m = e.data;
        if (m.type === "progress") {
          setFractions((f) => ({ ...f, [i]: m.progress.fraction }));
          if (m.progress.stepsPerSec !== undefined) { rates.set(w, m.progress.stepsPerSec); setRate([...rates.values()].reduce((a, b) => a + b, 0)); }
        } else if (m.type === "done" || m.type === "error" || m.type === "cancelled") {
          finished++;
          setFractions((f) => ({ ...f, [i]: 1 }));
          if (m.type === "done") setDone((d) => [...d, { params: list[i]!.params, index: i, result: m.result as R }]);
          else if (m.type === "error") setFailed((f) => [...f, `${JSON.stringify(list[i])}: ${m.name}: ${m.message}`]);
          feed(w);
        }
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
