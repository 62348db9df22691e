import { getBackend } from "../backend.js";
import { alloc, type DType, type DataArray } from "../dtype.js";
import { DTypeError, ValueError, fmtShape } from "../errors.js";
import type { BinaryOp, UnaryOp } from "../kernels/elementwise.js";
import { broadcastShapes, shapesEqual } from "../shape.js";
import { READ_WRITE, hostKernel } from "../kernel-trace.js";
import { record } from "../tape.js";
import { Tensor } from "../tensor.js";
import { type TensorLike, asTensor, full } from "./create.js";
import { sumToShape } from "./reduce.js";
import { commonDType, requireFloat } from "./util.js";

function un(op: UnaryOp, name: string, x: Tensor, param = 0): Tensor {
  requireFloat(name, x);
  const out = alloc(x.dtype, x.size);
  getBackend().unary(op, x.data, out, param);
  return new Tensor(out, x.shape, x.dtype);
}

function operands(name: string, a: TensorLike, b: TensorLike): [Tensor, Tensor, DType] {
  const ta = asTensor(a, typeof b === "number" ? "float64" : b.dtype);
  const tb = asTensor(b, ta.dtype);
  return [ta, tb, commonDType(name, ta, tb)];
}

function bin(op: BinaryOp, name: string, a: Tensor, b: Tensor, dtype: DType): Tensor {
  const shape = shapesEqual(a.shape, b.shape) ? [...a.shape] : broadcastShapes(name, a.shape, b.shape);
  const out = alloc(dtype, shape.reduce((p, d) => p * d, 1));
  getBackend().binary(op, a.data, a.shape, b.data, b.shape, out, shape);
  return new Tensor(out, shape, dtype);
}

function arith(op: BinaryOp, name: string, a: TensorLike, b: TensorLike): [Tensor, Tensor, Tensor] {
  const [ta, tb, dtype] = operands(name, a, b);
  requireFloat(name, ta, tb);
  return [bin(op, name, ta, tb, dtype), ta, tb];
}

/** Elementwise a + b (NumPy broadcasting). */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [out, ta, tb] = arith("add", "add", a, b);
  return record(out, "add", [ta, tb], (g) => [sumToShape(g, ta.shape), sumToShape(g, tb.shape)]);
}

/** Elementwise a − b. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [out, ta, tb] = arith("sub", "sub", a, b);
  return record(out, "sub", [ta, tb], (g, needs) => [sumToShape(g, ta.shape), needs[1] ? sumToShape(neg(g), tb.shape) : null]);
}

/** Elementwise a · b. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [out, ta, tb] = arith("mul", "mul", a, b);
  return record(out, "mul", [ta, tb], (g, needs) => [
    needs[0] ? sumToShape(mul(g, tb), ta.shape) : null,
    needs[1] ? sumToShape(mul(g, ta), tb.shape) : null,
  ]);
}

/** Elementwise a / b. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [out, ta, tb] = arith("div", "div", a, b);
  return record(out, "div", [ta, tb], (g, needs) => [
    needs[0] ? sumToShape(div(g, tb), ta.shape) : null,
    needs[1] ? sumToShape(neg(div(mul(g, ta), square(tb))), tb.shape) : null,
  ]);
}

/** Elementwise a^b. The gradient in b uses log(a) and is taken as 0 where a ≤ 0. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [out, ta, tb] = arith("pow", "pow", a, b);
  return record(out, "pow", [ta, tb], (g, needs) => [
    needs[0] ? sumToShape(mul(g, mul(tb, pow(ta, sub(tb, 1)))), ta.shape) : null,
    needs[1] ? sumToShape(mul(g, where(gt(ta, 0), mul(out, log(where(gt(ta, 0), ta, 1))), 0)), tb.shape) : null,
  ]);
}

/** Elementwise maximum; ties send the gradient to `a`. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [out, ta, tb] = arith("maximum", "maximum", a, b);
  return record(out, "maximum", [ta, tb], (g) => {
    const m = ge(ta, tb);
    return [sumToShape(mul(g, m), ta.shape), sumToShape(mul(g, sub(1, m)), tb.shape)];
  });
}

/** Elementwise minimum; ties send the gradient to `a`. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [out, ta, tb] = arith("minimum", "minimum", a, b);
  return record(out, "minimum", [ta, tb], (g) => {
    const m = le(ta, tb);
    return [sumToShape(mul(g, m), ta.shape), sumToShape(mul(g, sub(1, m)), tb.shape)];
  });
}

function compare(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  // A number compares by value against any dtype (`eq(labels, 3)` on int32 labels; float32
  // tensors see the number rounded to float32, as NumPy's weak scalars). Two tensors must share
  // a dtype like every other binary op.
  const ta = typeof a === "number" ? compareScalar(a, b) : a;
  const tb = typeof b === "number" ? compareScalar(b, a) : b;
  if (typeof a !== "number" && typeof b !== "number") commonDType(op, ta, tb);
  const dtype = typeof a === "number" ? tb.dtype : ta.dtype;
  return bin(op, op, ta, tb, dtype === "int32" ? "float64" : dtype);
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

/** Elementwise −x. */
export function neg(x: Tensor): Tensor {
  return record(un("neg", "neg", x), "neg", [x], (g) => [neg(g)]);
}

/** Elementwise eˣ. */
export function exp(x: Tensor): Tensor {
  const out = un("exp", "exp", x);
  return record(out, "exp", [x], (g) => [mul(g, out)]);
}

/** Elementwise natural log. */
export function log(x: Tensor): Tensor {
  return record(un("log", "log", x), "log", [x], (g) => [div(g, x)]);
}

/** Elementwise log(1 + x), accurate near 0. */
export function log1p(x: Tensor): Tensor {
  return record(un("log1p", "log1p", x), "log1p", [x], (g) => [div(g, add(x, 1))]);
}

/** Elementwise √x. */
export function sqrt(x: Tensor): Tensor {
  const out = un("sqrt", "sqrt", x);
  return record(out, "sqrt", [x], (g) => [div(g, mul(out, 2))]);
}

/** Elementwise x². */
export function square(x: Tensor): Tensor {
  return record(un("square", "square", x), "square", [x], (g) => [mul(g, mul(x, 2))]);
}

/** Elementwise |x| (gradient sign(x), 0 at 0). */
export function abs(x: Tensor): Tensor {
  return record(un("abs", "abs", x), "abs", [x], (g) => [mul(g, sign(x))]);
}

/** Elementwise sign (−1, 0, 1); gradient 0. */
export function sign(x: Tensor): Tensor {
  return un("sign", "sign", x);
}

/** Elementwise sin. */
export function sin(x: Tensor): Tensor {
  return record(un("sin", "sin", x), "sin", [x], (g) => [mul(g, cos(x))]);
}

/** Elementwise cos. */
export function cos(x: Tensor): Tensor {
  return record(un("cos", "cos", x), "cos", [x], (g) => [neg(mul(g, sin(x)))]);
}

/** Elementwise tanh. */
export function tanh(x: Tensor): Tensor {
  const out = un("tanh", "tanh", x);
  return record(out, "tanh", [x], (g) => [mul(g, sub(1, square(out)))]);
}

/** Elementwise logistic sigmoid 1/(1+e⁻ˣ). */
export function sigmoid(x: Tensor): Tensor {
  const out = un("sigmoid", "sigmoid", x);
  return record(out, "sigmoid", [x], (g) => [mul(g, mul(out, sub(1, out)))]);
}

/** Elementwise max(x, 0) (gradient 0 at 0, as PyTorch). */
export function relu(x: Tensor): Tensor {
  return record(un("relu", "relu", x), "relu", [x], (g) => [mul(g, un("step", "relu", x))]);
}

/** Elementwise x for x > 0, slope·x otherwise. */
export function leakyRelu(x: Tensor, slope = 0.01): Tensor {
  checkParam("leakyRelu", "slope", slope);
  return record(un("leakyRelu", "leakyRelu", x, slope), "leakyRelu", [x], (g) => {
    const m = un("step", "leakyRelu", x);
    return [mul(g, add(m, mul(sub(1, m), slope)))];
  });
}

/** Elementwise log(1 + eˣ), computed without overflow. */
export function softplus(x: Tensor): Tensor {
  return record(un("softplus", "softplus", x), "softplus", [x], (g) => [mul(g, sigmoid(x))]);
}

/** Elementwise x for x > 0, α(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkParam("elu", "alpha", alpha);
  return record(un("elu", "elu", x, alpha), "elu", [x], (g) => {
    const m = un("step", "elu", x);
    return [mul(g, where(m, 1, mul(exp(x), alpha)))];
  });
}

/** Elementwise 1/x. */
export function reciprocal(x: Tensor): Tensor {
  return div(1, x);
}

/** 1 where x is finite, 0 where NaN or ±Inf (not differentiable). */
export function isFinite(x: Tensor): Tensor {
  return un("isFinite", "isFinite", x);
}

/** Elementwise floor (gradient 0). */
export function floor(x: Tensor): Tensor {
  return un("floor", "floor", x);
}

/** Elementwise choice: a where cond ≠ 0, else b (cond is not differentiated). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb, dtype] = operands("where", a, b);
  requireFloat("where", ta, tb);
  const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, ta.shape), tb.shape);
  const out = alloc(dtype, shape.reduce((p, d) => p * d, 1));
  getBackend().where(cond.data, cond.shape, ta.data, ta.shape, tb.data, tb.shape, out, shape);
  const res = new Tensor(out, shape, dtype);
  return record(res, "where", [ta, tb], (g, needs) => [
    needs[0] ? sumToShape(where(cond, g, 0), ta.shape) : null,
    needs[1] ? sumToShape(where(cond, 0, g), tb.shape) : null,
  ]);
}

/** Clamp x to [lo, hi]; the gradient passes where lo ≤ x ≤ hi. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (Number.isNaN(lo) || Number.isNaN(hi) || lo > hi) throw new ValueError("clip", `need lo ≤ hi, got lo=${lo}, hi=${hi}`);
  requireFloat("clip", x);
  const out = alloc(x.dtype, x.size);
  hostKernel("clip", (d: DataArray, o: DataArray) => {
    for (let i = 0; i < d.length; i++) { const v = d[i]!; o[i] = v < lo ? lo : v > hi ? hi : v; }
  }, [x.data, out], READ_WRITE);
  const res = new Tensor(out, x.shape, x.dtype);
  return record(res, "clip", [x], (g) => [mul(g, mul(ge(x, lo), le(x, hi)))]);
}

/** Cast to another dtype (float↔float is differentiable; int32 results are constants). */
export function astype(x: Tensor, dtype: DType): Tensor {
  if (dtype !== "float64" && dtype !== "float32" && dtype !== "int32") throw new DTypeError("astype", `unknown dtype ${String(dtype)}`);
  if (x.dtype === dtype) return x;
  const out = alloc(dtype, x.size);
  const shape = x.shape, from = x.dtype;
  hostKernel("astype", (d: DataArray, o: DataArray) => {
    if (dtype === "int32") {
      // Int32Array would silently store NaN as 0 and wrap large values modulo 2³²
      for (let i = 0; i < d.length; i++) {
        const v = Math.trunc(d[i]!);
        if (!(v >= -2147483648 && v <= 2147483647)) {
          throw new ValueError("astype", `cannot cast ${d[i]} (flat index ${i} of ${from} ${fmtShape(shape)}) to int32`);
        }
        o[i] = v;
      }
    } else o.set(d);
  }, [x.data, out], READ_WRITE);
  const res = new Tensor(out, x.shape, dtype);
  if (dtype === "int32" || x.dtype === "int32") return res;
  return record(res, "astype", [x], (g) => [astype(g, x.dtype)]);
}

function checkParam(op: string, name: string, v: number): void {
  if (!Number.isFinite(v)) throw new ValueError(op, `${name} must be finite, got ${v}`);
}
