import { type DType, type Tensor, ShapeError, add, arange, div, foldIn, matmul, mul, relu, reshape, sub } from "@regularize/core-autodiff";
import { applyArgs, ownOptions, positiveInt } from "./check.js";
import { type Initializer, constantInit, normalInit, zerosInit } from "./init.js";
import { type Model, type ModelDTypeOptions, passThrough, site } from "./model.js";

/**
 * Parameters of the chapter's simplified network: output weights ω [K] and output bias β [] (a
 * scalar). Flattened (treeFlatten sorts keys) the order is [β, ω₀, …, ω_{K−1}]: bias first, as
 * notebook 9.3.
 */
export type ShallowNetParams = {
  readonly omega: Tensor;
  readonly beta: Tensor;
};

/** Options of `shallowNet`. */
export interface ShallowNetOptions extends ModelDTypeOptions {
  /** Number of hidden units (default 14, the chapter's 14-linear-region network). */
  readonly K?: number;
  /** Initialiser of ω (default N(0, 0.5²), the suggested init of figure 9.6). */
  readonly omegaInit?: Initializer;
  /** Initialiser of β (default 0). */
  readonly betaInit?: Initializer;
}

const HIDDEN = site("hidden0", 0);

function as2d(op: string, x: Tensor): Tensor {
  if (x.ndim === 1) return reshape(x, [x.shape[0]!, 1]);
  if (x.ndim === 2 && x.shape[1] === 1) return x;
  throw new ShapeError(op, `expects scalar inputs [N] or [N, 1], got [${x.shape.join(", ")}]`);
}

/** The joints k/K, k = 0…K−1 (a constant, cached per dtype). */
function jointsOf(K: number): (dtype: DType) => Tensor {
  const cache = new Map<DType, Tensor>();
  return (dtype) => {
    let j = cache.get(dtype);
    if (!j) cache.set(dtype, (j = div(arange(0, K, 1, { dtype }), K)));
    return j;
  };
}

/**
 * The chapter's simplified shallow network (§8 fig 8.4, used by figs 9.2, 9.6, 9.9–9.11): fixed
 * hidden units h_k(x) = relu(x − k/K), learned output weights and bias, f(x) = β + Σ_k ω_k h_k(x).
 * Linear in its K+1 parameters. x [N] → [N] (or [N, 1] → [N, 1]); site "hidden0" on h [N, K].
 */
export function shallowNet(opts: ShallowNetOptions = {}): Model<ShallowNetParams> {
  opts = ownOptions("shallowNet", opts, ["K", "omegaInit", "betaInit", "dtype"]);
  const K = positiveInt("shallowNet.K", opts.K ?? 14);
  const dtype = opts.dtype ?? "float64";
  const joints = jointsOf(K);
  const fans = { fanIn: K, fanOut: 1 };
  return {
    name: `shallowNet(K=${K})`,
    sites: [HIDDEN],
    init: (key) => ({
      omega: (opts.omegaInit ?? normalInit({ std: 0.5 }))(foldIn(key, 0), [K], fans, dtype),
      beta: (opts.betaInit ?? zerosInit())(foldIn(key, 1), [], fans, dtype),
    }),
    apply: (params, x, ctx = passThrough) => {
      applyArgs("shallowNet", params, x, ctx, ["omega", "beta"]);
      const h = ctx.site(HIDDEN, relu(sub(as2d("shallowNet", x), joints(x.dtype))));
      return reshape(add(matmul(h, params.omega), params.beta), x.shape);
    },
  };
}

/** Parameters of the shallow network with learned joints: h_k = relu(θ0_k + θ1_k·x), f = β + Σ ω_k h_k. */
export type ShallowNetJointsParams = ShallowNetParams & {
  /** Hidden biases θ0 [K] (joint of unit k at −θ0_k/θ1_k). */
  readonly theta0: Tensor;
  /** Hidden slopes θ1 [K]. */
  readonly theta1: Tensor;
};

/** Options of `shallowNetLearnedJoints`. */
export interface ShallowNetJointsOptions extends ShallowNetOptions {
  /** Initialiser of θ0 (default −k/K: the simplified network's joints). */
  readonly theta0Init?: Initializer;
  /** Initialiser of θ1 (default 1). */
  readonly theta1Init?: Initializer;
}

/**
 * The chapter's general shallow ReLU network (eq. 3.1 style) with K units whose joints and slopes
 * are learned too; it starts at the simplified network's joints by default. Same input/output
 * shapes and site as `shallowNet`.
 */
export function shallowNetLearnedJoints(opts: ShallowNetJointsOptions = {}): Model<ShallowNetJointsParams> {
  opts = ownOptions("shallowNetLearnedJoints", opts, ["K", "omegaInit", "betaInit", "theta0Init", "theta1Init", "dtype"]);
  const K = positiveInt("shallowNetLearnedJoints.K", opts.K ?? 14);
  const dtype = opts.dtype ?? "float64";
  const fans = { fanIn: 1, fanOut: K };
  const fixedJoints: Initializer = (_key, _shape, _fans, dt) => div(arange(0, -K, -1, { dtype: dt }), K);
  return {
    name: `shallowNetLearnedJoints(K=${K})`,
    sites: [HIDDEN],
    init: (key) => ({
      omega: (opts.omegaInit ?? normalInit({ std: 0.5 }))(foldIn(key, 0), [K], { fanIn: K, fanOut: 1 }, dtype),
      beta: (opts.betaInit ?? zerosInit())(foldIn(key, 1), [], { fanIn: K, fanOut: 1 }, dtype),
      theta0: (opts.theta0Init ?? fixedJoints)(foldIn(key, 2), [K], fans, dtype),
      theta1: (opts.theta1Init ?? constantInit(1))(foldIn(key, 3), [K], fans, dtype),
    }),
    apply: (params, x, ctx = passThrough) => {
      applyArgs("shallowNetLearnedJoints", params, x, ctx, ["omega", "beta", "theta0", "theta1"]);
      const pre = add(mul(as2d("shallowNetLearnedJoints", x), params.theta1), params.theta0);
      const h = ctx.site(HIDDEN, relu(pre));
      return reshape(add(matmul(h, params.omega), params.beta), x.shape);
    },
  };
}
