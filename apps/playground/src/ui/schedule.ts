// One heavy main-thread job (a plot build) per macrotask: a page with many plots never runs them all in
// one long task, and input events get in between.
const queue: (() => void)[] = [];
let posted = false;
const channel = typeof MessageChannel !== "undefined" ? new MessageChannel() : null;

function drain(): void {
  posted = false;
  const t0 = performance.now();
  // run jobs until ~12 ms have passed, then give the browser a turn
  while (queue.length > 0) {
    queue.shift()!();
    if (performance.now() - t0 > 12) break;
  }
  if (queue.length > 0) post();
}

function post(): void {
  if (posted) return;
  posted = true;
  if (channel) channel.port2.postMessage(null);
  else setTimeout(drain, 0);
}
if (channel) channel.port1.onmessage = drain;

/** Run `job` in a later task (FIFO). */
export function schedule(job: () => void): void {
  queue.push(job);
  post();
}

declare global {
  interface Window {
    /** ms after navigation start when the first figure was drawn (read by the e2e tests). */
    __firstFrame?: number;
  }
}

/** Records the first drawn figure of this page load. */
export function markFirstFrame(): void {
  if (window.__firstFrame !== undefined) return;
  window.__firstFrame = performance.now();
  performance.mark("first-frame");
}
