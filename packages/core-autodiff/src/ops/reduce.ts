import type { DataArray } from "../dtype.js";
import { ShapeError, fmtShape, ValueError } from "../errors.js";
import { normAxes, normAxis } from "../shape.js";
import { READ_WRITE, hostKernel } from "../kernel-trace.js";
import { apply } from "../prim/kernels.js";
import { NONE } from "../prim/signatures.js";
import { Tensor } from "../tensor.js";
import { add, div, exp, log, square, sub, where, isFinite } from "./elementwise.js";
import { reshape, stopGradient } from "./shape.js";
import { boolArg, floatArg, intArg, optionsArg, tensorArg } from "../validate.js";

/** The validated input and options of a reduction. */
const REDUCE_KEYS = ["axis", "keepdims"] as const;
const VAR_KEYS = ["axis", "keepdims", "ddof"] as const;

function reduceArgs<O extends ReduceOptions>(op: string, x: Tensor, opts: O | undefined, keys: readonly (keyof O & string)[] = REDUCE_KEYS): [number[], boolean, O] {
  floatArg(op, "x", x);
  const o = optionsArg<O>(op, opts, keys);
  return [normAxes(op, o.axis, x.ndim), boolArg(op, "keepdims", o.keepdims, false), o];
}

/** Options of reductions: axes (default all; negative counts from the end) and keepdims. */
export interface ReduceOptions {
  readonly axis?: number | readonly number[];
  readonly keepdims?: boolean;
}

function reduce(op: "sum" | "max" | "min", x: Tensor, opts: ReduceOptions): Tensor {
  const [axes, keepdims] = reduceArgs(op, x, opts);
  if (op !== "sum") for (const a of axes) if (x.shape[a] === 0) throw new ShapeError(op, `cannot reduce an empty axis ${a} of ${fmtShape(x.shape)}`);
  return apply(op, [x], { axes, keepdims });
}

/** Sum over axes (default: all). */
export function sum(x: Tensor, opts: ReduceOptions = {}): Tensor {
  return reduce("sum", x, opts);
}

/**
 * Σx² over every element, as a scalar: `sum(square(x))` in one pass (the squares round to x's dtype
 * as `square`'s do; the sum runs in float64 in another order, so the last bits may differ).
 * @example sumSquares(tensor([1, 2, 3])) // 14
 */
export function sumSquares(x: Tensor): Tensor {
  floatArg("sumSquares", "x", x);
  return apply("sumSquares", [x], NONE);
}

/** Mean over axes (default: all). */
export function mean(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const [axes] = reduceArgs("mean", x, opts);
  const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
  if (count === 0) throw new ShapeError("mean", `mean over an empty axis of ${fmtShape(x.shape)}`);
  return div(sum(x, opts), count);
}

/** Maximum over axes (default: all). */
export function max(x: Tensor, opts: ReduceOptions = {}): Tensor {
  return reduce("max", x, opts);
}

/** Minimum over axes (default: all). */
export function min(x: Tensor, opts: ReduceOptions = {}): Tensor {
  return reduce("min", x, opts);
}

/** Variance over axes with `ddof` (0 = population, as NumPy's default). */
export function variance(x: Tensor, opts: ReduceOptions & { readonly ddof?: number } = {}): Tensor {
  const [axes, keepdims] = reduceArgs("var", x, opts, VAR_KEYS);
  const count = axes.reduce((p, a) => p * x.shape[a]!, 1);
  const ddof = opts.ddof === undefined ? 0 : intArg("var", "ddof", opts.ddof, 0);
  if (count - ddof <= 0) throw new ValueError("var", `need more than ddof=${ddof} elements, got ${count}`);
  const m = mean(x, { axis: axes, keepdims: true });
  return div(sum(square(sub(x, m)), { axis: axes, keepdims }), count - ddof);
}

/** log Σ exp(x) over axes, stabilised by the (non-differentiated) maximum. */
export function logsumexp(x: Tensor, opts: ReduceOptions = {}): Tensor {
  const [axes, keepdims] = reduceArgs("logsumexp", x, opts);
  const m0 = stopGradient(max(x, { axis: axes, keepdims: true }));
  const m = where(isFinite(m0), m0, 0);
  const s = add(log(sum(exp(sub(x, m)), { axis: axes, keepdims: true })), m);
  return keepdims ? s : reshape(s, x.shape.filter((_, i) => !axes.includes(i)));
}

/** Index of the maximum along `axis` (int32, first on ties; not differentiable). */
export function argmax(x: Tensor, axis = -1): Tensor {
  return argExtreme("argmax", x, axis, 1);
}

/** Index of the minimum along `axis` (int32, first on ties). */
export function argmin(x: Tensor, axis = -1): Tensor {
  return argExtreme("argmin", x, axis, -1);
}

function argExtreme(op: string, x: Tensor, axis: number, sgn: number): Tensor {
  tensorArg(op, "x", x);
  const ax = normAxis(op, axis, x.ndim);
  const n = x.shape[ax]!;
  if (n === 0) throw new ShapeError(op, `empty axis ${ax} of ${fmtShape(x.shape)}`);
  const inner = x.shape.slice(ax + 1).reduce((p, d) => p * d, 1);
  const outer = x.shape.slice(0, ax).reduce((p, d) => p * d, 1);
  const out = new Int32Array(outer * inner);
  hostKernel(op, (xd: DataArray, out: DataArray) => {
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let best = 0;
        let bv = xd[o * n * inner + i]! * sgn;
        for (let j = 1; j < n; j++) {
          const v = xd[(o * n + j) * inner + i]! * sgn;
          if (v > bv || (v !== v && bv === bv)) { bv = v; best = j; }
        }
        out[o * inner + i] = best;
      }
    }
  }, [x.data, out], READ_WRITE);
  return new Tensor(out, x.shape.filter((_, i) => i !== ax), "int32");
}
