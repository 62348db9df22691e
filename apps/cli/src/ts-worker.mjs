// Development bootstrap: lets a worker thread run a TypeScript module through tsx (used when the
// pool is given a .ts worker, i.e. in tests and `tsx` runs; built CLIs use dist/worker.js).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.tsEntry);
