import type { SandboxedJob } from "bullmq";
import { TrialPayloadError, validateTrialPayload } from "../sweep/payload.ts";
import { runTrial } from "../sweep/run-trial.ts";
import type { TrialOutcome } from "../sweep/trial.ts";
import { MAX_RESULT_BYTES } from "./settings.ts";

/** BullMQ's marker for "moved back to wait" (matched by name, as sandboxed errors cross a thread). */
class WaitingError extends Error {
  constructor() {
    super("handed back to the queue");
    this.name = "WaitingError";
  }
}

/**
 * The sandboxed processor of `regularize worker` (runs in a worker thread, so a CPU-bound trial
 * never stalls the main thread's lock renewal). The job's data is untrusted: it is validated against
 * the registry before anything runs, and a bad payload is a `failed` trial, not a crash. When the
 * worker is told to hand its trials back (a second SIGTERM/SIGINT), the trial is moved back to wait.
 */
export default async function processTrial(job: SandboxedJob, token?: string, signal?: AbortSignal): Promise<TrialOutcome> {
  let trial;
  try {
    trial = validateTrialPayload(job.data);
  } catch (err) {
    if (err instanceof TrialPayloadError) return { status: "failed", error: `invalid payload: ${err.message}` };
    throw err;
  }
  try {
    const outcome = await runTrial(trial, signal);
    if (outcome.status === "ok") {
      const size = JSON.stringify(outcome.result).length;
      if (size > MAX_RESULT_BYTES) return { status: "failed", error: `result too large (${size} bytes > ${MAX_RESULT_BYTES})` };
    }
    return outcome;
  } catch (err) {
    if (signal?.aborted) {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    throw err;
  }
}
