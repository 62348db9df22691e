// Worker-thread entry of trainMembers: receives the shared data once, then member specs one at a time.
import { parentPort, workerData } from "node:worker_threads";
import type { PlainData } from "./member-trainer.js";

const { trainer } = workerData as { trainer: { module: string; exportName: string } };
const mod = (await import(/* @vite-ignore */ trainer.module)) as Record<string, (spec: unknown, data: PlainData) => unknown>;
const train = mod[trainer.exportName];
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
      if (typeof train !== "function") throw new Error(`module ${trainer.module} has no function export "${trainer.exportName}"`);
      parentPort!.postMessage({ id: msg.id, result: await train(msg.spec, data!) });
    } catch (e) {
      parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
});
