import { serveTasks } from "../src/pool.ts";

await serveTasks((task: { n: number }) => {
  if (task.n === 3) throw new Error(`bad task ${task.n}`);
  return task.n;
});
