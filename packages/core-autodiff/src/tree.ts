import { hasTensorBrand } from "./brand.js";
import { DualPackageError, ShapeError, ValueError } from "./errors.js";
import { guardRead } from "./kernel-trace.js";
import { add, mul, sub, square } from "./ops/elementwise.js";
import { sum } from "./ops/reduce.js";
import { Tensor } from "./tensor.js";
import { zerosLike } from "./ops/create.js";

/** A pytree: a tensor, or nested plain objects / arrays of tensors (model parameters, gradients...). */
export type Tree = Tensor | readonly Tree[] | { readonly [key: string]: Tree };

/** The structure of a tree without its leaves (for unflatten). */
export type TreeDef =
  | { readonly kind: "leaf" }
  | { readonly kind: "array"; readonly children: readonly TreeDef[] }
  | { readonly kind: "object"; readonly keys: readonly string[]; readonly children: readonly TreeDef[] };

/** Same structure as T with tensors mapped to U. */
export type MapTree<T, U> = T extends Tensor ? U : { [K in keyof T]: MapTree<T[K], U> };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object") return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

/** Leaves in a deterministic order (object keys sorted) and the structure to rebuild the tree. */
export function treeFlatten(tree: Tree): [Tensor[], TreeDef] {
  const leaves: Tensor[] = [];
  const walk = (t: unknown, path: string): TreeDef => {
    if (t instanceof Tensor) {
      leaves.push(t);
      return { kind: "leaf" };
    }
    if (Array.isArray(t)) return { kind: "array", children: t.map((c, i) => walk(c, `${path}[${i}]`)) };
    if (isPlainObject(t)) {
      const keys = Object.keys(t).sort();
      return { kind: "object", keys, children: keys.map((k) => walk(t[k], `${path}.${k}`)) };
    }
    if (hasTensorBrand(t)) throw new DualPackageError("tree", path || "tree");
    throw new ValueError("tree", `${path || "tree"} is ${t === null ? "null" : typeof t}, not a tensor, array or plain object`);
  };
  const def = walk(tree, "");
  return [leaves, def];
}

/** Rebuild a tree from its structure and leaves (inverse of treeFlatten). */
export function treeUnflatten<T extends Tree = Tree>(def: TreeDef, leaves: readonly Tensor[]): T {
  if (!Array.isArray(leaves)) throw new ValueError("treeUnflatten", "leaves must be an array of tensors");
  let i = 0;
  const build = (d: TreeDef): Tree => {
    if (d === null || typeof d !== "object" || !["leaf", "array", "object"].includes(d.kind) || (d.kind !== "leaf" && !Array.isArray(d.children)) || (d.kind === "object" && (!Array.isArray(d.keys) || d.keys.length !== d.children.length))) {
      throw new ValueError("treeUnflatten", "def is not a TreeDef from treeFlatten");
    }
    if (d.kind === "leaf") {
      const l = leaves[i++];
      if (!l) throw new ShapeError("treeUnflatten", `too few leaves (${leaves.length})`);
      if (!(l instanceof Tensor)) throw new ValueError("treeUnflatten", `leaf ${i - 1} is not a Tensor`);
      return l;
    }
    if (d.kind === "array") return d.children.map(build);
    const o: Record<string, Tree> = {};
    // defineProperty, not assignment: a "__proto__" key must stay an own key, not replace the prototype
    d.keys.forEach((k, j) => Object.defineProperty(o, k, { value: build(d.children[j]!), enumerable: true, writable: true, configurable: true }));
    return o;
  };
  const out = build(def);
  if (i !== leaves.length) throw new ShapeError("treeUnflatten", `${leaves.length} leaves for a structure of ${i}`);
  return out as T;
}

/** The leaves of a tree, in treeFlatten order. */
export function treeLeaves(tree: Tree): Tensor[] {
  return treeFlatten(tree)[0];
}

function sameDef(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "leaf") return true;
  if (a.kind === "array" && b.kind === "array") return a.children.length === b.children.length && a.children.every((c, i) => sameDef(c, b.children[i]!));
  if (a.kind === "object" && b.kind === "object") {
    return a.keys.length === b.keys.length && a.keys.every((k, i) => k === b.keys[i]) && a.children.every((c, i) => sameDef(c, b.children[i]!));
  }
  return false;
}

/** Map `fn` over the leaves of one or more trees of identical structure. */
export function treeMap<T extends Tree>(fn: (...leaves: Tensor[]) => Tensor, tree: T, ...rest: readonly Tree[]): T {
  if (typeof fn !== "function") throw new ValueError("treeMap", "fn must be a function");
  const [leaves, def] = treeFlatten(tree);
  const others = rest.map((r) => {
    const [l, d] = treeFlatten(r);
    if (!sameDef(def, d)) throw new ShapeError("treeMap", "trees have different structures");
    return l;
  });
  return treeUnflatten<T>(def, leaves.map((l, i) => fn(l, ...others.map((o) => o[i]!))));
}

/** Fold the leaves left to right. */
export function treeReduce<A>(fn: (acc: A, leaf: Tensor) => A, tree: Tree, init: A): A {
  if (typeof fn !== "function") throw new ValueError("treeReduce", "fn must be a function");
  return treeLeaves(tree).reduce(fn, init);
}

/** Leafwise a + b. */
export function treeAdd<T extends Tree>(a: T, b: T): T {
  return treeMap((x, y) => add(x, y!), a, b);
}

/** Leafwise a − b. */
export function treeSub<T extends Tree>(a: T, b: T): T {
  return treeMap((x, y) => sub(x, y!), a, b);
}

/** Leafwise s·a. */
export function treeScale<T extends Tree>(a: T, s: number | Tensor): T {
  if (typeof s !== "number" && !hasTensorBrand(s)) throw new ValueError("treeScale", `s must be a number or a Tensor, got ${s === null ? "null" : Array.isArray(s) ? "an array" : typeof s}`);
  return treeMap((x) => mul(x, s), a);
}

/** Zeros with the structure of `a`. */
export function treeZerosLike<T extends Tree>(a: T): T {
  return treeMap((x) => zerosLike(x), a);
}

/** Σ over leaves of ⟨a, b⟩ as a scalar tensor (differentiable). */
export function treeDot(a: Tree, b: Tree): Tensor {
  const la = treeLeaves(a), lb = treeLeaves(b);
  if (la.length !== lb.length) throw new ShapeError("treeDot", "trees have different numbers of leaves");
  let acc: Tensor | null = null;
  la.forEach((x, i) => {
    const d = sum(mul(x, lb[i]!));
    acc = acc === null ? d : add(acc, d);
  });
  return acc ?? new Tensor(new Float64Array(1), [], "float64");
}

/** Global L2 norm over all leaves, as a number. */
export function treeNorm(a: Tree): number {
  let s = 0;
  for (const l of treeLeaves(a)) {
    guardRead("treeNorm", l.data);
    for (const v of l.data) s += v * v;
  }
  return Math.sqrt(s);
}

/** Global squared L2 norm as a scalar tensor (differentiable). */
export function treeSquaredNorm(a: Tree): Tensor {
  let acc: Tensor | null = null;
  for (const l of treeLeaves(a)) {
    const s = sum(square(l));
    acc = acc === null ? s : add(acc, s);
  }
  return acc ?? new Tensor(new Float64Array(1), [], "float64");
}

/** Total number of elements over all leaves. */
export function treeSize(a: Tree): number {
  return treeLeaves(a).reduce((p, l) => p + l.size, 0);
}

/** Whether every element of every leaf is finite. */
export function treeAllFinite(a: Tree): boolean {
  for (const l of treeLeaves(a)) {
    guardRead("treeAllFinite", l.data);
    for (const v of l.data) if (!Number.isFinite(v)) return false;
  }
  return true;
}
