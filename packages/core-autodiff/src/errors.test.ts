import { describe, expect, it } from "vitest";
import {
  type Tensor, AutodiffError, DTypeError, NonFiniteError, ShapeError, TransformError, ValueError, add, astype, broadcastTo, clip, concat, conv1d,
  crossEntropy, eq, exp, expandDims, grad, matmul, maxPool1d, mean, mul, oneHot, ones, pad, reshape, slice, softmax, squeeze,
  stack, sum, take, takeAlongAxis, tensor, transpose, treeMap, unfold1d, valueAndGrad, variance, where, zeros, assertFinite,
  avgPool1d, binaryCrossEntropyWithLogits, mse, prngKey, uniform, split, linspace, vjp, jvp, DualPackageError, treeFlatten, scalar,
} from "./index.js";

const i32 = (v: number[], shape?: number[]) => tensor(v, shape ? { dtype: "int32", shape } : { dtype: "int32" });

// [what, call, class, message pattern]; every pattern names the op and the offending shapes or values.
type Case = readonly [string, () => unknown, new (...a: never[]) => AutodiffError, RegExp];

const cases: Case[] = [
  // shapes
  ["broadcast mismatch", () => add(ones([2, 3]), ones([4])), ShapeError, /^add: shapes \[2, 3\] and \[4\] cannot be broadcast together$/],
  ["broadcast mismatch in mul with a leading axis", () => mul(ones([5, 2, 3]), ones([3, 1])), ShapeError, /^mul: shapes \[5, 2, 3\] and \[3, 1\]/],
  ["where: cond does not broadcast", () => where(ones([3]), ones([2, 2]), 0), ShapeError, /^where: shapes \[3\] and \[2, 2\]/],
  ["matmul inner dimension", () => matmul(ones([2, 3]), ones([4, 5])), ShapeError, /^matmul: inner dimensions differ: \[2, 3\] @ \[4, 5\] \(3 vs 4\)$/],
  ["matmul inner dimension with transB", () => matmul(ones([2, 3]), ones([5, 4]), { transB: true }), ShapeError, /^matmul: .*\[2, 3\] @ \[5, 4\]ᵀ \(3 vs 4\)/],
  ["matmul batch axes", () => matmul(ones([2, 2, 3]), ones([3, 3, 4])), ShapeError, /^matmul: shapes \[2\] and \[3\] cannot be broadcast/],
  ["matmul of a scalar", () => matmul(tensor(2), ones([2])), ShapeError, /^matmul: .*\[\] and \[2\]/],
  ["reshape size", () => reshape(ones([2, 3]), [4]), ShapeError, /^reshape: cannot reshape \[2, 3\] \(6 elements\) into \[4\]$/],
  ["reshape with −1 that does not divide", () => reshape(ones([2, 3]), [4, -1]), ShapeError, /^reshape: cannot reshape \[2, 3\] into \[4, -1\]$/],
  ["conv1d channels", () => conv1d(ones([1, 2, 5]), ones([4, 3, 2])), ShapeError, /^conv1d: input has 2 channels but weight \[4, 3, 2\] expects 3$/],
  ["conv1d rank", () => conv1d(ones([2, 5]), ones([4, 2, 2])), ShapeError, /^conv1d: expected x \[N, Cin, L\] and w \[Cout, Cin, K\], got \[2, 5\] and \[4, 2, 2\]$/],
  ["conv1d bias", () => conv1d(ones([1, 2, 5]), ones([4, 2, 2]), { bias: ones([3]) }), ShapeError, /^conv1d: bias must be \[4\], got \[3\]$/],
  ["conv1d window longer than the input", () => conv1d(ones([1, 1, 2]), ones([1, 1, 3])), ShapeError, /^conv1d: input length 2 \(padding 0\) is shorter than the window span 3$/],
  ["maxPool1d rank", () => maxPool1d(ones([4]), { kernel: 2 }), ShapeError, /^maxPool1d: input must be \[N, C, L\], got \[4\]$/],
  ["unfold1d window", () => unfold1d(ones([1, 1, 3]), 2, { dilation: 3 }), ShapeError, /^unfold1d: input length 3 \(padding 0\) is shorter than the window span 4$/],
  ["sum axis out of range", () => sum(ones([2, 3]), { axis: 2 }), ShapeError, /^sum: axis 2 is out of range for a tensor of rank 2$/],
  ["negative axis out of range", () => softmax(ones([2, 3]), -3), ShapeError, /^softmax: axis -3 is out of range for a tensor of rank 2$/],
  ["axis of a scalar", () => mean(tensor(1), { axis: 0 }), ShapeError, /^mean: axis 0 is out of range for a tensor of rank 0$/],
  ["repeated axis", () => sum(ones([2, 3]), { axis: [1, -1] }), ShapeError, /^sum: repeated axis in \[1,-1\]$/],
  ["transpose permutation", () => transpose(ones([2, 3]), [0, 0]), ShapeError, /^transpose: axes \[0,0\] are not a permutation of 2 axes$/],
  ["squeeze a non-unit axis", () => squeeze(ones([2, 1]), 0), ShapeError, /^squeeze: axis 0 of \[2, 1\] has extent 2, not 1$/],
  ["expandDims axis", () => expandDims(ones([2]), 3), ShapeError, /^expandDims: axis 3 is out of range for a tensor of rank 2$/],
  // a Symbol or a null-prototype axis made the message's template literal throw a TypeError (fuzz, seed 31337)
  ["take with a Symbol axis", () => take(ones([3]), tensor([0], { dtype: "int32" }), Symbol("s") as never), ShapeError, /^take: axis Symbol\(s\) is out of range for a tensor of rank 1$/],
  ["take with a null-prototype axis", () => take(ones([3]), tensor([0], { dtype: "int32" }), Object.create(null) as never), ShapeError, /^take: axis of type object is out of range/],
  ["broadcastTo a smaller shape", () => broadcastTo(ones([2, 3]), [3]), ShapeError, /^broadcastTo: .*\[2, 3\].*\[3\]/],
  ["slice out of bounds", () => slice(ones([2, 3]), [null, [1, 4]]), ShapeError, /^slice: range \[1,4\] is out of bounds for axis 1 of \[2, 3\]$/],
  ["concat shapes", () => concat([ones([2, 3]), ones([2, 4])], 0), ShapeError, /^concat: shapes \[2, 3\], \[2, 4\] differ outside axis 0$/],
  ["concat of scalars", () => concat([tensor(1), tensor(2)]), ShapeError, /^concat: cannot concatenate scalars/],
  ["stack shapes", () => stack([ones([2]), ones([3])]), ShapeError, /^stack: shapes differ: \[2\], \[3\]$/],
  ["take index out of range", () => take(ones([2, 3]), i32([0, 3]), 1), ShapeError, /^take: index 3 \(flat position 1 of indices \[2\]\) is out of range for axis 1 of \[2, 3\]$/],
  ["take negative index", () => take(ones([4]), i32([-1])), ShapeError, /^take: index -1 .* axis 0 of \[4\]$/],
  ["takeAlongAxis index shape", () => takeAlongAxis(ones([2, 3]), i32([0, 1, 2], [3, 1]), 1), ShapeError, /^takeAlongAxis: indices \[3, 1\] must match \[2, 3\] outside axis 1$/],
  ["crossEntropy logits rank", () => crossEntropy(ones([3]), i32([0, 1, 2])), ShapeError, /^crossEntropy: logits must be \[N, C\], got \[3\]$/],
  ["crossEntropy label count", () => crossEntropy(ones([2, 3]), i32([0, 1, 2])), ShapeError, /^crossEntropy: labels must be \[2\] to match logits \[2, 3\], got \[3\]$/],
  ["crossEntropy soft target shape", () => crossEntropy(ones([2, 3]), ones([2, 2])), ShapeError, /^crossEntropy: soft targets \[2, 2\] must match logits \[2, 3\]$/],
  ["mse shapes (no implicit broadcasting)", () => mse(ones([3, 1]), ones([3])), ShapeError, /^mse: prediction \[3, 1\] and target \[3\] differ/],
  ["bce shapes", () => binaryCrossEntropyWithLogits(ones([3]), ones([2])), ShapeError, /^binaryCrossEntropyWithLogits: logits \[3\] and targets \[2\] differ$/],
  ["pad widths count", () => pad(ones([2, 2]), [[1, 1]]), ShapeError, /^pad: 1 pad widths for a tensor of rank 2 \[2, 2\]$/],
  ["ragged nested array", () => tensor([[1, 2], [3]]), ShapeError, /^tensor: ragged nested array: expected length 2 at depth 1$/],
  // dtypes
  ["float32 + float64", () => add(ones([2], { dtype: "float32" }), ones([2])), DTypeError, /^add: dtypes differ: float32 \[2\] and float64 \[2\]/],
  ["matmul float32 @ float64", () => matmul(ones([2, 2], { dtype: "float32" }), ones([2, 2])), DTypeError, /^matmul: dtypes differ: float32 \[2, 2\] and float64 \[2, 2\]/],
  ["concat dtypes", () => concat([ones([1]), ones([1], { dtype: "float32" })]), DTypeError, /^concat: dtypes differ: float64 \[1\] and float32 \[1\]$/],
  ["comparison of tensors with different dtypes", () => eq(ones([2]), ones([2], { dtype: "float32" })), DTypeError, /^eq: dtypes differ/],
  ["conv1d float32 weights on float64 input", () => conv1d(ones([1, 1, 3]), ones([1, 1, 2], { dtype: "float32" })), DTypeError, /^conv1d: dtypes differ: float64 \[1, 1, 3\] and float32 \[1, 1, 2\]/],
  ["mse float32 target", () => mse(ones([2]), ones([2], { dtype: "float32" })), DTypeError, /^mse: dtypes differ: float64 \[2\] and float32 \[2\]/],
  ["crossEntropy soft targets in another dtype", () => crossEntropy(ones([1, 2]), ones([1, 2], { dtype: "float32" })), DTypeError, /^crossEntropy: dtypes differ: float64 \[1, 2\] and float32 \[1, 2\]/],
  ["int32 into exp", () => exp(i32([1, 2])), DTypeError, /^exp: needs float64 or float32 input, got int32 tensor of shape \[2\]$/],
  ["int32 into add", () => add(i32([1]), i32([2])), DTypeError, /^add: needs float64 or float32 input, got int32 tensor of shape \[1\]$/],
  ["int32 into sum", () => sum(i32([1, 2])), DTypeError, /^sum: needs float64 or float32 .*\[2\]$/],
  ["int32 into conv1d", () => conv1d(ones([1, 1, 3]), i32([1, 1], [1, 1, 2])), DTypeError, /^conv1d: needs float64 or float32 input, got int32 tensor of shape \[1, 1, 2\]$/],
  ["float indices", () => take(ones([3]), tensor([0, 1])), DTypeError, /^take: indices must be an int32 tensor, got float64 of shape \[2\]$/],
  ["float labels for oneHot", () => oneHot(tensor([0, 1]), 3), DTypeError, /^oneHot: labels must be an int32 tensor, got float64 of shape \[2\]$/],
  ["vjp cotangent dtype", () => vjp((x: Tensor) => x, ones([2]))[1](ones([2], { dtype: "float32" })), DTypeError, /^vjp: cotangent is float32 \[2\] but the output is float64$/],
  ["jvp tangent dtype", () => jvp((x: Tensor) => x, ones([2]), ones([2], { dtype: "float32" })), DTypeError, /^jvp: tangent 0 is float32 \[2\] but its primal is float64$/],
  ["linspace to int32", () => linspace(0, 1, 3, { dtype: "int32" }), DTypeError, /^linspace: dtype must be float64 or float32$/],
  // values
  ["crossEntropy label out of range", () => crossEntropy(ones([2, 3]), i32([0, 3])), ValueError, /^crossEntropy: label 3 is outside \[0, 2\]$/],
  ["oneHot label out of range", () => oneHot(i32([0, -1]), 3), ValueError, /^oneHot: label -1 is outside \[0, 2\]$/],
  ["astype NaN to int32", () => astype(tensor([1, NaN]), "int32"), ValueError, /^astype: cannot cast NaN \(flat index 1 of float64 \[2\]\) to int32$/],
  ["astype overflow to int32", () => astype(tensor([3e9]), "int32"), ValueError, /^astype: cannot cast 3000000000 .* to int32$/],
  ["clip bounds", () => clip(ones([2]), 1, 0), ValueError, /^clip: need lo ≤ hi, got lo=1, hi=0$/],
  ["var ddof", () => variance(ones([2]), { ddof: 2 }), ValueError, /^var: need more than ddof=2 elements, got 2$/],
  ["maxPool1d window wholly in the padding", () => maxPool1d(ones([1, 1, 4]), { kernel: 2, padding: 2 }), ValueError, /^maxPool1d: window 0 \(kernel 2, stride 2, padding 2, dilation 1\) covers no element of an input of length 4$/],
  ["maxPool1d dilated window skipping the input", () => maxPool1d(ones([1, 1, 1]), { kernel: 2, stride: 1, padding: 1, dilation: 2 }), ValueError, /^maxPool1d: window 0 .*dilation 2\) covers no element of an input of length 1$/],
  ["pool stride", () => avgPool1d(ones([1, 1, 4]), { kernel: 2, stride: 0 }), ValueError, /^avgPool1d: stride must be an integer ≥ 1, got 0$/],
  ["int32 tensor from fractions", () => tensor([1.5], { dtype: "int32" }), ValueError, /^tensor: int32 tensor needs integer values, got 1.5 at index 0$/],
  ["item of a vector", () => ones([3]).item(), ValueError, /^item: tensor of shape \[3\] has 3 elements, not 1$/],
  ["crossEntropy reduction", () => crossEntropy(ones([1, 2]), i32([0]), { reduction: "avg" as never }), ValueError, /^crossEntropy: reduction must be/],
  ["uniform bounds", () => uniform(prngKey(0), [2], { minval: 1, maxval: 0 }), ValueError, /^uniform: need finite minval ≤ maxval, got 1, 0$/],
  ["split count", () => split(prngKey(0), 0), ValueError, /^split: n must be a positive integer, got 0$/],
  ["prngKey seed", () => prngKey(-1), ValueError, /^prngKey: seed must be a non-negative safe integer, got -1$/],
  // non-finite
  ["assertFinite", () => assertFinite(tensor([0, Infinity]), "logits"), NonFiniteError, /^assertFinite: logits \[2\] holds Infinity at flat index 1$/],
  ["checkFinite value", () => valueAndGrad((x: Tensor) => sum(mul(x, Infinity)), { checkFinite: true })(ones([2])), NonFiniteError, /^valueAndGrad: the value is Infinity$/],
  // transforms
  ["grad of a vector output", () => grad((x: Tensor) => mul(x, 2))(ones([3])), TransformError, /^grad: the function must return a scalar \(one-element\) tensor, got shape \[3\]$/],
  ["grad of a non-tensor output", () => grad((() => 3) as never)(ones([1])), TransformError, /^grad: the function must return a scalar tensor, got number$/],
  ["grad with respect to int32", () => grad((x: Tensor) => sum(x))(i32([1])), TransformError, /^valueAndGrad: cannot differentiate with respect to an int32 tensor of shape \[1\]$/],
];

describe("typed errors", () => {
  for (const [what, call, cls, pattern] of cases) {
    it(`${what}: ${cls.name} naming the op and shapes`, () => {
      let caught: unknown = undefined;
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(caught, "expected a throw").toBeInstanceOf(cls);
      expect(caught).toBeInstanceOf(AutodiffError);
      const err = caught as AutodiffError;
      expect(err.message).toMatch(pattern);
      expect(err.message.startsWith(`${err.op}: `)).toBe(true);
      expect(err.name).toBe(cls.name);
    });
  }

  it("treeMap over different structures throws ShapeError", () => {
    expect(() => treeMap((a, b) => add(a, b!), { a: zeros([1]) }, { b: zeros([1]) })).toThrow(ShapeError);
    expect(() => treeMap((a, b) => add(a, b!), [zeros([1])], [zeros([1]), zeros([1])])).toThrow(/^treeMap: trees have different structures$/);
  });
});

describe("DualPackageError", () => {
  // A tensor from another copy of the package: same brand (Symbol.for), a different class.
  const foreign = Object.assign(Object.create({ [Symbol.for("@regularize/core-autodiff/Tensor")]: true }), {
    data: new Float64Array([1]), shape: [], dtype: "float64",
  }) as unknown;

  it("names the other copy when a tree holds a foreign tensor", () => {
    expect(() => treeFlatten({ w: foreign } as never)).toThrow(DualPackageError);
    expect(() => treeFlatten({ w: foreign } as never)).toThrow(/\.w is a Tensor from another copy of @regularize\/core-autodiff/);
  });
  it("names the other copy when grad's function returns a foreign tensor", () => {
    expect(() => grad(() => foreign as never)(scalar(1))).toThrow(DualPackageError);
  });
  it("leaves this copy's tensors alone", () => {
    expect(treeFlatten({ w: scalar(2) })[0]).toHaveLength(1);
  });
});
