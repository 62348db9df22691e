import { primeMnist1dData, runMnist1d, type Mnist1dData, type Mnist1dSpec } from "./experiments/mnist1d.ts";
import { serveTasks } from "./pool.ts";

// A sweep worker: one MNIST-1D training per task (the task is the whole, seeded description); the
// datasets arrive once from the parent (init) rather than being regenerated in every worker.
await serveTasks((spec: Mnist1dSpec) => runMnist1d(spec), { init: (data: [string, Mnist1dData][]) => primeMnist1dData(data) });
