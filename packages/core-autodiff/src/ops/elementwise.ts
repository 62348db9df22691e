import type { DType } from "../dtype.js";
import { DTypeError, ValueError } from "../errors.js";
import type { BinaryOp } from "../kernels/elementwise.js";
import { KERNELS, apply, binaryRaw, unaryRaw } from "../prim/kernels.js";
import { NONE } from "../prim/signatures.js";
import { batchHooks } from "../prim/batch-hook.js";
import { broadcastShapes, shapesEqual } from "../shape.js";
import { Tensor } from "../tensor.js";
import { type TensorLike, asTensor, full } from "./create.js";
import { commonDType, requireFloat } from "./util.js";
import { describe, floatArg, numberArg, tensorArg, tensorLikeArg } from "../validate.js";

// Thin public ops: validate, then apply the primitive (kernels in prim/kernels.ts, gradient and
// tangent rules in prim/rules.ts).

function operands(name: string, a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  tensorLikeArg(name, "a", a);
  tensorLikeArg(name, "b", b);
  const ta = asTensor(a, typeof b === "number" ? "float64" : b.dtype);
  const tb = asTensor(b, ta.dtype);
  return [ta, tb, commonDType(name, ta, tb)];
}

type Arith = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum";

function arith(op: Arith, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(op, a, b);
  requireFloat(op, ta, tb);
  if (!shapesEqual(ta.shape, tb.shape)) broadcastShapes(op, ta.shape, tb.shape);
  return apply(op, [ta, tb], NONE);
}

/** Elementwise a + b (NumPy broadcasting). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return arith("add", a, b);
}

/** Elementwise a − b. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return arith("sub", a, b);
}

/** Elementwise a · b. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return arith("mul", a, b);
}

/** Elementwise a / b. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return arith("div", a, b);
}

/** Elementwise a^b. The gradient in b uses log(a) and is taken as 0 where a ≤ 0. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return arith("pow", a, b);
}

/** Elementwise maximum; ties send the gradient to `a`. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return arith("maximum", a, b);
}

/** Elementwise minimum; ties send the gradient to `a`. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return arith("minimum", a, b);
}

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  // A number compares by value against any dtype (`eq(labels, 3)` on int32 labels; float32
  // tensors see the number rounded to float32, as NumPy's weak scalars). Two tensors must share
  // a dtype like every other binary op.
  tensorLikeArg(op, "a", a);
  tensorLikeArg(op, "b", b);
  const ta = typeof a === "number" ? compareScalar(a, b) : a;
  const tb = typeof b === "number" ? compareScalar(b, a) : b;
  if (typeof a !== "number" && typeof b !== "number") commonDType(op, ta, tb);
  const dtype = typeof a === "number" ? tb.dtype : ta.dtype;
  return binaryRaw(op, ta, tb, dtype === "int32" ? "float64" : dtype);
}

function compareScalar(v: number, other: TensorLike): Tensor {
  return full([], v, { dtype: typeof other === "number" || other.dtype === "int32" ? "float64" : other.dtype });
}

/** a == b as 1/0 (float; not differentiable). */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare("eq", a, b);
/** a != b as 1/0. */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare("ne", a, b);
/** a < b as 1/0. */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare("lt", a, b);
/** a ≤ b as 1/0. */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare("le", a, b);
/** a > b as 1/0. */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare("gt", a, b);
/** a ≥ b as 1/0. */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare("ge", a, b);

type Unary = "neg" | "exp" | "log" | "log1p" | "sqrt" | "square" | "abs" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "softplus";

function unary(op: Unary, x: Tensor): Tensor {
  floatArg(op, "x", x);
  return apply(op, [x], NONE);
}

/** Elementwise −x. */
export const neg = (x: Tensor): Tensor => unary("neg", x);
/** Elementwise eˣ. */
export const exp = (x: Tensor): Tensor => unary("exp", x);
/** Elementwise natural log. */
export const log = (x: Tensor): Tensor => unary("log", x);
/** Elementwise log(1 + x), accurate near 0. */
export const log1p = (x: Tensor): Tensor => unary("log1p", x);
/** Elementwise √x. */
export const sqrt = (x: Tensor): Tensor => unary("sqrt", x);
/** Elementwise x². */
export const square = (x: Tensor): Tensor => unary("square", x);
/** Elementwise |x| (gradient sign(x), 0 at 0). */
export const abs = (x: Tensor): Tensor => unary("abs", x);
/** Elementwise sin. */
export const sin = (x: Tensor): Tensor => unary("sin", x);
/** Elementwise cos. */
export const cos = (x: Tensor): Tensor => unary("cos", x);
/** Elementwise tanh. */
export const tanh = (x: Tensor): Tensor => unary("tanh", x);
/** Elementwise logistic sigmoid 1/(1+e⁻ˣ). */
export const sigmoid = (x: Tensor): Tensor => unary("sigmoid", x);
/** Elementwise max(x, 0) (gradient 0 at 0, as PyTorch). */
export const relu = (x: Tensor): Tensor => unary("relu", x);
/** Elementwise log(1 + eˣ), computed without overflow. */
export const softplus = (x: Tensor): Tensor => unary("softplus", x);

/** Elementwise sign (−1, 0, 1); gradient 0. */
export function sign(x: Tensor): Tensor {
  floatArg("sign", "x", x);
  return unaryRaw("sign", x);
}

/** Elementwise x for x > 0, slope·x otherwise. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  floatArg("leakyRelu", "x", x);
  numberArg("leakyRelu", "slope", slope);
  return apply("leakyRelu", [x], { slope });
}

/** Elementwise x for x > 0, α(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  floatArg("elu", "x", x);
  numberArg("elu", "alpha", alpha);
  return apply("elu", [x], { alpha });
}

/** Elementwise 1/x. */
export function reciprocal(x: Tensor): Tensor {
  return div(1, x);
}

/** 1 where x is finite, 0 where NaN or ±Inf (not differentiable). */
export function isFinite(x: Tensor): Tensor {
  floatArg("isFinite", "x", x);
  return unaryRaw("isFinite", x);
}

/** Elementwise floor (gradient 0). */
export function floor(x: Tensor): Tensor {
  floatArg("floor", "x", x);
  return unaryRaw("floor", x);
}

/** Elementwise choice: a where cond ≠ 0, else b (cond is not differentiated). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  tensorArg("where", "cond", cond);
  const [ta, tb] = operands("where", a, b);
  requireFloat("where", ta, tb);
  broadcastShapes("where", broadcastShapes("where", cond.shape, ta.shape), tb.shape);
  return apply("where", [ta, tb], { cond });
}

/** Clamp x to [lo, hi]; the gradient passes where lo ≤ x ≤ hi. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  floatArg("clip", "x", x);
  numberArg("clip", "lo", lo, { finite: false });
  numberArg("clip", "hi", hi, { finite: false });
  if (lo > hi) throw new ValueError("clip", `need lo ≤ hi, got lo=${lo}, hi=${hi}`);
  return apply("clip", [x], { lo, hi });
}

/** Cast to another dtype (float↔float is differentiable; int32 results are constants). */
export function astype(x: Tensor, dtype: DType): Tensor {
  tensorArg("astype", "x", x);
  if (dtype !== "float64" && dtype !== "float32" && dtype !== "int32") throw new DTypeError("astype", `unknown dtype ${describe(dtype)} (expected float64, float32 or int32)`);
  if (x.dtype === dtype) return x;
  // a cast to or from int32 is not differentiable: its result is a constant
  if (dtype !== "int32" && x.dtype !== "int32") return apply("astype", [x], { dtype });
  const cast = (v: Tensor) => KERNELS.astype([v], { dtype });
  return batchHooks?.leading(x, cast) ?? cast(x);
}
