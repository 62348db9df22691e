// Development bootstrap: lets a piscina worker thread run a TypeScript module through tsx (used when
// the CLI runs from its sources, i.e. in tests; built CLIs use dist/pool-worker.js directly).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const mod = await import(workerData.tsEntry);
export default mod.default;
