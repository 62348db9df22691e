/**
 * Node's side of the `playground` figure: one run of the registry's `mnist1d` entry (fit(), the
 * compiled path by default) with the configuration the playground's lab runs, in a fresh process as
 * the lab runs each training in a fresh Web Worker. Steps/s measured as the worker measures them
 * (apps/playground/src/worker.ts): from the first progress report with a step count to the last.
 * A second run in the same process gives the warm figure. Prints one JSON line.
 *   tsx --conditions=source src/playground-node.ts '{"params":{…},"plugins":[…]}'
 */
import { type PluginChoice, runExperiment } from "@regularize/experiments";

const { params, plugins } = JSON.parse(process.argv[2] ?? "{}") as { params: Record<string, unknown>; plugins: PluginChoice[] };
const notices: string[] = [];
const warn = console.warn;
console.warn = (...a: unknown[]) => { notices.push(a.map(String).join(" ")); }; // fit's one-time fallback notice
/** One run of the entry; steps/s from the first to the last progress report with a step count. */
async function once(): Promise<number> {
  let first: { t: number; step: number } | undefined, last: { t: number; step: number } | undefined;
  await runExperiment("mnist1d", params, {
    plugins,
    onProgress: (p) => {
      const step = p.metrics?.step;
      if (step === undefined) return;
      const now = performance.now();
      first ??= { t: now, step };
      last = { t: now, step };
    },
  });
  return first && last && last.step > first.step ? (1000 * (last.step - first.step)) / (last.t - first.t) : NaN;
}
const t0 = performance.now();
const stepsPerSec = await once(); // cold, as the lab's fresh worker
const ms = performance.now() - t0;
const warmStepsPerSec = await once(); // the same again in the same process (V8 warmed up, data cached)
console.warn = warn;
process.stdout.write(JSON.stringify({ stepsPerSec, warmStepsPerSec, ms, notices }) + "\n");
