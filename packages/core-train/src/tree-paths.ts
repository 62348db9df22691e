import { Tensor, type Tree } from "@regularize/core-autodiff";

/**
 * Human-readable paths of a tree's leaves in treeFlatten order (object keys sorted), e.g.
 * ["layers[0].b", "layers[0].w", …]; a bare tensor is "(root)". Used to name leaves in errors.
 */
export function leafPaths(tree: Tree): string[] {
  const out: string[] = [];
  const walk = (t: unknown, path: string): void => {
    if (t instanceof Tensor) {
      out.push(path === "" ? "(root)" : path);
      return;
    }
    if (Array.isArray(t)) {
      t.forEach((c, i) => walk(c, `${path}[${i}]`));
      return;
    }
    if (t !== null && typeof t === "object") {
      for (const k of Object.keys(t).sort()) walk((t as Record<string, unknown>)[k], path === "" ? k : `${path}.${k}`);
    }
  };
  walk(tree, "");
  return out;
}
