import { type DType, type DataArray, alloc } from "./dtype.js";
import { dtypeArg, fnArg, tensorListArg } from "./validate.js";
import { Access, hostKernel } from "./kernel-trace.js";
import { type Shape, checkShape, sizeOf } from "./shape.js";
import { Tensor } from "./tensor.js";

/**
 * A tensor computed by JS code from the values of `inputs` (JAX's `pure_callback`):
 * `fn(out, ...inputArrays)` must write every element of `out` and depend on nothing but its
 * arguments (captured constants are fine). `jit` records the call as one step and runs `fn` again
 * on every replay, so scalars computed in JS from runtime inputs — Adam's bias corrections from a
 * step count, a schedule's learning rate, a check that throws — follow the inputs instead of being
 * frozen into the recording. The output is a constant to `grad` (no gradient flows through `fn`).
 * @example const lr = pureCallback((o, t) => { o[0] = 0.1 * 0.5 ** Math.floor(t[0]! / 100); }, [count], [], "float64");
 */
export function pureCallback(fn: (out: DataArray, ...inputs: DataArray[]) => void, inputs: readonly Tensor[], shape: Shape, dtype: DType): Tensor {
  fnArg("pureCallback", "fn", fn);
  tensorListArg("pureCallback", "inputs", inputs);
  const s = checkShape("pureCallback", shape);
  dtypeArg("pureCallback", "dtype", dtype, "float64");
  const out = alloc(dtype, sizeOf(s));
  const arrays = [out, ...inputs.map((t) => t.data)];
  hostKernel("pureCallback", fn as (...a: DataArray[]) => void, arrays, [Access.Write, ...inputs.map(() => Access.Read)]);
  return new Tensor(out, s, dtype);
}

/**
 * Run `fn` on the values of `inputs` now and, inside a `jit` recording, again on every replay: a
 * check (finite values, a valid range) that must see each call's values and may throw. `fn` must
 * not write its arguments.
 * @example hostCheck((g) => { for (const v of g) if (!Number.isFinite(v)) throw new Error("NaN gradient"); }, [grad]);
 */
export function hostCheck(fn: (...inputs: DataArray[]) => void, inputs: readonly Tensor[]): void {
  fnArg("hostCheck", "fn", fn);
  tensorListArg("hostCheck", "inputs", inputs);
  hostKernel("hostCheck", fn, inputs.map((t) => t.data), inputs.map(() => Access.Read));
}
