import { serveTasks } from "../src/pool.ts";
import { tensor, sum, square } from "@regularize/core-autodiff";

// A tiny seeded task: the result depends only on the descriptor.
await serveTasks((task: { n: number }) => sum(square(tensor(Array.from({ length: task.n }, (_, i) => i)))).item());
