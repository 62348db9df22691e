// Development bootstrap: BullMQ's sandboxed worker thread loads this .mjs, which registers tsx and
// re-exports the TypeScript processor (used when the CLI runs from its sources, i.e. in tests;
// built CLIs give BullMQ dist/queue-processor.js directly).
import { register } from "tsx/esm/api";

register();
const mod = await import(new URL("./queue/processor.ts", import.meta.url).href);
export default mod.default;
