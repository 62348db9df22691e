import type { Progress } from "./experiments/run.js";
import type { ExperimentName } from "./experiments/registry.js";

export type ToWorker =
  | { readonly type: "run"; readonly id: number; readonly name: ExperimentName; readonly params: unknown }
  | { readonly type: "cancel"; readonly id: number };

export type FromWorker =
  | { readonly type: "progress"; readonly id: number; readonly progress: Progress }
  | { readonly type: "done"; readonly id: number; readonly result: unknown; readonly ms: number }
  | { readonly type: "cancelled"; readonly id: number }
  | { readonly type: "error"; readonly id: number; readonly message: string };
