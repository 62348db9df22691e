import type { DataArray } from "../dtype.js";

/**
 * Adam's fused step for one leaf (the reference loop of `adamStep`): m′ = β₁m + (1 − β₁)g,
 * v′ = β₂v + (1 − β₂)g², u = (m′/c₁) / (√(v′/c₂ + ε_root) + ε), with c₁ = c1[0], c₂ = c2[0] read
 * from arrays (so a jit replay takes them from its inputs). Float32 rounds every intermediate as the
 * composed ops do.
 */
export function adamKernel(m: DataArray, v: DataArray, g: DataArray, mo: DataArray, vo: DataArray, uo: DataArray,
  c1: DataArray, c2: DataArray, b1: number, b2: number, eps: number, epsRoot: number): void {
  if (g instanceof Float32Array) adam32(m, v, g, mo, vo, uo, b1, b2, c1[0]!, c2[0]!, eps, epsRoot);
  else adam64(m, v, g, mo, vo, uo, b1, b2, c1[0]!, c2[0]!, eps, epsRoot);
}

function adam64(md: DataArray, vd: DataArray, gd: DataArray, mw: DataArray, vw: DataArray, uw: DataArray,
  b1: number, b2: number, c1: number, c2: number, eps: number, epsRoot: number): void {
  const ob1 = 1 - b1, ob2 = 1 - b2, n = gd.length;
  for (let i = 0; i < n; i++) {
    const gi = gd[i]!;
    const mi = md[i]! * b1 + gi * ob1;
    const vi = vd[i]! * b2 + gi * gi * ob2;
    mw[i] = mi;
    vw[i] = vi;
    uw[i] = mi / c1 / (Math.sqrt(vi / c2 + epsRoot) + eps);
  }
}

// the scalars become float32 tensors in the composed ops, and every op rounds its result
function adam32(md: DataArray, vd: DataArray, gd: DataArray, mw: DataArray, vw: DataArray, uw: DataArray,
  b1: number, b2: number, c1: number, c2: number, eps: number, epsRoot: number): void {
  const f = Math.fround, n = gd.length;
  const fb1 = f(b1), fob1 = f(1 - b1), fb2 = f(b2), fob2 = f(1 - b2), fc1 = f(c1), fc2 = f(c2), fe = f(eps), fer = f(epsRoot);
  for (let i = 0; i < n; i++) {
    const gi = gd[i]!;
    const mi = f(f(md[i]! * fb1) + f(gi * fob1));
    const vi = f(f(vd[i]! * fb2) + f(f(gi * gi) * fob2));
    mw[i] = mi;
    vw[i] = vi;
    uw[i] = f(mi / fc1) / f(f(Math.sqrt(f(f(vi / fc2) + fer))) + fe);
  }
}
