import {
  Tensor, add, astype, crossEntropy, div, isFinite as isFiniteOp, maximum, mean, mse, mul, reshape, scalar, slice, square, sub,
  sum, take, where,
} from "@regularize/core-autodiff";
import type { Batch, Loss } from "@regularize/core-train";
import { TransferError, checkInt, checkRange, check as checkOption } from "./errors.js";

/** One task of a multi-task model. */
export interface TaskSpec {
  /** Name (the head's name in multiHead, the key in `labels`). */
  readonly name: string;
  /** Model output columns of this task (its head's width). */
  readonly outputs: number;
  /** Target columns of this task in the batch's y (default 1: a class label). */
  readonly targets?: number;
  /** "crossEntropy" (default; the target column holds the class as a float), "mse", or any Loss on the task's slices. */
  readonly loss?: "crossEntropy" | "mse" | Loss;
  /** Fixed weight of the task in `loss` (default 1). */
  readonly weight?: number;
}

/** A task with its resolved column ranges. */
export interface Task {
  readonly name: string;
  readonly outputs: number;
  readonly targets: number;
  readonly weight: number;
  /** First model output column. */
  readonly outputOffset: number;
  /** First target column of y. */
  readonly targetOffset: number;
  readonly loss: Loss;
}

/** What {@link multiTask} returns: the task layout, the fixed-weight loss and helpers. */
export interface MultiTask {
  readonly tasks: readonly Task[];
  /** Total model outputs Σ outputs. */
  readonly outputs: number;
  /** Total target columns Σ targets. */
  readonly targets: number;
  /** Fixed weights w_t in task order. */
  readonly weights: readonly number[];
  /** Σ_t w_t·L_t: the fixed loss weighting (pass it to fit as `loss`). */
  readonly loss: Loss;
  /** The unweighted task losses L_t (in task order) of a model output on a batch; 0 for a task without labelled rows. */
  taskLosses(pred: Tensor, batch: Batch): Tensor[];
  /** The columns of task `name` in a model output. */
  outputsOf(pred: Tensor, name: string): Tensor;
  /** A y tensor [n, targets] from per-task labels (missing tasks and NaN entries mean "no label for this row"). */
  labels(n: number, perTask: Readonly<Record<string, Tensor | ArrayLike<number>>>): Tensor;
  /** Index of task `name`. */
  indexOf(name: string): number;
}

const ceLoss: Loss = (pred, batch) => crossEntropy(pred, astype(batch.y, "int32"), { reduction: "mean" });
const mseLoss: Loss = (pred, batch) => mse(pred, batch.y);

/**
 * Multi-task learning with one shared trunk and a head per task (figure 9.12b). The model output
 * concatenates the heads ([N, Σ outputs], see multiHead), the targets y [N, Σ targets] concatenate
 * the tasks' targets; a row whose first target column of a task is NaN has no label for that task
 * (so tasks may be labelled on different examples). Each task's loss is taken over its labelled rows.
 * @example const mt = multiTask({ tasks: [{ name: "digit", outputs: 10 }, { name: "shift", outputs: 40, weight: 0.5 }] })
 */
export function multiTask(options: { readonly tasks: readonly TaskSpec[] }): MultiTask {
  const fn = "multiTask";
  checkOption.options(fn, options, { tasks: true }, { required: true });
  const specs = options.tasks;
  if (!Array.isArray(specs) || specs.length === 0) checkOption.fail(fn, "tasks", `must be a non-empty array of { name, outputs }`);
  let oo = 0, to = 0;
  const seen = new Set<string>();
  const tasks: Task[] = specs.map((s, i) => {
    if (s === null || typeof s !== "object" || typeof s.name !== "string" || s.name === "") throw new TransferError(fn, `tasks[${i}].name`, `must be a non-empty string`);
    if (seen.has(s.name)) throw new TransferError(fn, `tasks[${i}].name`, `"${s.name}" is used twice`);
    seen.add(s.name);
    const outputs = checkInt(fn, `tasks[${i}].outputs`, s.outputs, 1);
    const targets = checkInt(fn, `tasks[${i}].targets`, s.targets ?? 1, 1);
    const weight = checkRange(fn, `tasks[${i}].weight`, s.weight ?? 1, 0, Number.MAX_VALUE);
    const l = s.loss ?? "crossEntropy";
    if (l === "crossEntropy" && targets !== 1) throw new TransferError(fn, `tasks[${i}].targets`, `must be 1 for a crossEntropy task (one class column), got ${targets}`);
    const loss = l === "crossEntropy" ? ceLoss : l === "mse" ? mseLoss : l;
    if (typeof loss !== "function") throw new TransferError(fn, `tasks[${i}].loss`, `must be "crossEntropy", "mse" or a Loss function`);
    const t: Task = { name: s.name, outputs, targets, weight, outputOffset: oo, targetOffset: to, loss };
    oo += outputs;
    to += targets;
    return t;
  });
  const outputs = oo, targets = to;
  const weights = tasks.map((t) => t.weight);

  const check = (pred: Tensor, batch: Batch) => {
    if (!(pred instanceof Tensor) || pred.ndim !== 2 || pred.shape[1] !== outputs) {
      throw new TransferError(fn, "pred", `must be [N, ${outputs}] (the heads' outputs concatenated), got ${pred instanceof Tensor ? `[${pred.shape.join(", ")}]` : typeof pred}`);
    }
    const y = batch.y;
    if (y.ndim !== 2 || y.shape[1] !== targets || y.shape[0] !== pred.shape[0]) {
      throw new TransferError(fn, "batch.y", `must be [${pred.shape[0]}, ${targets}] (the tasks' targets concatenated, NaN = unlabelled), got [${y.shape.join(", ")}]`);
    }
    if (y.dtype === "int32") throw new TransferError(fn, "batch.y", `must be a float tensor (NaN marks a missing label); build it with labels()`);
  };

  // Built-in losses mask unlabelled rows with tensor ops only (no label read into JS), so a fit
  // that records its step with jit replays them correctly for every batch's pattern of labels.
  const taskLosses = (pred: Tensor, batch: Batch): Tensor[] => {
    check(pred, batch);
    const y = batch.y;
    return tasks.map((t) => {
      const p = slice(pred, [null, [t.outputOffset, t.outputOffset + t.outputs]]);
      const yt = slice(y, [null, [t.targetOffset, t.targetOffset + t.targets]]);
      if (t.loss === ceLoss || t.loss === mseLoss) {
        const first = slice(yt, [null, [0, 1]]);
        const valid = reshape(astype(isFiniteOp(first), pred.dtype), [y.shape[0]!]); // 1 labelled, 0 not
        const clean = where(isFiniteOp(yt), yt, 0);
        const per = t.loss === ceLoss
          ? crossEntropy(p, astype(reshape(clean, [y.shape[0]!]), "int32"), { reduction: "none" })
          : mean(square(sub(p, clean)), { axis: 1 });
        return div(sum(mul(per, valid)), maximum(sum(valid), 1));
      }
      // A custom loss sees the labelled rows only; selecting them reads the labels into JS, so fit
      // such a multiTask with compile: false.
      const n = y.shape[0]!;
      const yd = y.data;
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (!Number.isNaN(yd[i * targets + t.targetOffset]!)) rows.push(i);
      if (rows.length === 0) return scalar(0, pred.dtype);
      const idx = rows.length === n ? undefined : new Tensor(Int32Array.from(rows), [rows.length], "int32");
      const pr = idx ? take(p, idx, 0) : p;
      const yr = idx ? take(yt, idx, 0) : yt;
      return t.loss(pr, { x: pr, y: yr });
    });
  };

  const loss: Loss = (pred, batch) => {
    const ls = taskLosses(pred, batch);
    let total: Tensor | undefined;
    ls.forEach((l, i) => {
      const term = weights[i] === 1 ? l : mul(l, weights[i]!);
      total = total === undefined ? term : add(total, term);
    });
    return total!;
  };

  const indexOf = (name: string) => {
    const i = tasks.findIndex((t) => t.name === name);
    if (i < 0) throw new TransferError(fn, "name", `"${name}" is not a task (tasks: ${tasks.map((t) => t.name).join(", ")})`);
    return i;
  };

  return {
    tasks, outputs, targets, weights, loss, taskLosses, indexOf,
    outputsOf: (pred, name) => {
      const t = tasks[indexOf(name)]!;
      return slice(pred, [null, [t.outputOffset, t.outputOffset + t.outputs]]);
    },
    labels: (n, perTask) => {
      checkInt(fn, "n", n, 1);
      const out = new Float64Array(n * targets).fill(NaN);
      for (const [name, v] of Object.entries(perTask ?? {})) {
        const t = tasks[indexOf(name)]!;
        const data = v instanceof Tensor ? v.data : v;
        if (data.length !== n * t.targets) throw new TransferError(fn, `labels.${name}`, `must hold ${n}×${t.targets} values, got ${data.length}`);
        for (let i = 0; i < n; i++) for (let k = 0; k < t.targets; k++) out[i * targets + t.targetOffset + k] = data[i * t.targets + k]!;
      }
      return new Tensor(out, [n, targets], "float64");
    },
  };
}

/** True when every entry is finite (used to reject NaN/Inf signals). */
export function allFinite(x: Tensor): boolean {
  const d = isFiniteOp(x).data;
  for (let i = 0; i < d.length; i++) if (!d[i]) return false;
  return true;
}
