import { alloc } from "../dtype.js";
import { ArgumentError, ShapeError, ValueError, fmtShape } from "../errors.js";
import { getBackend } from "../backend.js";
import { shapesEqual } from "../shape.js";
import { isRecording } from "../tape.js";
import { Tensor } from "../tensor.js";
import { add, astype, div, mul, sqrt, square } from "./elementwise.js";
import { reshape } from "./shape.js";
import { commonDType } from "./util.js";
import { floatArg, optionsArg } from "../validate.js";

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
  floatArg(op, "m", m);
  floatArg(op, "v", v);
  floatArg(op, "g", g);
  optionsArg(op, o, ["b1", "b2", "c1", "c2", "eps", "epsRoot"]);
  if (o === undefined) throw new ArgumentError(op, "options { b1, b2, c1, c2, eps, epsRoot } are required");
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
  // a backend kernel reading the corrections from arrays: a jit replay takes tensor corrections
  // from its runtime inputs (and runs in WebAssembly when resident)
  const t1 = c1 instanceof Tensor ? c1.data : Float64Array.of(c1), t2 = c2 instanceof Tensor ? c2.data : Float64Array.of(c2);
  getBackend().adam(m.data, v.data, g.data, mo, vo, uo, t1, t2, b1, b2, eps, epsRoot);
  return [new Tensor(mo, g.shape, dtype), new Tensor(vo, g.shape, dtype), new Tensor(uo, g.shape, dtype)];
}
