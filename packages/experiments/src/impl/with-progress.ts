import type { Progress } from "../experiment.js";

/**
 * Adapts a promise-based computation that reports progress through a callback (core-train's `fit`
 * with `onProgress`) to an async experiment generator yielding every report as it arrives. When the
 * consumer stops early (`return()` on abort), the finally block waits for the computation to settle,
 * so a fit that saves its checkpoint on abort has saved it before the run rejects.
 */
export async function* withProgress<R>(start: (report: (p: Progress) => void) => Promise<R>): AsyncGenerator<Progress, R, void> {
  const queue: Progress[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  const report = (p: Progress) => {
    queue.push(p);
    wake?.();
  };
  const done = start(report).finally(() => {
    finished = true;
    wake?.();
  });
  done.catch(() => undefined); // surfaced by the await below
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (finished) return await done;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
    }
  } finally {
    if (!finished) await done.catch(() => undefined);
  }
}

/** The error an entry throws when its fit stopped on the signal (runExperiment maps it to ExperimentAbortedError). */
export function abortError(): Error {
  return new DOMException("cancelled", "AbortError");
}
