// A pool worker for local-pool.test.ts: the first time it sees a trial it ends its thread (as a
// crash would), the second time it succeeds; a marker file per trial in params.dir records the try.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Trial } from "../src/sweep/trial.ts";

export default function crashOnce(trial: Trial): { status: "ok"; result: { seed: number; attempt: number } } {
  const marker = join(String(trial.params.dir), trial.id);
  if (!existsSync(marker)) {
    writeFileSync(marker, "1");
    process.exit(7);
  }
  return { status: "ok", result: { seed: trial.seed, attempt: 2 } };
}
