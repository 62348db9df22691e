/** BullMQ queue of sweep trials (one queue for every sweep: a trial's id is its content hash). */
export const QUEUE_NAME = "trials";
/** Redis key prefix of everything regularize stores. */
export const QUEUE_PREFIX = "regularize";

/**
 * Lock and stalled-check timing. A worker that dies holding a trial (SIGKILL, power loss) stops
 * renewing its lock; the lock expires after at most LOCK_DURATION_MS and the next stalled check
 * (every STALLED_INTERVAL_MS, run by every live worker) hands the trial back to the queue: a dead
 * worker's trial is picked up again within LOCK_DURATION_MS + STALLED_INTERVAL_MS = 30 s (plus the
 * time until a worker is free). Locks are renewed every LOCK_DURATION_MS / 2 by the worker's main
 * thread, which stays idle because trials run in sandboxed worker threads.
 */
export const LOCK_DURATION_MS = 20_000;
export const STALLED_INTERVAL_MS = 10_000;
/** A trial whose worker died this many times is failed (a trial that kills its worker must not loop). */
export const MAX_STALLED_COUNT = 2;
/** Tries of a trial whose processor crashed, with exponential backoff from BACKOFF_MS. */
export const ATTEMPTS = 3;
export const BACKOFF_MS = 1000;
/** Largest result a worker may hand back (JSON bytes); a bigger one is a failed trial. */
export const MAX_RESULT_BYTES = 16 * 1024 * 1024;
