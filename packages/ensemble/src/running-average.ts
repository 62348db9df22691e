import { Tensor, type Tree, type TreeDef, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { EnsembleOptionError, requireNumber } from "./errors.js";

type Buffer = Float64Array | Float32Array;

/**
 * A parameter tree that a plugin owns and updates in place (SWA's running mean, EMA): plain typed
 * arrays in the parameters' dtype, so an update is one loop per leaf and allocates nothing.
 */
export class RunningTree {
  private def: TreeDef | undefined;
  private shapes: (readonly number[])[] = [];
  private bufs: Buffer[] = [];
  /** Number of trees folded in. */
  count = 0;

  get empty(): boolean {
    return this.def === undefined;
  }

  reset(): void {
    this.def = undefined;
    this.bufs = [];
    this.shapes = [];
    this.count = 0;
  }

  /** Start from (a copy of) `tree`. */
  set(tree: Tree, count = 1): void {
    if (!Number.isSafeInteger(count) || count < 0) throw new EnsembleOptionError("RunningTree.set", "count", `must be a non-negative integer, got ${String(count)}`);
    const [leaves, def] = treeFlatten(tree);
    this.def = def;
    this.shapes = leaves.map((l) => [...l.shape]);
    this.bufs = leaves.map((l) => (l.dtype === "float32" ? Float32Array.from(l.data) : Float64Array.from(l.data)));
    this.count = count;
  }

  private leavesOf(fn: string, tree: Tree): Tensor[] {
    const leaves = treeFlatten(tree)[0];
    if (leaves.length !== this.bufs.length || leaves.some((l, j) => l.size !== this.bufs[j]!.length)) {
      throw new EnsembleOptionError(fn, "params", "changed structure or shape during the fit");
    }
    return leaves;
  }

  /** Running mean: avg ← avg + (p − avg)/(n + 1) (torch.optim.swa_utils' update), or a copy when empty. */
  addToMean(fn: string, tree: Tree): void {
    if (this.empty) return this.set(tree);
    const leaves = this.leavesOf(fn, tree), n1 = this.count + 1;
    for (let j = 0; j < leaves.length; j++) {
      const a = this.bufs[j]!, p = leaves[j]!.data;
      for (let k = 0; k < a.length; k++) a[k] = a[k]! + (p[k]! - a[k]!) / n1;
    }
    this.count = n1;
  }

  /** Exponential moving average: avg ← δ·avg + (1 − δ)·p, or a copy when empty. */
  addToEma(fn: string, tree: Tree, decay: number): void {
    // checked on every call, the first one included (it only stores the tree): a bad decay made every later average NaN
    requireNumber(fn, "decay", decay, 0, 1);
    if (this.empty) return this.set(tree);
    const leaves = this.leavesOf(fn, tree), c = 1 - decay;
    for (let j = 0; j < leaves.length; j++) {
      const a = this.bufs[j]!, p = leaves[j]!.data;
      for (let k = 0; k < a.length; k++) a[k] = decay * a[k]! + c * p[k]!;
    }
    this.count++;
  }

  /** A snapshot as a fresh tree of tensors (later updates do not change it), or undefined when empty. */
  tree(): Tree | undefined {
    if (this.def === undefined) return undefined;
    return treeUnflatten(this.def, this.bufs.map((b, j) => new Tensor(b.slice(), this.shapes[j]!, b instanceof Float32Array ? "float32" : "float64")));
  }

  /** JSON-serialisable (with serializeState) state. */
  save(): { tree: Tree | null; count: number } {
    return { tree: this.tree() ?? null, count: this.count };
  }

  load(fn: string, state: unknown): void {
    const s = state as { tree?: Tree | null; count?: number } | null;
    if (s === null || typeof s !== "object" || typeof s.count !== "number") throw new EnsembleOptionError(fn, "state", "is not a saved running average");
    if (s.tree === null || s.tree === undefined) this.reset();
    else this.set(s.tree, s.count);
  }
}

/** A fresh copy of a parameter tree (for snapshots that outlive the run's buffers). */
export function cloneTree(tree: Tree): Tree {
  const [leaves, def] = treeFlatten(tree);
  return treeUnflatten(def, leaves.map((l) => new Tensor(l.data.slice(), [...l.shape], l.dtype)));
}
