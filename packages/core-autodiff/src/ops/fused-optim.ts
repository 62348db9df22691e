import { type DataArray, alloc } from "../dtype.js";
import { ShapeError, ValueError, fmtShape } from "../errors.js";
import { Access, hostKernel } from "../kernel-trace.js";
import { shapesEqual } from "../shape.js";
import { isRecording } from "../tape.js";
import { Tensor } from "../tensor.js";
import { add, astype, div, mul, sqrt, square } from "./elementwise.js";
import { reshape } from "./shape.js";
import { commonDType, requireFloat } from "./util.js";

/** Constants of one Adam step (`adamStep`). */
export interface AdamStepOptions {
  /** First-moment decay β₁. */
  readonly b1: number;
  /** Second-moment decay β₂. */
  readonly b2: number;
  /**
   * First-moment bias correction 1 − β₁ᵗ: a number, or a float64 scalar tensor (a runtime input
   * of a `jit` recording, e.g. computed by `pureCallback` from a step-count tensor).
   */
  readonly c1: number | Tensor;
  /** Second-moment bias correction 1 − β₂ᵗ (number or float64 scalar tensor). */
  readonly c2: number | Tensor;
  /** ε added to the denominator √(v̂ + ε_root). */
  readonly eps: number;
  /** ε added under the square root. */
  readonly epsRoot: number;
}

const { Read: R, Write: W } = Access;
const ACCESS = [R, R, R, W, W, W];
const ACCESS_T = [R, R, R, W, W, W, R, R];

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

/**
 * One Adam step for one leaf in a single pass: m′ = β₁m + (1 − β₁)g, v′ = β₂v + (1 − β₂)g²,
 * u = (m′/c₁) / (√(v′/c₂ + ε_root) + ε). Returns [m′, v′, u], bit-identical to those composed ops
 * (float32 rounds every intermediate as they do). Composed ops move each leaf through memory ~15
 * times; this reads g, m, v once. While a transform records through tracked inputs it runs the
 * composed ops instead, so differentiating through an optimizer step still works.
 * @example const [m1, v1, u] = adamStep(m, v, g, { b1: 0.9, b2: 0.999, c1: 0.1, c2: 0.001, eps: 1e-8, epsRoot: 0 });
 */
export function adamStep(m: Tensor, v: Tensor, g: Tensor, o: AdamStepOptions): [Tensor, Tensor, Tensor] {
  const op = "adamStep";
  requireFloat(op, m, v, g);
  const dtype = commonDType(op, m, g);
  commonDType(op, v, g);
  if (!shapesEqual(m.shape, g.shape) || !shapesEqual(v.shape, g.shape)) {
    throw new ShapeError(op, `m ${fmtShape(m.shape)}, v ${fmtShape(v.shape)} and g ${fmtShape(g.shape)} must have one shape`);
  }
  for (const k of ["b1", "b2", "c1", "c2", "eps", "epsRoot"] as const) {
    const x = o[k];
    if (x instanceof Tensor && (k === "c1" || k === "c2")) {
      if (x.size !== 1 || x.dtype !== "float64") throw new ValueError(op, `${k} as a tensor must be a float64 scalar, got ${x.dtype} ${fmtShape(x.shape)}`);
    } else if (typeof x !== "number" || !Number.isFinite(x)) throw new ValueError(op, `${k} must be a finite number, got ${String(x)}`);
  }
  const { b1, b2, c1, c2, eps, epsRoot } = o;
  if (isRecording() && (m.node !== null || v.node !== null || g.node !== null)) {
    const mu = add(mul(m, b1), mul(g, 1 - b1));
    const nu = add(mul(v, b2), mul(square(g), 1 - b2));
    // a tensor correction rounds to the leaves' dtype as a number operand does
    const k1 = c1 instanceof Tensor ? astype(reshape(c1, []), dtype) : c1, k2 = c2 instanceof Tensor ? astype(reshape(c2, []), dtype) : c2;
    return [mu, nu, div(div(mu, k1), add(sqrt(add(div(nu, k2), epsRoot)), eps))];
  }
  const mo = alloc(dtype, g.size), vo = alloc(dtype, g.size), uo = alloc(dtype, g.size);
  if (c1 instanceof Tensor || c2 instanceof Tensor) {
    // the corrections are read by the kernel, so a jit replay takes them from its runtime inputs
    const t1 = c1 instanceof Tensor ? c1.data : Float64Array.of(c1), t2 = c2 instanceof Tensor ? c2.data : Float64Array.of(c2);
    if (dtype === "float64") hostKernel(op, (md, vd, gd, mw, vw, uw, e1, e2) => adam64(md, vd, gd, mw, vw, uw, b1, b2, e1[0]!, e2[0]!, eps, epsRoot), [m.data, v.data, g.data, mo, vo, uo, t1, t2], ACCESS_T);
    else hostKernel(op, (md, vd, gd, mw, vw, uw, e1, e2) => adam32(md, vd, gd, mw, vw, uw, b1, b2, e1[0]!, e2[0]!, eps, epsRoot), [m.data, v.data, g.data, mo, vo, uo, t1, t2], ACCESS_T);
    return [new Tensor(mo, g.shape, dtype), new Tensor(vo, g.shape, dtype), new Tensor(uo, g.shape, dtype)];
  }
  // the loops are module-level functions (one optimised copy each), the closure only binds constants
  if (dtype === "float64") hostKernel(op, (md, vd, gd, mw, vw, uw) => adam64(md, vd, gd, mw, vw, uw, b1, b2, c1, c2, eps, epsRoot), [m.data, v.data, g.data, mo, vo, uo], ACCESS);
  else hostKernel(op, (md, vd, gd, mw, vw, uw) => adam32(md, vd, gd, mw, vw, uw, b1, b2, c1, c2, eps, epsRoot), [m.data, v.data, g.data, mo, vo, uo], ACCESS);
  return [new Tensor(mo, g.shape, dtype), new Tensor(vo, g.shape, dtype), new Tensor(uo, g.shape, dtype)];
}
