import { type PRNGKey, Tensor, type Tree, foldInString, treeFlatten, treeUnflatten } from "@regularize/core-autodiff";
import { type Mask, type Transformation, resolveMask } from "@regularize/optim";
import { describeValue } from "@regularize/core-train";
import { TransferError } from "./errors.js";

/** A transform that never moves its parameters (see {@link frozen}). */
export const FROZEN = "frozen" as const;

/** One parameter group: the tensors its mask selects, and the transform (optimizer) that updates them, or "frozen". */
export interface ParamGroup {
  /** optim's Mask: a MaskTree, a predicate (leaf, path) → boolean, or "weights". See {@link under}. */
  readonly mask: Mask;
  readonly transform: Transformation<unknown> | typeof FROZEN;
}

/** State of {@link paramGroups}: each group's inner state by name (frozen groups keep none). */
export type ParamGroupsState = Readonly<Record<string, unknown>>;

/** A mask predicate selecting the subtree at a dotted path such as "trunk" or "trunk.layers[0]". */
export function under(prefix: string): (leaf: Tensor, path: string) => boolean {
  if (typeof prefix !== "string") throw new TransferError("under", "prefix", `must be a path string, got ${typeof prefix}`);
  return (_leaf, path) => {
    // a mask is called as (leaf, path); a missing path would fail in startsWith with a TypeError
    if (typeof path !== "string") throw new TransferError("under", "path", `must be the leaf's path string (the mask is called as (leaf, path)), got ${describeValue(path)}`);
    return prefix === "" || path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
  };
}

// −0 is the additive identity of IEEE 754 for every value including ±0 and NaN, so p + (−0)
// returns p's exact bits: frozen parameters stay bit-identical (with +0, −0 + 0 would become +0).
function negativeZeros(u: Tensor): Tensor {
  const d = u.dtype === "float32" ? new Float32Array(u.size) : new Float64Array(u.size);
  d.fill(-0);
  return new Tensor(d, u.shape, u.dtype);
}

/**
 * Partition the parameters into named groups, each updated by its own transform: per-group learning
 * rates (a pretrained trunk with a small one, a new head with a large one) or frozen groups (optax's
 * `multi_transform`). A tensor belongs to the first group (in `groups` order) whose mask selects it,
 * else to `rest`. Each inner transform sees only its group's tensors (in leaf order), so its state
 * (momentum, Adam moments) covers only them: a frozen tensor has no optimizer state to drift.
 * @example paramGroups({ trunk: { mask: under("trunk"), transform: sgd({ learningRate: 1e-3 }) } }, sgd({ learningRate: 1e-2 }))
 */
export function paramGroups(groups: Readonly<Record<string, ParamGroup>>, rest?: Transformation<unknown> | typeof FROZEN): Transformation<ParamGroupsState> {
  const fn = "paramGroups";
  if (groups === null || typeof groups !== "object") throw new TransferError(fn, "groups", `must be a record of { mask, transform }`);
  const names = Object.keys(groups);
  if (names.includes("rest")) throw new TransferError(fn, "groups", `may not use the reserved name "rest"`);
  const checkT = (arg: string, t: unknown) => {
    if (t === FROZEN) return;
    const tt = t as Partial<Transformation> | undefined;
    if (!tt || typeof tt.init !== "function" || typeof tt.update !== "function") throw new TransferError(fn, arg, `must be a transformation { init, update } or "frozen"`);
  };
  for (const n of names) {
    const g = groups[n];
    if (g === null || typeof g !== "object" || g.mask === undefined) throw new TransferError(fn, `groups.${n}`, `must be { mask, transform }`);
    checkT(`groups.${n}.transform`, g.transform);
  }
  if (rest !== undefined) checkT("rest", rest);
  const all = [...names, "rest"];
  const transformOf = (g: string) => (g === "rest" ? rest : groups[g]!.transform);

  /** The group index (into `all`) of every leaf. */
  const labels = (tree: Tree): number[] => {
    const masks = names.map((n) => resolveMask(`${fn}(${n})`, groups[n]!.mask, tree));
    const n = masks[0]?.length ?? treeFlatten(tree)[0].length;
    return Array.from({ length: n }, (_, j) => {
      const g = masks.findIndex((m) => m[j]);
      if (g >= 0) return g;
      if (rest === undefined) throw new TransferError(fn, "rest", `is needed: parameter #${j} belongs to no group`);
      return names.length;
    });
  };

  const checkState = (method: string, state: unknown) => {
    if (state === null || typeof state !== "object" || Array.isArray(state)) throw new TransferError(fn, "state", `${method}: must be what init returned (an object by group), got ${describeValue(state)}`);
    for (const g of all) {
      const t = transformOf(g);
      if (t !== undefined && t !== FROZEN && !Object.hasOwn(state, g)) throw new TransferError(fn, "state", `${method}: lacks the state of group "${g}" (another transform's state?)`);
    }
  };
  const out: Transformation<ParamGroupsState> = {
    init(params) {
      const lab = labels(params);
      const leaves = treeFlatten(params)[0];
      const state: Record<string, unknown> = {};
      all.forEach((g, gi) => {
        const t = transformOf(g);
        if (t === undefined || t === FROZEN) return;
        state[g] = t.init(leaves.filter((_, j) => lab[j] === gi));
      });
      return state;
    },
    update<T extends Tree>(updates: T, state: ParamGroupsState, params?: Tree, step?: number, key?: PRNGKey): [T, ParamGroupsState] {
      checkState("update", state);
      const [ul, def] = treeFlatten(updates);
      const lab = labels(params ?? updates);
      if (lab.length !== ul.length) throw new TransferError(fn, "updates", `have ${ul.length} tensors but params have ${lab.length}`);
      const pl = params === undefined ? undefined : treeFlatten(params)[0];
      const merged = new Array<Tensor>(ul.length);
      const next: Record<string, unknown> = {};
      all.forEach((g, gi) => {
        const idx: number[] = [];
        lab.forEach((l, j) => { if (l === gi) idx.push(j); });
        const t = transformOf(g);
        if (t === undefined) return;
        if (t === FROZEN) {
          for (const j of idx) merged[j] = negativeZeros(ul[j]!);
          return;
        }
        if (!Object.hasOwn(state, g)) throw new TransferError(fn, "state", `lacks the state of group "${g}" (made by init for other parameters?)`);
        const [u, s] = t.update(idx.map((j) => ul[j]!), state[g], pl && idx.map((j) => pl[j]!), step, key && foldInString(key, g));
        const uLeaves = treeFlatten(u)[0];
        idx.forEach((j, k) => { merged[j] = uLeaves[k]!; });
        next[g] = s;
      });
      return [treeUnflatten<T>(def, merged), next];
    },
    hyperparams(state, step) {
      checkState("hyperparams", state);
      const h: Record<string, number> = {};
      all.forEach((g) => {
        const t = transformOf(g);
        if (t === undefined || t === FROZEN || !t.hyperparams || !Object.hasOwn(state, g)) return;
        for (const [k, v] of Object.entries(t.hyperparams(state[g], step))) h[g === "rest" ? k : `${g}.${k}`] = v;
      });
      return h;
    },
  };
  return out;
}

/**
 * Freeze the tensors `mask` selects (their updates are −0, so they stay bit-identical and carry no
 * optimizer state); the others are updated by `optimizer`.
 * @example freeze(adam({ learningRate: 1e-3 }), under("trunk")) // train the new head only (linear probe)
 */
export function freeze(optimizer: Transformation<unknown>, mask: Mask): Transformation<ParamGroupsState> {
  const o = optimizer as Partial<Transformation<unknown>> | null | undefined;
  if (typeof o?.init !== "function" || typeof o.update !== "function") throw new TransferError("freeze", "optimizer", `must be a transformation { init, update } (the optimizer of the unfrozen tensors), got ${describeValue(optimizer)}`);
  if (mask === undefined) throw new TransferError("freeze", "mask", `is required (e.g. under("trunk"))`);
  return paramGroups({ frozen: { mask, transform: FROZEN } }, optimizer);
}
