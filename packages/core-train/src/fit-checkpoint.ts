import { PRNGKey, Tensor, type Tree, treeFlatten, treeMap } from "@regularize/core-autodiff";
import { StateError } from "./errors.js";
import type { ResolvedFitOptions } from "./fit-options.js";
import type { PluginHooks } from "./plugin-dispatch.js";
import type { Plugin } from "./plugin.js";
import { checkTrainState } from "./serialize-state.js";
import type { EpochAccumulator, TrainState } from "./train-state.js";
import { leafPaths } from "./tree-paths.js";

/** @internal Where a run stands: what a TrainState holds besides the plugins' own states. */
export interface RunPosition {
  readonly params: Tree;
  readonly opt: unknown;
  readonly tStates: readonly unknown[];
  /** Plugins' step states (undefined for plugins without `stepState`). */
  readonly sStates: readonly unknown[];
  readonly step: number;
  readonly epoch: number;
  readonly batchInEpoch: number;
  readonly inEpoch: boolean;
  readonly acc: EpochAccumulator;
  readonly root: PRNGKey;
}

/**
 * @internal A resumable TrainState of the run as it is now. `copy` copies every tensor (a compiled
 * run donates its buffers to the next step, so a checkpoint handed to user code must own its own).
 */
export function snapshot(o: ResolvedFitOptions<Tree>, hooks: PluginHooks, pos: RunPosition, copy: boolean): TrainState {
  const transforms: Record<string, unknown> = {};
  const plugins: Record<string, unknown> = {};
  const stepStates: Record<string, unknown> = {};
  o.plugins.forEach((p, i) => {
    if (p.transform) transforms[p.name] = copy ? copyValue(pos.tStates[i]) : pos.tStates[i];
    if (p.stepState) stepStates[p.name] = copy ? copyValue(pos.sStates[i]) : pos.sStates[i];
    if (p.saveState) plugins[p.name] = hooks.call(i, "saveState", () => p.saveState!());
  });
  return {
    version: 1,
    params: copy ? (copyValue(pos.params) as Tree) : pos.params,
    optimizer: copy ? copyValue(pos.opt) : pos.opt,
    transforms, plugins, ...(Object.keys(stepStates).length > 0 ? { stepStates } : {}),
    step: pos.step, epoch: pos.epoch, batchInEpoch: pos.batchInEpoch, inEpoch: pos.inEpoch,
    epochStats: { ...pos.acc }, key: [pos.root.k0, pos.root.k1],
    data: { n: o.n, batchSize: o.batchSize, shuffle: o.shuffle, dropLast: o.dropLast },
  };
}

/** Tensors copied, everything else as is (plain arrays and objects rebuilt). */
function copyValue(v: unknown): unknown {
  if (v instanceof Tensor) return new Tensor(v.data.slice(), v.shape, v.dtype);
  if (v instanceof PRNGKey) return new PRNGKey(v.data.slice());
  if (Array.isArray(v)) return v.map(copyValue);
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) out[k] = copyValue(e);
    return out;
  }
  return v;
}

/** @internal A deep copy of a parameter tree. */
export function copyTree(t: Tree): Tree {
  return treeMap((l) => new Tensor(l.data.slice(), l.shape, l.dtype), t);
}

/** @internal Give every plugin with loadState its saved state (after beforeFit). */
export function loadPluginStates(hooks: PluginHooks, state: TrainState): void {
  hooks.plugins.forEach((p, i) => {
    if (!p.loadState || !Object.hasOwn(state.plugins, p.name)) return;
    hooks.call(i, "loadState", () => p.loadState!(state.plugins[p.name]));
  });
}

/** @internal The root key of a saved state. */
export function keyFromWords(w: readonly [number, number]): PRNGKey {
  return new PRNGKey(w[0] >>> 0, w[1] >>> 0);
}

/** @internal Validate a TrainState against the run's options before any work. */
export function checkState(state: TrainState, o: ResolvedFitOptions<Tree>): void {
  if (state === null || typeof state !== "object" || state.version !== 1) throw new StateError(`initialState is not a TrainState of version 1`);
  checkTrainState(state, "initialState");
  const d = state.data;
  const midEpoch = state.inEpoch && state.batchInEpoch > 0;
  if (midEpoch && (d.n !== o.n || d.batchSize !== o.batchSize || d.shuffle !== o.shuffle || d.dropLast !== o.dropLast)) {
    throw new StateError(`initialState stopped mid-epoch with n=${d.n}, batchSize=${d.batchSize}, shuffle=${d.shuffle}, dropLast=${d.dropLast}; resume with the same data and batching (now n=${o.n}, batchSize=${o.batchSize}, shuffle=${o.shuffle}, dropLast=${o.dropLast})`);
  }
  const what = { transforms: ["transform", "a transform"], plugins: ["plugin", "saveState"], stepStates: ["step", "stepState"] } as const;
  const want = (kind: "transforms" | "plugins" | "stepStates", has: (p: Plugin) => boolean) => {
    const saved = Object.keys(state[kind] ?? {}).sort();
    const now = o.plugins.filter(has).map((p) => p.name).sort();
    if (saved.join("\u0000") !== now.join("\u0000")) {
      throw new StateError(`initialState holds ${what[kind][0]} state for [${saved.join(", ")}] but this run's plugins with ${what[kind][1]} are [${now.join(", ")}]`);
    }
  };
  want("transforms", (p) => p.transform !== undefined);
  want("plugins", (p) => p.saveState !== undefined);
  want("stepStates", (p) => p.stepState !== undefined);
}

/** @internal A resumed state's parameters must have the model's structure and shapes (dtypes may differ: params can be cast). */
export function checkStateParams(state: TrainState, fresh: Tree): void {
  const paths = leafPaths(fresh);
  const want = treeFlatten(fresh)[0];
  let got: Tensor[];
  try {
    got = treeFlatten(state.params)[0];
  } catch {
    throw new StateError(`initialState.params: not a tree of tensors`);
  }
  if (got.length !== want.length) throw new StateError(`initialState.params: ${got.length} tensors, but the model has ${want.length} (${paths.join(", ")})`);
  want.forEach((w, j) => {
    const g = got[j]!;
    if (g.shape.length !== w.shape.length || g.shape.some((d, i) => d !== w.shape[i])) {
      throw new StateError(`initialState.params ${paths[j]}: shape [${g.shape.join(", ")}], the model's is [${w.shape.join(", ")}]`);
    }
  });
}
