// Development bootstrap: a worker thread runs the TypeScript worker module through tsx (tests, tsx
// runs). Built packages start dist/member-worker.js directly.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.tsEntry);
