import * as v from "valibot";
import { defineExperiment } from "../experiment.js";

/**
 * Diagnostic entry for load tests of the sweep queue: waits `ms` milliseconds and returns `{ seed }`.
 * `fail` makes the trial fail on purpose, so sweeps' failure paths can be checked end to end:
 * "throw" throws, "nan" returns a non-finite number (what a diverging training returns), "exit"
 * ends the thread or process that runs it (a crashing worker).
 */
export const queueSelftest = defineExperiment({
  id: "queue-selftest",
  title: "Queue self-test",
  reproduces: "(diagnostic: no figure)",
  description: "Waits ms milliseconds and returns { seed }; used to load-test sweeps on the local pool and on Redis/BullMQ. fail=throw|nan|exit fails on purpose.",
  params: v.object({
    ms: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(60_000)), 0),
    seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2 ** 32 - 1)), 0),
    fail: v.optional(v.picklist(["none", "throw", "nan", "exit"]), "none"),
  }),
  load: async () =>
    async function* run(p: { ms: number; seed: number; fail: "none" | "throw" | "nan" | "exit" }, ctx) {
      if (p.ms > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, p.ms);
          ctx.signal.addEventListener("abort", () => { clearTimeout(t); resolve(); }, { once: true });
        });
      }
      if (p.fail === "throw") throw new Error(`queue-selftest: failing on purpose (seed ${p.seed})`);
      if (p.fail === "exit") process.exit(3);
      yield { fraction: 1 };
      return p.fail === "nan" ? { seed: p.seed, loss: Number.NaN } : { seed: p.seed };
    },
});
