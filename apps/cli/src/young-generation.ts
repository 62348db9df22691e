import { setFlagsFromString } from "node:v8";

/**
 * Stop V8 growing the young generation of this process's isolates past its present size (a few MB
 * after start-up). A training allocates one short-lived typed array per tensor op: with the default
 * growth (up to 2 × 16 MB semi-spaces) a scavenge frees them only after ~16 MB of them, so ~30 MB of
 * young heap plus their malloc'd backing stores sit in RSS, and the external-memory pressure of the
 * late frees triggers a mark-compact every ~100 steps. Small semi-spaces free them sooner: peak RSS of
 * `regularize mnist1d` ~25 MB lower, ~8× more scavenges but ~8× fewer mark-compacts, the same GC time.
 * V8 reads this flag when the young generation would grow; creating an isolate (a worker thread)
 * resets it to 2, so call this after the workers have started. A V8 that ignored the run-time change
 * would only give back the default's memory use (young-generation.test.ts checks this one holds).
 */
export function holdYoungGeneration(): void {
  setFlagsFromString("--semi-space-growth-factor=1");
}
