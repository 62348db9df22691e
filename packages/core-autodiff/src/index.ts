export { Tensor, type NestedArray } from "./tensor.js";
export type { DType, FloatDType, DataArray } from "./dtype.js";
export type { Shape } from "./shape.js";
export { broadcastShapes, sizeOf, MAX_SIZE } from "./shape.js";
export { AutodiffError, ShapeError, DTypeError, ValueError, ArgumentError, NonFiniteError, TransformError, DualPackageError } from "./errors.js";
export {
  tensor, full, zeros, ones, zerosLike, onesLike, fullLike, arange, linspace, eye, scalar,
  type TensorInput, type CreateOptions, type TensorLike,
} from "./ops/create.js";
export {
  add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge,
  neg, exp, log, log1p, sqrt, square, abs, sign, sin, cos, tanh, sigmoid, relu, leakyRelu, softplus, elu,
  reciprocal, isFinite, floor, where, clip, astype,
} from "./ops/elementwise.js";
export { sum, sumSquares, mean, max, min, variance, variance as var, logsumexp, argmax, argmin, type ReduceOptions } from "./ops/reduce.js";
export { sumToShape } from "./ops/sum-to-shape.js";
export {
  stopGradient, reshape, expandDims, squeeze, broadcastTo, transpose, permute, slice, pad, concat, stack, flip, roll,
  take, takeAlongAxis, take as gather, scatterAdd, type SliceSpec,
} from "./ops/shape.js";
export { matmul, dot, type MatmulOptions } from "./ops/linalg.js";
export { linear, type LinearOptions, type LinearActivation } from "./ops/fused.js";
export { adamStep, type AdamStepOptions } from "./ops/fused-optim.js";
export { solve, cholesky, logdetSpd, inv } from "./ops/solve.js";
export {
  softmax, logSoftmax, crossEntropy, binaryCrossEntropyWithLogits, mse, sse, oneHot, unfold1d, fold1d, conv1d, maxPool1d, avgPool1d,
  type Reduction, type CrossEntropyOptions, type Window1dOptions, type Conv1dOptions, type Pool1dOptions,
} from "./ops/nn.js";
export { grad, valueAndGrad, vjp, jvp, hvp, jacobian, hessian, vmap, assertFinite, type GradOptions, type InAxes, type VmapOptions } from "./transforms.js";
export { noGrad } from "./tape.js";
export { tidy } from "./tidy.js";
export { jit, type JitOptions, type Jitted } from "./jit.js";
export { pureCallback, hostCheck } from "./callback.js";
export {
  type Tree, type TreeDef, type MapTree, treeFlatten, treeUnflatten, treeLeaves, treeMap, treeReduce, treeAdd, treeSub,
  treeScale, treeZerosLike, treeDot, treeNorm, treeSquaredNorm, treeSize, treeAllFinite,
} from "./tree.js";
export { PRNGKey, prngKey, split, foldIn, foldInRange, foldInString, randomBits, uniform, normal, addScaledNormal, type AddScaledNormalOptions, bernoulli, bernoulliMask, randint, permutation, type RandomOptions } from "./random.js";
export { type Backend, tsBackend, wasmBackend, getBackend, setBackend } from "./backend.js";
export {
  hasWasmSimd, createWasmBackend, createWasmBackendAsync, type WasmBackendOptions, type WasmThresholds, type GemmBlocking,
} from "./wasm/wasm-backend.js";
export { allclose, compareAllclose, type AllcloseOptions, type AllcloseReport, type Numeric } from "./allclose.js";
