// The reviewed reasons why a call with a value of the bad pool among its arguments may return
// normally. Every accepted call with a bad argument must match one of these rules, else the fuzz
// fails it as silent acceptance. Each rule is narrow: either a structural fact checked on the call
// (the bad value is beyond the declared parameters, NaN in gives NaN out) or a short list of
// exports for which the "bad" value is legal, with the reason. No rule accepts by export alone
// without saying which value is legal and why.
import * as ad from "@regularize/core-autodiff";

/** An accepted call with at least one bad argument, as the rules see it. */
export interface AcceptedCall {
  /** The export's name (`f(…)` for a returned function, `f(…).m` for a method of a returned object). */
  readonly name: string;
  readonly fn: (...a: unknown[]) => unknown;
  readonly args: readonly unknown[];
  /** Positions of the bad-pool values among `args`. */
  readonly bad: readonly number[];
  /** Parameters `fn` declares in its source (see `declaredParams`). */
  readonly declared: number;
  readonly result: unknown;
  readonly construct: boolean;
}

export interface AcceptRule {
  /** Short id, printed in the report's count per reason. */
  readonly id: string;
  /** Why the accepted call is correct. */
  readonly reason: string;
  /** The exports it applies to (omitted: a structural rule, checked on every call by `when`). */
  readonly exports?: readonly string[];
  readonly when: (c: AcceptedCall) => boolean;
}

const hasNaN = (v: unknown, depth = 0): boolean => {
  if (v instanceof ad.Tensor) return Array.prototype.some.call(v.data, (e: number) => Number.isNaN(e));
  if (typeof v === "number") return Number.isNaN(v);
  if (ArrayBuffer.isView(v)) return Array.prototype.some.call(v, (e: number) => Number.isNaN(e));
  if (depth > 4 || v === null || typeof v !== "object") return false;
  return Object.values(v).some((e) => hasNaN(e, depth + 1));
};
const nonFinite = (v: unknown) =>
  (typeof v === "number" && !Number.isFinite(v)) ||
  ((v instanceof ad.Tensor || v instanceof Float64Array) && Array.prototype.some.call(v instanceof ad.Tensor ? v.data : v, (e: number) => !Number.isFinite(e)));
/** A finite number of the bad pool (−3, 1.5, 2**40, −2**31−1): out of range for a count or an index, legal as a value. */
const finiteNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
/** The bad pool's `Object.create(null)`: an empty object without a prototype. */
const emptyNullProto = (v: unknown) => v !== null && typeof v === "object" && Object.getPrototypeOf(v) === null && Object.keys(v).length === 0;
const isInt32Tensor = (v: unknown) => v instanceof ad.Tensor && v.dtype === "int32";
/** A tree of tensors one level deep (the bad pool's mismatched dataset {x, y}). */
const treeOfTensors = (v: unknown) => v !== null && typeof v === "object" && !(v instanceof ad.Tensor) && Object.values(v).length > 0 && Object.values(v).every((l) => l instanceof ad.Tensor);
/** The same function, or arrays of the same elements (sortPlugins returns a new array each call). */
const sameResult = (a: unknown, b: unknown) =>
  (typeof a === "function" && a === b) || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((e, i) => e === b[i]));
/** Whether every bad argument satisfies `p`. */
export const badAll = (c: AcceptedCall, p: (v: unknown, i: number) => boolean) => c.bad.every((i) => p(c.args[i], i));
/** Whether the bad arguments are only among the positions `at`. */
export const badOnlyAt = (c: AcceptedCall, ...at: number[]) => c.bad.every((i) => at.includes(i));

/** The reason for an extra argument (checked first, by `explain`). */
export const EXTRA_ARGUMENT: AcceptRule = {
  id: "extra-argument",
  reason:
    "every bad value is past the parameters the function declares (the fuzz passes up to arity+1 arguments); " +
    "JavaScript ignores extra positional arguments, and parameters with defaults are counted as declared",
  when: (c) => badAll(c, (_, i) => i >= c.declared),
};

/**
 * The rule explaining an accepted call with bad arguments, or undefined (silent acceptance). Bad
 * values past the declared parameters are ignored by the function: when all are, the reason is
 * `extra-argument`; otherwise the other rules judge the remaining ones.
 */
export function explain(rules: readonly AcceptRule[], c: AcceptedCall): AcceptRule | undefined {
  if (EXTRA_ARGUMENT.when(c)) return EXTRA_ARGUMENT;
  const inside = { ...c, bad: c.bad.filter((i) => i < c.declared) };
  return rules.find((r) => (r.exports === undefined || r.exports.includes(c.name)) && r.when(inside));
}

/** Factories whose only parameter is an optional options object. */
const OPTIONAL_OPTIONS = [
  "kaimingNormal", "kaimingUniform", "conv1dNet", "gru", "gabor", "shallowNet", "shallowNetLearnedJoints", "makeToyData", "makeMnist1d", "windowing",
  "RandomState(…).rand", "RandomState(…).randn", "RandomState(…).randomSample", "RandomState(…).standardNormal",
  "scaleByRms", "scaleByAdam", "traceMomentum", "emaMomentum", "noisyLabelLikelihoodLoss", "optionValidators",
  "circularShift", "gaussianNoise", "gaussianSmooth", "mixup", "cutmix", "cutout", "timeStretch", "sam", "meanOfProbabilities",
  "generateMnist1dRaw", "spectralNormalization", "ema", "earlyStopping", "posteriorSamples", "entropySgd", "amplitudeScale", "resolveMnist1dArgs", "meanOfLogits", "timeWarp",
];

/** Rules that hold for every package. */
const FRESH_FIT_BEFORE_FIT = ["ema", "posteriorSamples", "earlyStopping", "swa"].flatMap((p) => [`${p}(…).beforeFit`, `${p}.beforeFit`]);

export const SHARED_RULES: readonly AcceptRule[] = [
  {
    id: "error-constructor",
    reason: "constructing an exported error class: its arguments describe a failure and are only rendered into the message",
    when: (c) => c.construct && c.fn.prototype instanceof Error,
  },
  {
    id: "nan-in-nan-out",
    reason: "the only bad inputs are NaN/±Inf data and the result carries a NaN: IEEE propagation, visible to the caller (fit's checkFinite reports it)",
    when: (c) => badAll(c, nonFinite) && hasNaN(c.result),
  },
  {
    id: "int32-tensor-legal",
    reason: "an int32 tensor is a legal input of ops that move, compare or count values without needing floats (the result keeps int32 or is bool-like)",
    exports: ["slice", "stopGradient", "toPlainParams", "reshape", "permute", "squeeze", "expandDims", "concat", "stack", "where", "gather", "take", "onesLike", "zerosLike", "fullLike", "treeZerosLike", "isFinite", "eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum", "abs", "neg", "sign", "broadcastTo", "transpose", "flatten", "tile", "pad", "argmax", "argmin", "accuracy", "treeLeaves", "treeFlatten", "treeSize", "leavesWithPaths", "leafPaths", "detach", "maskInfo", "cloneTree", "treeAllFinite", "allFinite"],
    when: (c) => badAll(c, isInt32Tensor),
  },
  {
    id: "values-not-read",
    reason: "the function reads only the shape/dtype/structure of its tensor argument, never the values, so NaN/±Inf data is legal",
    exports: ["onesLike", "zerosLike", "fullLike", "treeZerosLike", "stopGradient", "treeLeaves", "treeFlatten", "treeSize", "leavesWithPaths", "leafPaths", "reshape", "permute", "transpose", "squeeze", "expandDims", "slice", "toPlainParams", "serializeState", "shapeOf", "l0PrunedUnits", "detach", "mapSelected"],
    when: (c) => badAll(c, nonFinite),
  },
  {
    id: "number-operand",
    reason: "a finite number (−3, 1.5, 2**40, −2**31−1) is a legal operand of arithmetic and comparison ops (a scalar broadcast against the other operand); NaN data beside it propagates into the result",
    exports: ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "reciprocal", "lt", "le", "gt", "ge", "eq", "ne", "where", "treeScale"],
    when: (c) => badAll(c, (v) => finiteNumber(v) || (nonFinite(v) && hasNaN(c.result))),
  },
  {
    id: "ieee-limit",
    reason: "±Infinity (no NaN) into an elementwise op with an IEEE limit (1/∞ = 0, exp(−∞) = 0, sigmoid/tanh saturate, relu(−∞) = 0): the finite result is correct",
    exports: ["hardConcreteNonZeroProb", "reciprocal", "exp", "expm1", "sigmoid", "tanh", "relu", "softplus", "elu", "leakyRelu", "atan", "clip", "abs", "neg", "sign", "maximum", "minimum", "div", "mul", "add", "sub", "square", "sqrt", "log", "log1p"],
    when: (c) => badAll(c, (v) => nonFinite(v) && !hasNaN(v)),
  },
  {
    id: "array-of-numbers-input",
    reason: "trueFunction (and its alias mu) evaluates the book's function at a finite number or every element of an array of them: negative or large values are legal inputs",
    exports: ["trueFunction", "mu"],
    when: (c) => badAll(c, (v, i) => i === 0 && (finiteNumber(v) || (Array.isArray(v) && v.every((e) => typeof e === "number" && Number.isFinite(e))))),
  },
  {
    id: "number-is-tensor-data",
    reason:
      "any number is a legal tensor value: tensor/scalar store it as given and constantInit fills with it (beyond int32, NaN and ±Inf included; " +
      "float32 rounds); tensor of a flat array of numbers (the bad pool's [65536, 65536], [-2, -3]) stores each",
    exports: ["tensor", "scalar", "constantInit"],
    when: (c) =>
      badAll(c, (v, i) => i === 0 && (typeof v === "number" ||
        (c.name === "tensor" && Array.isArray(v) && v.every((e) => typeof e === "number") && c.result instanceof ad.Tensor && c.result.size === v.length))),
  },
  {
    id: "number-data-default-options",
    reason:
      "tensor(values, Object.create(null)): empty options mean the defaults (float64, the values' own shape), and any number is tensor " +
      "data (see number-is-tensor-data): the float64 result holds each value as given",
    exports: ["tensor"],
    when: (c) => {
      const v = c.args[0];
      const flat = typeof v === "number" ? [v] : Array.isArray(v) && v.every((e) => typeof e === "number") ? (v as number[]) : null;
      return flat !== null && emptyNullProto(c.args[1]) && badAll(c, (_, i) => i <= 1) &&
        c.result instanceof ad.Tensor && c.result.dtype === "float64" && c.result.size === flat.length &&
        flat.every((e, k) => Object.is(e, (c.result as ad.Tensor).data[k]));
    },
  },
  {
    id: "tensor-of-tensor",
    reason: "tensor(t) copies a Tensor's values, whatever they are (NaN/±Inf are tensor data like any number), with default options when they are empty",
    exports: ["tensor"],
    when: (c) =>
      badAll(c, (v, i) => (i === 0 && v instanceof ad.Tensor) || (i === 1 && (v === undefined || emptyNullProto(v)))) &&
      c.args[0] instanceof ad.Tensor && c.result instanceof ad.Tensor && c.result !== c.args[0] &&
      c.result.size === c.args[0].size && Array.prototype.every.call(c.result.data, (e: number, k: number) => Object.is(e, (c.args[0] as ad.Tensor).data[k])),
  },
  {
    id: "ieee-comparison",
    reason: "comparing with NaN/±Inf is defined by IEEE 754 (NaN compares false, ±Inf orders): the boolean result is correct",
    exports: ["lt", "le", "gt", "ge", "eq", "ne"],
    when: (c) => badAll(c, nonFinite),
  },
  {
    id: "int32-comparison-operand",
    reason:
      "a comparison of an int32 tensor with a number or NaN/±Inf (IEEE-ordered, see ieee-comparison and number-operand): the int32 " +
      "operand compares as its values, so the result equals the comparison of its float64 copy",
    exports: ["lt", "le", "gt", "ge", "eq", "ne"],
    when: (c) => {
      if (!badAll(c, (v) => isInt32Tensor(v) || typeof v === "number" || nonFinite(v)) || !(c.result instanceof ad.Tensor)) return false;
      const asFloat = c.args.slice(0, 2).map((v) => (isInt32Tensor(v) ? ad.astype(v as ad.Tensor, "float64") : v));
      const ref = c.fn(...asFloat);
      return ref instanceof ad.Tensor && ref.size === c.result.size && Array.prototype.every.call(ref.data, (e: number, k: number) => e === (c.result as ad.Tensor).data[k]);
    },
  },
  {
    id: "empty-null-prototype-object",
    reason: "Object.create(null) with no keys is an empty plain object: no options set (defaults), or a tree without leaves",
    exports: [
      "leavesWithPaths", "leafPaths", "treeLeaves", "treeFlatten", "treeSize", "treeSquaredNorm", "treeNorm", "treeZerosLike", "treeAllFinite",
      "gabor", "mlp", "gru", "conv1dNet", "shallowNet", "shallowNetLearnedJoints", "kaimingUniform", "kaimingNormal",
      "mixup", "cutmix", "cutout", "timeStretch", "makeToyData", "makeMnist1d", "windowing", "posteriorSamples", "mean",
      "scaleByRms", "scaleByAdam", "traceMomentum", "emaMomentum", "noisyLabelLikelihoodLoss", "meanOfProbabilities", "ema", "gaussianSmooth", "sam",
      "spectralNormalization", "circularShift", "amplitudeScale", "entropySgd", "earlyStopping", "prunedGroups",
      "sum", "mean", "max", "min", "variance", "logSumExp", "detach", "resolveMnist1dArgs", "meanOfLogits", "timeWarp", "generateMnist1dRaw", "trueFunction", "mu",
    ],
    when: (c) => badAll(c, emptyNullProto),
  },
  {
    id: "undefined-is-default",
    reason: "undefined at an optional parameter means the default: permute's axes (reverse), mean's axis (all), a factory's options (all defaults)",
    exports: ["permute", "mean", "sum", "max", "min", "transpose", "flip", "checkPredictiveOptions", ...OPTIONAL_OPTIONS],
    // the first argument only for factories whose sole parameter is an optional options object
    when: (c) => badAll(c, (v, i) => v === undefined && (i > 0 || OPTIONAL_OPTIONS.includes(c.name))),
  },
  {
    id: "fresh-fit-context",
    reason: "beforeFit reads only the optional ctx.resumed (PluginContext.resumed?: absent means a fresh fit), so any object is a fresh fit's context",
    exports: FRESH_FIT_BEFORE_FIT,
    when: (c) => badOnlyAt(c, 0) && c.args[0] !== null && typeof c.args[0] === "object" && !("resumed" in (c.args[0] as object)),
  },
  {
    id: "tree-of-tensors",
    reason: "the bad pool's mismatched dataset {x, y} is a legal tree of tensors for the tree utilities (its leaves are tensors)",
    exports: ["cloneTree", "toPlainData", "leafPaths", "leavesWithPaths", "toPlainParams", "maskInfo", "l0Count", "l0PrunedUnits", "expectedL0", "lipschitzBound", "treeScale", "treeSquaredNorm", "treeNorm", "treeSize"],
    when: (c) => badAll(c, (v) => treeOfTensors(v) || emptyNullProto(v)),
  },
  {
    id: "mask-predicate",
    reason: "weightsOnly (a ParamMask) ignores its path, classifies any tensor leaf by rank (an int32 one too) and reads only info?.maxRank of its optional info: a boolean answer",
    exports: ["weightsOnly"],
    when: (c) => typeof c.result === "boolean" && c.args[1] instanceof ad.Tensor && badAll(c, (_, i) => i <= 2),
  },
  {
    id: "finiteness-query",
    reason: "the function answers whether values are finite: NaN/±Inf data is its purpose",
    exports: ["isFinite", "treeAllFinite", "allFinite", "isNaN"],
    when: (c) => badAll(c, nonFinite),
  },
];

/** Per package (the names of package-pools.ts's PACKAGES): the reviewed legal uses of bad-pool values. */
export const PACKAGE_RULES: Readonly<Record<string, readonly AcceptRule[]>> = {
  "core-train": [
    {
      id: "inspector-of-unknown",
      reason: "takes any value by contract: describeValue renders it for a message, fitFailure answers undefined for anything but a failed fit's error",
      exports: ["describeValue", "fitFailure"],
      when: (c) => (c.name === "describeValue" ? typeof c.result === "string" : c.result === undefined),
    },
    {
      id: "no-accuracy",
      reason: "accuracy answers undefined when pred and y are not a classification pair (documented: a regression has no accuracy)",
      exports: ["accuracy"],
      when: (c) => c.result === undefined,
    },
    {
      id: "custom-activation",
      reason: "an activation option may be a function (a custom activation, documented); resolveActivation returns it as is",
      exports: ["resolveActivation"],
      when: (c) => badOnlyAt(c, 0) && typeof c.args[0] === "function" && c.result === c.args[0],
    },
    {
      id: "option-label",
      reason:
        "resolveLoss/resolveActivation/sortPlugins's second parameter only names the option in error messages (rendered as text, never read otherwise): " +
        "any value there gives the same result as a plain label does",
      exports: ["resolveLoss", "resolveActivation", "sortPlugins"],
      // a function first is a custom loss/activation, returned as is (see custom-activation)
      when: (c) => badAll(c, (v, i) => i === 1 || (i === 0 && typeof v === "function")) && sameResult(c.result, c.fn(c.args[0], "option")),
    },
    {
      id: "custom-function-called",
      reason:
        "a custom loss/activation given to resolveLoss/resolveActivation is returned as is, so calling the result runs the caller's own " +
        "function (here the fuzzer's callbacks, e.g. x => x): what it accepts is its business. The built-in activations are core-autodiff " +
        "ops that check their tensor (not matched here), or thin wrappers calling one (elu, leakyRelu), or identity, which passes its input through",
      exports: ["resolveActivation(…)", "resolveLoss(…)"],
      when: (c) => !Object.values(ad).includes(c.fn),
    },
    {
      id: "validator-labels",
      reason: "an option validator's first two parameters (plugin, option) only name the culprit in its error message (rendered as text): a valid value passes whatever the labels",
      exports: ["optionValidators(…).boolean", "optionValidators(…).number", "optionValidators(…).integer", "optionValidators(…).positive", "optionValidators(…).nonNegative", "optionValidators(…).positiveInteger", "optionValidators(…).probability", "optionValidators(…).func"],
      when: (c) => badOnlyAt(c, 0, 1) && c.args.length >= 3 && c.result === c.args[2],
    },
    {
      id: "caller-label",
      reason: "checkPredictiveOptions(fn, options)'s fn only names the calling Predictive in its error messages (rendered as text): with valid options any label returns them",
      exports: ["checkPredictiveOptions"],
      when: (c) => badOnlyAt(c, 0) && (c.args[1] === undefined ? Object.keys(c.result as object).length === 0 : c.result === c.args[1]),
    },
    {
      id: "key-ignored",
      reason: "a constant initializer ignores its key by design (zeros, a constant fill): any key is as good as another",
      exports: ["zerosInit(…)", "constantInit(…)"],
      when: (c) => badOnlyAt(c, 0),
    },
    {
      id: "mask-info-reads-ranks",
      reason: "maskInfo(tree) answers { maxRank }, the largest rank among the leaves: it reads shapes, never values, so NaN/±Inf data is legal",
      exports: ["maskInfo"],
      when: (c) => badOnlyAt(c, 0) && c.args[0] instanceof ad.Tensor && nonFinite(c.args[0]) && (c.result as { maxRank?: unknown } | null)?.maxRank === c.args[0].ndim,
    },
    {
      id: "leafless-tree-callback",
      reason:
        "mapWithPaths/mapSelected call fn once per leaf: a tree without leaves ([] or {}) calls it never, so any function (one that " +
        "throws or returns a non-tensor) is legal there and the result is the same empty tree",
      exports: ["mapWithPaths", "mapSelected"],
      when: (c) => {
        const t = c.args[0];
        const empty = (v: unknown) => (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof ad.Tensor) && Object.keys(v).length === 0);
        return badAll(c, (v, i) => i >= 1 && typeof v === "function") && empty(t) && empty(c.result) && Array.isArray(c.result) === Array.isArray(t);
      },
    },
    {
      id: "type-guard",
      reason: "a type guard: it takes any value and answers a boolean",
      exports: ["isModel"],
      when: (c) => typeof c.result === "boolean",
    },
    {
      id: "option-fallback",
      reason: "optionOr(value, fallback) returns value unless it is undefined: a generic helper whose validation is the caller's validator's job",
      exports: ["optionOr"],
      when: (c) => c.result === (c.args[0] === undefined ? c.args[1] : c.args[0]),
    },
  ],
  datasets: [
    {
      id: "shuffle-any-array",
      reason: "shuffle permutes any array in place, as NumPy's shuffle takes any mutable sequence: the entries are moved, never read (an array of null is legal)",
      exports: ["RandomState(…).shuffle"],
      when: (c) => badOnlyAt(c, 0) && Array.isArray(c.args[0]),
    },
    {
      id: "uint32-seed-array",
      reason:
        "a non-empty array of integers in [0, 2**32 − 1] is a legal seed of NumPy's legacy RandomState (init_by_array): the bad pool's " +
        "[65536, 65536] and [2**31] are uint32 words (fractions, negatives and values ≥ 2**32 are rejected)",
      exports: ["RandomState", "RandomState(…).seed"],
      when: (c) => badOnlyAt(c, 0) && Array.isArray(c.args[0]) && c.args[0].length > 0 && (c.args[0] as unknown[]).every((w) => Number.isInteger(w) && (w as number) >= 0 && (w as number) <= 0xffffffff),
    },
    {
      id: "any-finite-value",
      reason: "a unit conversion of a target value (an affine map): any number converts, ±Infinity to ±Infinity",
      exports: ["fromDisplayUnits", "toDisplayUnits"],
      when: (c) => badOnlyAt(c, 0) && typeof c.args[0] === "number" && !Number.isNaN(c.args[0]) && c.result === (Number.isFinite(c.args[0]) ? c.result : c.args[0]),
    },
  ],
  noise: [
    {
      id: "type-guard",
      reason: "a type guard: it takes any value and answers a boolean",
      exports: ["isDropoutFamily"],
      when: (c) => typeof c.result === "boolean",
    },
  ],
  penalties: [
    {
      id: "nan-is-not-zero",
      reason: "prunedGroups counts groups whose weights are all exactly 0: a NaN/±Inf weight is not 0, so its group is not counted (and weightsOnly skips rank-1 tensors): the count is correct",
      exports: ["prunedGroups"],
      when: (c) => badOnlyAt(c, 0) && nonFinite(c.args[0]) && typeof c.result === "number",
    },
    {
      id: "safe-integer-seed",
      reason: "PowerIterationVectors(seed) takes any integer seed in [0, 2**53) (checked; larger or fractional seeds are rejected): 2**40 is legal",
      exports: ["PowerIterationVectors"],
      when: (c) => c.construct && badOnlyAt(c, 0) && Number.isSafeInteger(c.args[0]) && (c.args[0] as number) >= 0,
    },
    {
      id: "int32-matrix-norm",
      reason: "σ_max by power iteration reads the entries as numbers in float64 loops: an int32 matrix has a well-defined spectral norm (as NumPy's norm(int_matrix, 2))",
      exports: ["spectralNormEstimate", "spectralNorm", "lipschitzBound"],
      // spectralNorm and lipschitzBound answer a number, spectralNormEstimate { sigma, … }: either way finite
      when: (c) => badOnlyAt(c, 0) && isInt32Tensor(c.args[0]) && Number.isFinite(typeof c.result === "number" ? c.result : (c.result as { sigma?: unknown } | null)?.sigma),
    },
  ],
  experiments: [
    {
      id: "param-description",
      reason: "a param builder's last parameter is its description, free text shown in the CLI help and the playground: any string (\"x\", \"float\") is legal",
      exports: ["numberParam", "intParam", "boolParam", "enumParam", "pointParam"],
      when: (c) => badAll(c, (v, i) => typeof v === "string" && i === c.declared - 1),
    },
  ],
  ensemble: [
    {
      id: "member-seeds",
      reason: "seedMembers(base, seeds) spreads any base object (a fit configuration) into one member per seed: integers ≥ 0 such as 2**31 are seeds (fit checks the member's own options when it runs)",
      exports: ["seedMembers"],
      when: (c) => badOnlyAt(c, 0, 1) && c.args[0] !== null && typeof c.args[0] === "object" && Array.isArray(c.args[1]) && (c.args[1] as unknown[]).every((v) => Number.isSafeInteger(v) && (v as number) >= 0),
    },
    {
      id: "finite-numbers",
      reason: "the bad pool's [65536, 65536] is a legal vector of finite numbers to project onto the simplex",
      exports: ["projectSimplex"],
      when: (c) => badOnlyAt(c, 0) && Array.isArray(c.args[0]) && (c.args[0] as unknown[]).every(finiteNumber),
    },
  ],
  bayes: [
    {
      id: "any-finite-input",
      reason: "reluFeatures(x) evaluates the figure 9.11 feature map at every finite x: inputs outside [0, 1] are legal (the hinges are 0 or linear there)",
      exports: ["reluFeatures"],
      when: (c) => badOnlyAt(c, 0) && Array.isArray(c.args[0]) && (c.args[0] as unknown[]).every(finiteNumber),
    },
    {
      id: "any-warmup-length",
      reason: "klAnnealing(steps) takes any integer number of warm-up steps ≥ 1: 2**40 is a long warm-up, not a wrong one (the factor min(1, (t+1)/steps) stays in (0, 1])",
      exports: ["klAnnealing"],
      when: (c) => badOnlyAt(c, 0) && Number.isSafeInteger(c.args[0]) && (c.args[0] as number) >= 1 && typeof c.result === "function",
    },
    {
      id: "any-positive-variance",
      reason: "a noise variance is any finite number > 0: 2**40 is large, not wrong",
      exports: ["gaussianNllLoss"],
      when: (c) => badOnlyAt(c, 0) && finiteNumber(c.args[0]) && (c.args[0] as number) > 0,
    },
  ],
  transfer: [
    {
      id: "nan-log-variance",
      reason: "uncertaintyLogVarGradient is ½(1 − e^{−s}·L) per task: finite losses (negative ones too: an NLL can be) with a NaN/±Inf log-variance give NaN, IEEE propagation visible to the caller",
      exports: ["uncertaintyLogVarGradient"],
      when: (c) =>
        Array.isArray(c.args[0]) && (c.args[0] as unknown[]).every(finiteNumber) && nonFinite(c.args[1]) && hasNaN(c.result) &&
        badAll(c, (v, i) => i === 0 || (i === 1 && nonFinite(v))),
    },
    {
      id: "path-predicate",
      reason: "under(prefix)'s predicate reads only the path (checked to be a string) and never the leaf: any leaf gets the path's boolean answer",
      exports: ["under(…)"],
      when: (c) => badOnlyAt(c, 0) && typeof c.args[1] === "string" && typeof c.result === "boolean",
    },
    {
      id: "init-reads-structure",
      reason: "a param-group transform's init builds each group's state shaped like params: an empty tree has no parameters, so no group has state",
      exports: ["freeze(sgd).init"],
      when: (c) => badOnlyAt(c, 0) && emptyNullProto(c.args[0]),
    },
    {
      id: "type-guard",
      reason: "a type guard: it takes any value and answers a boolean",
      exports: ["isAugmentation"],
      when: (c) => typeof c.result === "boolean",
    },
    {
      id: "no-stateful-group",
      reason: "a paramGroups transform whose groups are all frozen (no optimizer state, no hyperparameters) has nothing to read in its state: it answers {}",
      exports: ["paramGroups(…).hyperparams"],
      when: (c) => c.result !== null && typeof c.result === "object" && Object.keys(c.result).length === 0 && badAll(c, (v) => v !== null && typeof v === "object"),
    },
    {
      id: "any-path-prefix",
      reason: "under(prefix) selects the parameters below a path prefix: any string is a prefix (one no parameter has selects none)",
      exports: ["under"],
      when: (c) => badOnlyAt(c, 0) && typeof c.args[0] === "string",
    },
  ],
  optim: [
    {
      id: "init-reads-structure",
      reason: "a transform's init builds zeros shaped like params: it reads the tree's structure and shapes, not the values (NaN data, an empty tree are legal)",
      exports: ["traceMomentum(…).init", "emaMomentum(…).init", "scaleByAdam(…).init", "scaleByRms(…).init", "scaleByLearningRate(…).init", "chain(…).init", "sgd.init", "adam.init"],
      // an int32 tensor is a tree of one leaf like any other; update then checks the gradients it gets
      when: (c) => badAll(c, (v) => nonFinite(v) || emptyNullProto(v) || isInt32Tensor(v) || treeOfTensors(v)),
    },
    {
      id: "stateless-passthrough",
      reason: "a stateless transform's state is an empty object it returns untouched, and identity passes its updates through unread: any object is as good as {} (the next transform or applyUpdates checks the updates)",
      exports: ["identity(…).update", "scale(…).update", "chain(…).init"],
      when: (c) =>
        (c.name === "chain(…).init" ? Array.isArray(c.result) && c.result.every((st) => st !== null && typeof st === "object" && Object.keys(st).length === 0) : true) &&
        badAll(c, (v) => v !== null && typeof v === "object"),
    },
    {
      id: "any-finite-factor",
      reason: "scale(factor) multiplies updates by any finite number (documented; scaleByLearningRate is the descent step with its sign check)",
      exports: ["scale"],
      when: (c) => badOnlyAt(c, 0) && finiteNumber(c.args[0]),
    },
    {
      id: "lazy-objective",
      reason: "samObjective wraps a loss function lazily: the function is of the right type, its values are checked when the objective runs",
      exports: ["samObjective"],
      when: (c) => badOnlyAt(c, 0) && typeof c.args[0] === "function" && typeof c.result === "function",
    },
    {
      id: "schedule-function",
      reason:
        "scaleByLearningRate's learning rate may be a schedule (a function of the step, documented ScheduleLike): it is user code, " +
        "its value is checked at every update (a NaN or negative value throws UsageError) and what it throws passes through",
      exports: ["scaleByLearningRate"],
      when: (c) => badOnlyAt(c, 0) && typeof c.args[0] === "function" && c.result !== null && typeof (c.result as { update?: unknown }).update === "function",
    },
    {
      id: "step-count",
      reason: "countValue reads a step count, a number or a count tensor: any integer ≥ 0 (2**40 included) is a count and comes back as is (negative or fractional ones are a UsageError)",
      exports: ["countValue"],
      when: (c) => badOnlyAt(c, 0) && Number.isSafeInteger(c.args[0]) && (c.args[0] as number) >= 0 && c.result === c.args[0],
    },
    {
      id: "any-learning-rate",
      reason: "scaleByLearningRate(lr) takes any finite lr ≥ 0 (1.5 or 2**40 are large, not wrong): an update that overflows is reported by fit's non-finite check, as with any step size",
      exports: ["scaleByLearningRate"],
      when: (c) => badOnlyAt(c, 0) && finiteNumber(c.args[0]) && (c.args[0] as number) >= 0,
    },
    {
      id: "schedule-value",
      reason: "a constant schedule's value is any finite number (the schedule does not know what it scales; the transform using it checks the sign)",
      exports: ["constantSchedule"],
      when: (c) => badOnlyAt(c, 0) && finiteNumber(c.args[0]),
    },
  ],
};

/** core-autodiff's reviewed legal uses of bad-pool values (its fuzz has no package pools). */
export const AUTODIFF_RULES: readonly AcceptRule[] = [
  {
    id: "size-arithmetic",
    reason: "sizeOf multiplies extents without allocating: a product beyond the tensor size guard is the right answer (the guard is in the allocating ops)",
    exports: ["sizeOf"],
    when: (c) => typeof c.result === "number" && Array.isArray(c.args[0]) && c.result === (c.args[0] as number[]).reduce((p, d) => p * d, 1),
  },
  {
    id: "null-slice",
    reason: "a null entry of a slice spec selects the whole axis (NumPy's x[:]): slice(x, [null]) is x's values, whatever they are",
    exports: ["slice"],
    when: (c) =>
      badAll(c, (v, i) => (i === 1 && Array.isArray(v) && v.every((e) => e === null)) || (i === 0 && nonFinite(v))) &&
      c.args[0] instanceof ad.Tensor && c.result instanceof ad.Tensor && c.result.size === c.args[0].size,
  },
  {
    id: "nan-index",
    reason: "argmax/argmin of data holding NaN answer the first NaN's index, as NumPy does (NaN propagates as the extreme): the NaN stays visible",
    exports: ["argmax", "argmin"],
    when: (c) => {
      const x = c.args[0];
      if (!badOnlyAt(c, 0) || !(x instanceof ad.Tensor) || x.ndim !== 1 || !(c.result instanceof ad.Tensor)) return false;
      return c.result.data[0] === Array.prototype.findIndex.call(x.data, (e: number) => Number.isNaN(e));
    },
  },
  {
    id: "fractional-range",
    reason: "arange's start/stop/step may be any finite numbers, as NumPy's arange(1.5) = [0, 1] or arange(0, 1, 0.25): ceil((stop − start)/step) values",
    exports: ["arange"],
    when: (c) => badAll(c, (v, i) => i <= 2 && finiteNumber(v)) && c.result instanceof ad.Tensor && c.result.ndim === 1,
  },
  {
    id: "default-create-options",
    reason: "undefined as a creation op's last parameter, its optional options, means the defaults (as omitting it): a float64 tensor",
    exports: ["zeros", "ones", "full", "linspace", "eye", "arange"],
    when: (c) => badAll(c, (v, i) => v === undefined && i === c.declared - 1) && c.result instanceof ad.Tensor && c.result.dtype === "float64",
  },
  {
    id: "int32-norm",
    reason: "treeNorm of an int32 tensor is a legal norm (as NumPy's norm of an int array): it sums the squares in float64, so it equals the norm of the float64 copy",
    exports: ["treeNorm"],
    when: (c) =>
      badOnlyAt(c, 0) && isInt32Tensor(c.args[0]) && typeof c.result === "number" &&
      c.result === ad.treeNorm(ad.astype(c.args[0] as ad.Tensor, "float64")),
  },
  {
    id: "linspace-endpoints",
    reason:
      "linspace's start and stop may be any finite numbers, in either order (NumPy's linspace(2**40, 1.5, n)): num values from start to stop, " +
      "none when num is 0 (shape [0], as NumPy)",
    exports: ["linspace"],
    when: (c) => {
      const r = c.result;
      const [start, stop, num] = c.args as number[];
      if (!badAll(c, (v, i) => i <= 1 && finiteNumber(v)) || !(r instanceof ad.Tensor) || r.ndim !== 1 || r.shape[0] !== num) return false;
      const cast = (v: number) => (r.dtype === "float32" ? Math.fround(v) : v);
      return num === 0 || (r.data[0] === cast(start!) && (num === 1 || r.data[num! - 1] === cast(stop!)));
    },
  },
  {
    id: "safe-integer-seed",
    reason: "prngKey takes any integer seed in [0, 2**53) (documented; split into two uint32 words like JAX's 64-bit seeds): 2**40 is legal",
    exports: ["prngKey"],
    when: (c) => badOnlyAt(c, 0) && Number.isSafeInteger(c.args[0]) && (c.args[0] as number) >= 0,
  },
  {
    id: "empty-range",
    reason: "arange(stop) with stop ≤ 0 is the empty range, as NumPy's arange(-3)",
    exports: ["arange"],
    when: (c) => c.result instanceof ad.Tensor && c.result.shape[0] === 0,
  },
  {
    id: "lazy-wrapper",
    reason: "grad/valueAndGrad/jit/vmap wrap a function lazily; the wrapped function's arguments are forwarded to the user's function, which decides",
    exports: ["grad", "valueAndGrad", "jit", "vmap", "jvp", "vjp", "hessianVectorProduct", "checkpoint", "grad(…)", "valueAndGrad(…)", "jit(…)", "vmap(…)", "jit(sum)", "jacobian", "hessian", "jacobian(…)", "hessian(…)"],
    when: (c) => typeof c.result === "function" || c.name.endsWith("(…)") || c.name === "jit(sum)",
  },
];
