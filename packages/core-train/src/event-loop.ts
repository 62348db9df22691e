/** @internal Let the event loop run (a Worker's cancel message, a UI repaint) without the 4 ms clamp of nested setTimeout. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === "function") return new Promise((r) => g.setImmediate!(r));
  if (typeof MessageChannel === "function") {
    return new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        ch.port1.close();
        r();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((r) => setTimeout(r, 0));
}

/** @internal Milliseconds since an arbitrary origin (performance.now when present). */
export function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}
