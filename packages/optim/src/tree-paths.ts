import { type Tensor, type Tree, type TreeDef, treeFlatten } from "@regularize/core-autodiff";

/**
 * The leaves of a tree with their paths (`"layers[0].w"`), in `treeFlatten` order (object keys
 * sorted). Paths are rebuilt from the TreeDef rather than by a second walk so they can never fall
 * out of step with core-autodiff's leaf order.
 */
export function leavesWithPaths(tree: Tree): { leaf: Tensor; path: string }[] {
  const [leaves, def] = treeFlatten(tree);
  const paths: string[] = [];
  const walk = (d: TreeDef, path: string): void => {
    if (d.kind === "leaf") paths.push(path);
    else if (d.kind === "array") d.children.forEach((c, i) => walk(c, `${path}[${i}]`));
    else d.keys.forEach((k, i) => walk(d.children[i]!, path === "" ? k : `${path}.${k}`));
  };
  walk(def, "");
  return leaves.map((leaf, i) => ({ leaf, path: paths[i]! }));
}
