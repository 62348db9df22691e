// Worker-thread entry of trainMembers: receives the shared data once, then member specs one at a time.
import { parentPort, workerData } from "node:worker_threads";
import type { PlainData } from "./member-trainer.js";

type Train = (spec: unknown, data: PlainData) => unknown;
const { trainer } = workerData as { trainer: { module: string; exportName: string } };
// no top-level await: the CJS build cannot hold one
const train: Promise<Train> = import(/* @vite-ignore */ trainer.module).then((mod: Record<string, unknown>) => {
  const f = mod[trainer.exportName];
  if (typeof f !== "function") throw new Error(`module ${trainer.module} has no function export "${trainer.exportName}"`);
  return f as Train;
});
let data: PlainData | undefined;
// Messages are handled one at a time in arrival order: the data message always precedes the first spec.
let chain: Promise<void> = Promise.resolve();
parentPort!.on("message", (msg: { data: PlainData } | { id: number; spec: unknown }) => {
  chain = chain.then(async () => {
    if ("data" in msg) {
      data = msg.data;
      return;
    }
    try {
      parentPort!.postMessage({ id: msg.id, result: await (await train)(msg.spec, data!) });
    } catch (e) {
      parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
});
