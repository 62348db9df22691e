import { type FitOptions, type FitResult, fit } from "@regularize/core-train";
import type { Progress } from "../experiment.js";

/**
 * Runs `fit` and re-yields its progress as experiment Progress, mapped onto [from, to] of the whole
 * run (fit is async and yields to the event loop, so its callbacks interleave with this loop).
 */
export async function* fitWithProgress<O extends FitOptions>(
  options: O,
  from: number,
  to: number,
  label: string,
): AsyncGenerator<Progress, FitResult, void> {
  const pending: Progress[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const run = fit({
    ...options,
    onProgress: (p) => {
      pending.push({
        fraction: from + (to - from) * (p.fraction ?? 0),
        message: `${label}: epoch ${p.epoch}, step ${p.step}`,
        metrics: { step: p.step, loss: p.loss },
      });
      wake?.();
    },
  });
  run.then(
    () => { done = true; wake?.(); },
    () => { done = true; wake?.(); },
  );
  while (!done) {
    if (pending.length === 0) await new Promise<void>((resolve) => { wake = resolve; });
    wake = undefined;
    const last = pending.splice(0).at(-1);
    if (last !== undefined) yield last;
  }
  return await run;
}
