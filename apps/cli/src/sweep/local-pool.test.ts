import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, runLocalPool } from "./local-pool.ts";
import { buildSpec, planTrials } from "./plan.ts";
import { runTrial } from "./run-trial.ts";
import { type Trial, type TrialOutcome, makeTrial } from "./trial.ts";

async function pool(trials: readonly Trial[], workers: number, workerFile?: string): Promise<Map<string, TrialOutcome>> {
  const got = new Map<string, TrialOutcome>();
  await runLocalPool(trials, { workers, onOutcome: (t, o) => { expect(got.has(t.id)).toBe(false); got.set(t.id, o); }, ...(workerFile ? { workerFile } : {}) });
  return got;
}

describe("local pool (piscina over worker threads)", () => {
  it("gives each trial's outcome once, identical to a serial run, failures included", async () => {
    const trials = planTrials(buildSpec("queue-selftest", { grid: ["ms=0,3", "fail=none,nan,throw"], seeds: 2 }));
    const two = await pool(trials, 2);
    expect(two.size).toBe(trials.length);
    for (const t of trials) expect(two.get(t.id)).toStrictEqual(await runTrial(t));
    expect([...two.values()].filter((o) => o.status === "failed")).toHaveLength(8);
  });

  it("runs a trial again when its thread dies, and fails it with every error after MAX_ATTEMPTS", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pool-crash-"));
    const flaky = fileURLToPath(new URL("../../test/crash-once-worker.ts", import.meta.url));
    // crash-once-worker exits its thread the first time it sees a trial (a marker file per trial), then succeeds
    const trials = [0, 1, 2].map((s) => makeTrial("queue-selftest", { ms: 0, seed: s, fail: "none", dir } as Record<string, unknown>, s));
    const got = await pool(trials, 2, flaky);
    for (const t of trials) expect(got.get(t.id)).toStrictEqual({ status: "ok", result: { seed: t.seed, attempt: 2 } });
    // a trial that kills its thread every time is failed once, with all its errors
    const deadly = planTrials(buildSpec("queue-selftest", { grid: ["fail=exit,none"] }));
    const out = await pool(deadly, 2);
    const bad = out.get(deadly[0]!.id)!;
    expect(bad.status).toBe("failed");
    expect((bad as { error: string }).error.match(/attempt \d: /g)).toHaveLength(MAX_ATTEMPTS);
    expect(out.get(deadly[1]!.id)).toStrictEqual({ status: "ok", result: { seed: 0 } });
  });
});
