import fc from "fast-check";

// A pinned seed in CI keeps property tests reproducible; locally FC_SEED replays a failure.
const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : process.env.CI ? 20261125 : undefined;
const numRuns = process.env.FC_NUM_RUNS !== undefined ? Number(process.env.FC_NUM_RUNS) : undefined;
fc.configureGlobal({
  ...(seed !== undefined ? { seed } : {}),
  ...(numRuns !== undefined ? { numRuns } : {}),
});
