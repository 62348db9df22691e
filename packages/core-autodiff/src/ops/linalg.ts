import { ShapeError, fmtShape } from "../errors.js";
import { apply } from "../prim/kernels.js";
import { broadcastShapes, shapesEqual } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { mul } from "./elementwise.js";
import { sum } from "./reduce.js";
import { broadcastTo, reshape } from "./shape.js";
import { commonDType, requireFloat } from "./util.js";
import { boolArg, optionsArg } from "../validate.js";

/** Options of matmul: treat the last two axes of a (or b) as transposed without copying. */
export interface MatmulOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
}

/**
 * Matrix product with NumPy semantics: 1-D operands are vectors, leading (batch) axes broadcast.
 * `transA`/`transB` use the transpose of the last two axes, which keeps backward passes copy-free.
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  requireFloat("matmul", a, b);
  optionsArg("matmul", opts, ["transA", "transB"]);
  boolArg("matmul", "transA", opts.transA, false);
  boolArg("matmul", "transB", opts.transB, false);
  commonDType("matmul", a, b);
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError("matmul", `operands must have at least one axis, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.ndim === 1 || b.ndim === 1) {
    const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]!]) : a;
    const b2 = b.ndim === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
    const r = matmul(a2, b2, { transA: a.ndim === 1 ? false : opts.transA ?? false, transB: b.ndim === 1 ? false : opts.transB ?? false });
    const s = [...r.shape];
    if (b.ndim === 1) s.splice(s.length - 1, 1);
    if (a.ndim === 1) s.splice(s.length - (b.ndim === 1 ? 1 : 2), 1);
    return reshape(r, s);
  }
  const tA = opts.transA ?? false, tB = opts.transB ?? false;
  const Ka = tA ? a.shape[a.ndim - 2]! : a.shape[a.ndim - 1]!;
  const Kb = tB ? b.shape[b.ndim - 1]! : b.shape[b.ndim - 2]!;
  if (Ka !== Kb) {
    throw new ShapeError("matmul", `inner dimensions differ: ${fmtShape(a.shape)}${tA ? "ᵀ" : ""} @ ${fmtShape(b.shape)}${tB ? "ᵀ" : ""} (${Ka} vs ${Kb})`);
  }
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = shapesEqual(batchA, batchB) ? batchA : broadcastShapes("matmul", batchA, batchB);
  const A = shapesEqual(batchA, batch) ? a : broadcastTo(a, [...batch, ...a.shape.slice(-2)]);
  const B = shapesEqual(batchB, batch) ? b : broadcastTo(b, [...batch, ...b.shape.slice(-2)]);
  return apply("matmul", [A, B], { transA: tA, transB: tB });
}

/** Inner product of two tensors of equal shape: Σ a·b. */
export function dot(a: Tensor, b: Tensor): Tensor {
  requireFloat("dot", a, b);
  if (!shapesEqual(a.shape, b.shape)) throw new ShapeError("dot", `shapes differ: ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return sum(mul(a, b));
}
