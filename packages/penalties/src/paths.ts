import { Tensor, type Tree } from "@regularize/core-autodiff";

// Masks and leaf paths are the training core's, so every technique selects parameters the same way.
export { type ParamMask, type PathLeaf, allParams, leavesWithPaths, mapWithPaths, selectLeaves, weightsOnly } from "@regularize/core-train";

/** The sub-tree at a dotted path, or undefined when a partial tree (e.g. an L2 centre) has nothing there. */
export function subtreeAt(tree: Tree | undefined, path: string): Tree | undefined {
  if (tree === undefined) return undefined;
  if (path === "") return tree;
  let t: unknown = tree;
  for (const part of path.split(/[.[\]]+/).filter((q) => q !== "")) {
    if (t instanceof Tensor || t === null || typeof t !== "object") return undefined;
    t = (t as Record<string, unknown>)[part];
    if (t === undefined) return undefined;
  }
  return t as Tree;
}
