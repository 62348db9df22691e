import * as v from "valibot";
import { defineExperiment } from "../experiment.js";

/** Diagnostic entry for load tests of the sweep queue: waits `ms` milliseconds and returns `{ seed }`. */
export const queueSelftest = defineExperiment({
  id: "queue-selftest",
  title: "Queue self-test",
  reproduces: "(diagnostic: no figure)",
  description: "Waits ms milliseconds and returns { seed }; used to load-test sweeps on the local pool and on Redis/BullMQ.",
  params: v.object({
    ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000)), 0),
    seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)), 0),
  }),
  load: async () =>
    async function* run(p: { ms: number; seed: number }, ctx) {
      if (p.ms > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, p.ms);
          ctx.signal.addEventListener("abort", () => { clearTimeout(t); resolve(); }, { once: true });
        });
      }
      yield { fraction: 1 };
      return { seed: p.seed };
    },
});
