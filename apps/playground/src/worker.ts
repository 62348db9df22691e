/// <reference lib="webworker" />
// Runs experiments off the main thread. Between steps it posts throttled progress (with steps/s when
// the experiment reports metrics.step) and, every ~25 ms, yields to the event loop so that "cancel"
// (or a newer "run") is seen.
import { loadRun } from "./experiment-source.js";
import type { FromWorker, PluginChoice, ToWorker, WorkerProgress } from "./worker-protocol.js";

declare const self: DedicatedWorkerGlobalScope;

interface Token { id: number; cancelled: boolean; abort: AbortController }
let active: Token | null = null;

const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
/** A macrotask turn without setTimeout's clamping. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

function post(msg: FromWorker): void {
  self.postMessage(msg);
}

/** Steps per second over a sliding window of ~1 s, from (time, step) samples. */
class RateMeter {
  private samples: [number, number][] = [];
  add(t: number, step: number): number | undefined {
    this.samples.push([t, step]);
    while (this.samples.length > 2 && t - this.samples[1]![0] > 1000) this.samples.shift();
    const [t0, s0] = this.samples[0]!;
    return t - t0 > 50 && step > s0 ? (1000 * (step - s0)) / (t - t0) : undefined;
  }
}

async function run(id: number, experiment: string, params: unknown, plugins: readonly PluginChoice[] = []): Promise<void> {
  const token: Token = { id, cancelled: false, abort: new AbortController() };
  if (active) cancel(active);
  active = token;
  const t0 = performance.now();
  const rate = new RateMeter();
  // Steps done since the first report with a step count. An entry may train several models one after
  // another, each counting from 0 (notebook 9.5, the baselines): a step below the previous one starts a new fit.
  let lastRate: number | undefined, prevStep: number | undefined, stepsDone = 0, tFirst = t0, tLast = t0;
  let lastYield = t0, lastPost = 0;
  let unposted: WorkerProgress | null = null;
  // Cancel keeps what was computed: the latest progress (and its partial result) goes out first.
  const flush = () => { if (unposted) post({ type: "progress", id, progress: unposted }); unposted = null; };
  const stopped = async (gen: { return: (v: never) => unknown }) => {
    await gen.return(undefined as never);
    flush();
    post({ type: "cancelled", id, ms: performance.now() - t0 });
  };
  try {
    const factory = await loadRun(experiment, plugins);
    await nextTurn(); // let a burst of queued messages settle first
    if (token.cancelled) { post({ type: "cancelled", id, ms: 0 }); return; }
    const gen = factory(params, { signal: token.abort.signal });
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        const overall = stepsDone > 0 && tLast > tFirst ? (1000 * stepsDone) / (tLast - tFirst) : undefined;
        post({ type: "done", id, result: r.value, ms: performance.now() - t0, ...(overall !== undefined ? { stepsPerSec: overall } : {}) });
        break;
      }
      if (token.cancelled) { await stopped(gen); return; }
      const now = performance.now();
      const p = r.value as WorkerProgress;
      const step = p.metrics?.step;
      if (step !== undefined) {
        if (prevStep === undefined) tFirst = now;
        else stepsDone += step >= prevStep ? step - prevStep : step;
        prevStep = step; tLast = now;
        lastRate = rate.add(now, stepsDone) ?? lastRate;
      }
      unposted = { ...p, ...(lastRate !== undefined ? { stepsPerSec: lastRate } : {}) };
      if (now - lastPost > 80) {
        flush();
        lastPost = now;
      }
      if (now - lastYield > 25) {
        await nextTurn();
        lastYield = performance.now();
        if (token.cancelled) { await stopped(gen); return; }
      }
    }
  } catch (err) {
    if (token.cancelled) { flush(); post({ type: "cancelled", id, ms: performance.now() - t0 }); }
    else post({ type: "error", id, name: err instanceof Error ? err.name : "Error", message: err instanceof Error ? err.message : String(err) });
  } finally {
    if (active === token) active = null;
  }
}

function cancel(t: Token): void {
  t.cancelled = true;
  t.abort.abort();
}

self.onmessage = (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.type === "run") void run(msg.id, msg.experiment, msg.params, msg.plugins);
  else if (msg.type === "cancel" && active?.id === msg.id) cancel(active);
};
