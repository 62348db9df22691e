import { runMnist1d, type Mnist1dSpec } from "./experiments/mnist1d.ts";
import { serveTasks } from "./pool.ts";

// A sweep worker: one MNIST-1D training per task (the task is the whole, seeded description).
await serveTasks((spec: Mnist1dSpec) => runMnist1d(spec));
