import { Tensor } from "@regularize/core-autodiff";

// Parameter trees as flat float64 vectors (tree-leaf order) and back: Laplace's θ, SWAG's moments.

/** The leaves' values concatenated into one float64 vector. @internal */
export function flatLeaves(leaves: readonly Tensor[]): Float64Array {
  let n = 0;
  for (const l of leaves) n += l.size;
  const out = new Float64Array(n);
  let o = 0;
  for (const l of leaves) { out.set(l.data as ArrayLike<number>, o); o += l.size; }
  return out;
}

/** New leaves shaped (and typed) like `leaves`, filled from the flat vector θ. @internal */
export function rebuildLeaves(leaves: readonly Tensor[], theta: ArrayLike<number>): Tensor[] {
  let o = 0;
  return leaves.map((l) => {
    const d = l.dtype === "float32" ? new Float32Array(l.size) : new Float64Array(l.size);
    for (let k = 0; k < l.size; k++) d[k] = theta[o + k]!;
    o += l.size;
    return new Tensor(d, [...l.shape], l.dtype);
  });
}
