import { serveTasks } from "../src/pool.ts";

// Adds the pool's shared input (sent once, before the first task) to each task's number.
let offset: number | undefined;
await serveTasks((task: { n: number }) => {
  if (offset === undefined) throw new Error("task before init");
  return task.n + offset;
}, { init: (data: { offset: number }) => { offset = data.offset; } });
