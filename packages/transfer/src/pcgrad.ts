import { PRNGKey, Tensor, type Tree, add, foldIn, permutation, pureCallback, stopGradient, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import type { Plugin } from "@regularize/core-train";
import { TransferError, check, checkMultiTask } from "./errors.js";
import type { MultiTask } from "./multi-task.js";
import { linearSurrogate, replaceDataLoss, taskGradients, weightedSum } from "./task-objective.js";

function flat(fn: string, trees: readonly Tree[]): { vecs: Float64Array[]; leaves: Tensor[]; def: ReturnType<typeof treeFlatten>[1] } {
  if (!Array.isArray(trees) || trees.length === 0) throw new TransferError(fn, "grads", `must be a non-empty array of gradient trees`);
  const [leaves0, def] = treeFlatten(trees[0]!);
  const size = leaves0.reduce((s, l) => s + l.size, 0);
  const vecs = trees.map((t, i) => {
    const ls = treeFlatten(t)[0];
    if (ls.length !== leaves0.length || ls.some((l, j) => l.size !== leaves0[j]!.size)) throw new TransferError(fn, `grads[${i}]`, `must have the structure and shapes of grads[0]`);
    const v = new Float64Array(size);
    let o = 0;
    for (const l of ls) {
      const d = l.data;
      for (let k = 0; k < d.length; k++) {
        const x = d[k]!;
        if (!Number.isFinite(x)) throw new TransferError(fn, `grads[${i}]`, `holds a non-finite value (${x})`);
        v[o++] = x;
      }
    }
    return v;
  });
  return { vecs, leaves: leaves0, def };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Project `gi` off `gj` when they conflict (gi·gj < 0): gi − (gi·gj / ‖gj‖²)·gj; else `gi` unchanged.
 * The result is orthogonal to gj in the conflicting case (Yu et al. 2020, eq. 1).
 */
export function projectConflicting(gi: Tree, gj: Tree): Tree {
  const { vecs, leaves, def } = flat("projectConflicting", [gi, gj]);
  const [a, b] = vecs as [Float64Array, Float64Array];
  const d = dot(a, b);
  if (!(d < 0)) return gi;
  const c = d / dot(b, b);
  for (let k = 0; k < a.length; k++) a[k] = a[k]! - c * b[k]!;
  return unflat(a, leaves, def);
}

function unflat(v: Float64Array, leaves: readonly Tensor[], def: ReturnType<typeof treeFlatten>[1]): Tree {
  let o = 0;
  const out = leaves.map((l) => {
    const d = l.dtype === "float32" ? new Float32Array(l.size) : new Float64Array(l.size);
    for (let k = 0; k < d.length; k++) d[k] = v[o++]!;
    return new Tensor(d, l.shape, l.dtype);
  });
  return treeUnflatten(def, out);
}

/** Options of {@link pcgrad}'s combination. */
export interface PcgradCombineOptions {
  /** Draws, per task, the random order of the other tasks (PCGrad's shuffle); default: index order. */
  readonly key?: PRNGKey;
}

/**
 * PCGrad's gradient surgery (Yu et al. 2020): for every task i, project g_i successively off each
 * other task's *original* gradient g_j it conflicts with (g_i·g_j < 0), in a random order of j; return
 * Σ_i g_i^PC. Non-conflicting gradients pass unchanged, so the result is then Σ_i g_i. Computed in float64.
 */
export function pcgradCombine(grads: readonly Tree[], options: PcgradCombineOptions = {}): Tree {
  check.options("pcgradCombine", options, { key: true });
  if (options.key !== undefined && !(options.key instanceof PRNGKey)) throw new TransferError("pcgradCombine", "key", "must be a PRNGKey");
  const { vecs, leaves, def } = flat("pcgradCombine", grads);
  const key = options.key;
  return unflat(surgery(vecs, (i) => (key === undefined ? null : permutation(foldIn(key, i), vecs.length - 1).data)), leaves, def);
}

/** Σ_i g_i^PC of the task vectors (float64); `orderOf(i)` permutes the other tasks (null: index order). */
function surgery(vecs: readonly Float64Array[], orderOf: (i: number) => ArrayLike<number> | null): Float64Array {
  const T = vecs.length;
  const norms = vecs.map((g) => dot(g, g));
  const total = new Float64Array(vecs[0]!.length);
  for (let i = 0; i < T; i++) {
    const gi = Float64Array.from(vecs[i]!);
    const others = Array.from({ length: T }, (_, j) => j).filter((j) => j !== i);
    const perm = orderOf(i);
    const order = perm === null ? others : Array.from(perm, (k) => others[k]!);
    for (const j of order) {
      const gj = vecs[j]!;
      const d = dot(gi, gj);
      if (d < 0 && norms[j]! > 0) {
        const c = d / norms[j]!;
        for (let k = 0; k < gi.length; k++) gi[k] = gi[k]! - c * gj[k]!;
      }
    }
    for (let k = 0; k < gi.length; k++) total[k] = total[k]! + gi[k]!;
  }
  return total;
}

/**
 * pcgradCombine with the task orders drawn from `key`, as kernels: the surgery runs in a callback on
 * the gradients' values (and the drawn orders), so a compiled step replays it on each step's gradients.
 * Same operations in the same order as pcgradCombine: the same bits.
 */
function pcgradCombineTraced(grads: readonly Tree[], key: PRNGKey): Tree {
  const [leaves0, def] = treeFlatten(grads[0]!);
  const L = leaves0.length, T = grads.length;
  const size = leaves0.reduce((s, l) => s + l.size, 0);
  const all = grads.flatMap((g) => treeFlatten(g)[0]);
  const perms = grads.map((_, i) => permutation(foldIn(key, i), T - 1));
  const total = pureCallback((out, ...arrs) => {
    const vecs = Array.from({ length: T }, (_, t) => {
      const v = new Float64Array(size);
      let o = 0;
      for (let j = 0; j < L; j++) {
        const d = arrs[t * L + j]!;
        for (let k = 0; k < d.length; k++) {
          const x = d[k]!;
          if (!Number.isFinite(x)) throw new TransferError("pcgradCombine", `grads[${t}]`, `holds a non-finite value (${x})`);
          v[o++] = x;
        }
      }
      return v;
    });
    out.set(surgery(vecs, (i) => arrs[T * L + i]!));
  }, [...all, ...perms], [size], "float64");
  let off = 0;
  const out = leaves0.map((l) => {
    const o0 = off;
    off += l.size;
    return pureCallback((o, t) => { for (let k = 0; k < o.length; k++) o[k] = t[o0 + k]!; }, [total], l.shape, l.dtype);
  });
  return treeUnflatten(def, out);
}

/** Options of the {@link pcgrad} plugin. */
export interface PcgradOptions {
  /** The tasks (fit's `loss` must be `multiTask.loss`); their fixed weights scale the task gradients. */
  readonly multiTask: MultiTask;
  /** Plugin name (default "pcgrad"). */
  readonly name?: string;
}

/**
 * Gradient surgery as a plugin: the step's gradient of the multi-task data loss becomes
 * `pcgradCombine` of the per-task gradients (w_t·∇L_t), with a fresh task order per step from the
 * plugin's key; penalties and other plugins' objective terms keep their own gradients. Implemented
 * as an objective wrapper whose value is unchanged and whose gradient carries the surgery
 * (Σ g^PC·(φ − sg φ)), so it needs no change to fit.
 * @example fit({ model, data, loss: mt.loss, plugins: [pcgrad({ multiTask: mt })], optimizer, epochs: 10 })
 */
export function pcgrad(options: PcgradOptions): Plugin {
  const name = check.plugin("pcgrad", options, { multiTask: true, name: true });
  const mt = options.multiTask;
  checkMultiTask(name, mt);
  return {
    name,
    objective: (inner, ctx) => {
      let g: Tree | undefined;
      return replaceDataLoss(mt, inner, ctx, (params, losses) => {
        // The surgery is computed once per step, at the step's parameters; later calls reuse it.
        // It runs in callbacks on the gradients' values: a compiled step replays it every step.
        g ??= pcgradCombineTraced(taskGradients(mt, ctx, params, mt.weights), ctx.key);
        return add(stopGradient(weightedSum(losses, mt.weights)), linearSurrogate(params, g));
      });
    },
  };
}

