/// <reference lib="webworker" />
// Runs the experiment generators off the main thread. Between steps it posts throttled progress
// and, every ~25 ms, yields to the event loop so that "cancel" (or a newer "run") is seen.
import { type AnyExperiment, EXPERIMENTS, type ExperimentName } from "./experiments/registry.js";
import type { Progress } from "./experiments/run.js";
import type { FromWorker, ToWorker } from "./worker-protocol.js";

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

async function run(id: number, name: ExperimentName, params: unknown): Promise<void> {
  const token: Token = { id, cancelled: false, abort: new AbortController() };
  if (active) cancel(active);
  active = token;
  const t0 = performance.now();
  const factory = EXPERIMENTS[name] as AnyExperiment;
  let lastYield = t0, lastPost = 0;
  try {
    await nextTurn(); // let a burst of queued messages settle first
    if (token.cancelled) { post({ type: "cancelled", id }); return; }
    const gen = factory(params, { signal: token.abort.signal });
    for (;;) {
      const r = await gen.next();
      if (r.done) {
        post({ type: "done", id, result: r.value, ms: performance.now() - t0 });
        break;
      }
      if (token.cancelled) {
        await gen.return(undefined as never);
        post({ type: "cancelled", id });
        return;
      }
      const now = performance.now();
      const p: Progress = r.value;
      if (now - lastPost > 80) {
        post({ type: "progress", id, progress: p });
        lastPost = now;
      }
      if (now - lastYield > 25) {
        await nextTurn();
        lastYield = performance.now();
        if (token.cancelled) {
          await gen.return(undefined as never);
          post({ type: "cancelled", id });
          return;
        }
      }
    }
  } catch (err) {
    post({ type: "error", id, message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
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
  if (msg.type === "run") void run(msg.id, msg.name, msg.params);
  else if (msg.type === "cancel" && active?.id === msg.id) cancel(active);
};
