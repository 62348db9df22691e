// Development bootstrap: lets a worker thread (a piscina pool's, the background plot renderer's) run a
// TypeScript module through tsx (used when the CLI runs from its sources, i.e. in tests; built CLIs
// start dist/<entry>.js directly).
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const mod = await import(workerData.tsEntry);
export default mod.default;
