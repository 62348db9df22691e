import { type PRNGKey, Tensor, concat, foldInString, randint, take } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { TransferError, check, checkMultiTask } from "./errors.js";
import type { MultiTask } from "./multi-task.js";
import { type Pretext, checkSignals } from "./pretext.js";
import { describeValue } from "@regularize/core-train";

/** Options of {@link auxiliaryTask}. */
export interface AuxiliaryTaskOptions {
  /** The tasks; `task` names the one the pretext labels. */
  readonly multiTask: MultiTask;
  readonly task: string;
  /** Makes the auxiliary inputs and labels (its targets must fill the task's target columns). */
  readonly pretext: Pretext;
  /** Unlabelled signals [M, L] the auxiliary rows are drawn from (default: the batch's own signals). */
  readonly pool?: Tensor;
  /** Auxiliary rows appended to each batch (default: the batch size). */
  readonly batchSize?: number;
  /** Plugin name (default "auxiliary:<task>"). */
  readonly name?: string;
}

/**
 * Multi-task learning with a self-supervised auxiliary task (figure 9.12b): every batch gets extra
 * rows made by `pretext` from signals drawn (with the plugin's per-step key) from `pool`, labelled
 * only for `task` (NaN for the other tasks), while the batch's own rows keep their labels with the
 * auxiliary task unlabelled. Fit's loss is `multiTask.loss` (or a weighting plugin over it).
 * @example auxiliaryTask({ multiTask: mt, task: "shift", pretext: shiftPrediction({ length: 40 }), pool: unlabelled, batchSize: 50 })
 */
export function auxiliaryTask(options: AuxiliaryTaskOptions): Plugin {
  const task = (options as Partial<AuxiliaryTaskOptions> | null)?.task;
  const name = check.plugin(`auxiliary:${String(task)}`, options, { multiTask: true, task: true, pretext: true, pool: true, batchSize: true, name: true });
  const mt = options.multiTask;
  checkMultiTask(name, mt);
  const known = typeof task === "string" && mt.tasks.some((k) => k.name === task) ? task : check.fail(name, "task", `${describeValue(task)} is not a task of multiTask (tasks: ${mt.tasks.map((k) => k.name).join(", ")})`);
  const t = mt.tasks[mt.indexOf(known)]!;
  const pre = options.pretext;
  if (pre === null || typeof pre !== "object" || typeof pre.make !== "function") check.fail(name, "pretext", `must be a Pretext`);
  if (pre.outputs !== t.outputs) check.fail(name, "pretext", `has ${pre.outputs} outputs but task "${t.name}" has ${t.outputs}`);
  if (options.pool !== undefined && !(options.pool instanceof Tensor)) check.fail(name, "pool", `must be a Tensor [B, L] of signals, got ${describeValue(options.pool)}`);
  const pool = options.pool === undefined ? undefined : checkSignals(name, "pool", options.pool);
  const bs = options.batchSize === undefined ? undefined : check.integer(name, "batchSize", options.batchSize, 1);
  return {
    name,
    beforeBatch: (batch, ctx) => {
      const key: PRNGKey = ctx.key;
      const B = bs ?? batch.x.shape[0]!;
      const src = pool === undefined
        ? take(batch.x, randint(foldInString(key, "rows"), [B], 0, batch.x.shape[0]!), 0)
        : take(pool, randint(foldInString(key, "rows"), [B], 0, pool.shape[0]!), 0);
      const aux = pre.make(src, foldInString(key, "pretext"));
      const yd = aux.y.data;
      if (yd.length !== B * t.targets) throw new TransferError(name, "pretext", `made ${yd.length} target values for ${B} rows × ${t.targets} columns`);
      const y = new Float64Array(B * mt.targets).fill(NaN);
      for (let i = 0; i < B; i++) for (let k = 0; k < t.targets; k++) y[i * mt.targets + t.targetOffset + k] = yd[i * t.targets + k]!;
      const by = batch.y;
      if (by.ndim !== 2 || by.shape[1] !== mt.targets) throw new TransferError(name, "batch.y", `must be [B, ${mt.targets}] (multiTask.labels), got [${by.shape.join(", ")}]`);
      const yAux = new Tensor(by.dtype === "float32" ? Float32Array.from(y) : y, [B, mt.targets], by.dtype);
      return { x: concat([batch.x, aux.x], 0), y: concat([by, yAux], 0) };
    },
  };
}
