/** A catalog plugin by name with its options (the registry's PluginChoice). */
export interface PluginChoice { readonly name: string; readonly options?: Readonly<Record<string, unknown>> }

/** A progress report as the worker forwards it (the registry's Progress plus a measured rate). */
export interface WorkerProgress {
  readonly fraction: number;
  readonly message?: string;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly partial?: unknown;
  /** Training steps per second over the last second, when the experiment reports `metrics.step`. */
  readonly stepsPerSec?: number;
}

export type ToWorker =
  | { readonly type: "run"; readonly id: number; readonly experiment: string; readonly params: unknown; readonly plugins?: readonly PluginChoice[] }
  | { readonly type: "cancel"; readonly id: number };

export type FromWorker =
  | { readonly type: "progress"; readonly id: number; readonly progress: WorkerProgress }
  | { readonly type: "done"; readonly id: number; readonly result: unknown; readonly ms: number; readonly stepsPerSec?: number }
  | { readonly type: "cancelled"; readonly id: number; readonly ms: number }
  | { readonly type: "error"; readonly id: number; readonly name: string; readonly message: string };
