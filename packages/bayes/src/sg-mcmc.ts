import type { GradientTransformation, OptionKeys, Plugin } from "@regularize/core-train";
import { PluginError, TrainError, checkHookContext, describeValue, mapWithPaths, optionOr } from "@regularize/core-train";
import { type DataArray, type PRNGKey, Tensor, type Tree, add, addScaledNormal, foldIn, foldInRange, mul, prngKey, pureCallback, randint, treeFlatten, treeMap, treeZerosLike } from "@regularize/core-autodiff";
import { type StepCount, countTensor, countValue } from "@regularize/optim";
import { BayesArgumentError, check } from "./errors.js";

/** A step size: a number or a schedule of the 0-based step count. */
export type StepSize = number | ((count: number) => number);

/**
 * Options shared by SGLD and SGHMC. Convention (the package's): the gradients the transform receives
 * are those of the per-example negative log posterior U(φ)/N — a minibatch's *mean* negative
 * log-likelihood plus −log p(φ)/N — so that N·g is an unbiased estimate of ∇U with a minibatch
 * scaled by N/B. The chain targets p(φ | D)^(1/T).
 */
export interface SgMcmcOptions {
  /** Step size ε on the per-example scale (the same number plain SGD would take); a schedule for cyclical SG-MCMC. */
  readonly learningRate: StepSize;
  /** N, the number of training examples (the noise variance scales as 1/N). */
  readonly dataSize: number;
  /** T > 0 dividing the log posterior (default 1; T < 1 is a "cold" posterior). */
  readonly temperature?: number;
  /** Seed of the noise when the runner passes no key (default 0); fit passes a per-step key. */
  readonly seed?: number;
  /**
   * The law of the injected noise, always with mean 0 and the variance above: "gaussian" (default) or
   * "rademacher" (±sd with probability ½ each: one random bit per parameter instead of a Gaussian,
   * ~30× cheaper to draw). Langevin steps with two-point noise are the simplified weak Euler scheme
   * (Kloeden & Platen 1992, §14.1): the same weak order 1 as Gaussian steps, and for a quadratic U the
   * chain's stationary mean and covariance are exactly those of Gaussian noise.
   */
  readonly noise?: SgMcmcNoiseLaw;
  /**
   * Rounds of the Threefry-2x32 generator under Gaussian noise: 20 (default: the library's generator,
   * each leaf's z is `normal(foldIn(key, leaf))`) or 13 (Threefry-2x32-13, Random123's "Crush-resistant"
   * variant: ~35% cheaper words, no safety margin beyond the statistical tests; other numbers).
   */
  readonly threefryRounds?: 13 | 20;
}

/** The law of SG-MCMC's injected noise (see {@link SgMcmcOptions.noise}). */
export type SgMcmcNoiseLaw = "gaussian" | "rademacher";

/** State of {@link sgld}: the step count (a float64 scalar tensor, so fit's compiled step replays it). */
export interface SgldState {
  readonly count: StepCount;
}

/** State of {@link sghmc}: the step count and the momentum v. */
export interface SghmcState {
  readonly count: StepCount;
  readonly velocity: Tree;
}

/** The value of each constant schedule made by {@link schedule} (already checked finite and > 0). */
const constantRate = new WeakMap<(count: number) => number, number>();

function schedule(fn: string, lr: StepSize): (count: number) => number {
  if (typeof lr === "function") return lr;
  const v = check.positive(fn, "learningRate", lr);
  const f = () => v;
  constantRate.set(f, v);
  return f;
}

function checkRate(fn: string, a: number, count: number): number {
  if (!Number.isFinite(a) || a <= 0) throw new BayesArgumentError(fn, "learningRate", `schedule returned ${a} at step ${count} (need a finite number > 0)`);
  return a;
}

/** The key of step `count`: the runner's key, or foldIn(prngKey(seed), count) when called by hand (eager). @internal */
function stepKey(root: PRNGKey, count: Tensor, key: PRNGKey | undefined): PRNGKey {
  return key ?? foldIn(root, count.item());
}

/**
 * o = a·g ± sd for one leaf, a and sd from the step size ε = lr(count) (`coef`), the signs from bits
 * [w0, …) of the step's draw (31 per int32 word): one host kernel per leaf, no intermediate tensors.
 */
function rademacherLeaf(fn: string, lr: (c: number) => number, coef: (eps: number) => [number, number], w0: number) {
  return (o: DataArray, g: DataArray, bits: DataArray, count: DataArray): void => {
    const c = count[0]!, [a, sd] = coef(checkRate(fn, lr(c), c)), n = o.length;
    // branch-free: (2b − 1)·sd for bit b
    const two = 2 * sd;
    for (let w = w0, k = 0; k < n; w++) {
      let word = bits[w]!;
      const end = k + 31 < n ? k + 31 : n;
      for (; k < end; k++) { o[k] = a * g[k]! + ((word & 1) * two - sd); word >>= 1; }
    }
  };
}

/**
 * a·g + sd·z for every leaf g of `grads`, (a, sd) = coef(ε) at the runtime step size: z ~ N(0, I) per leaf
 * from foldIn(key, leaf index), or (Rademacher) signs from one draw of the step's key for all leaves.
 */
function noisyGradients<T extends Tree>(fn: string, grads: T, key: PRNGKey, count: Tensor, lr: (c: number) => number, law: SgMcmcNoiseLaw, rounds: 13 | 20, coef: (eps: number) => [number, number], unitScale = false): T {
  if (law === "rademacher") {
    const [leaves] = treeFlatten(grads);
    const offsets: number[] = [];
    let words = 0;
    for (const l of leaves) { offsets.push(words); words += Math.ceil(l.size / 31); }
    // one kernel draws the step's bits (jit replays it with each step's key), then one callback per leaf
    const bits = randint(key, [Math.max(1, words)], 0, 2 ** 31);
    return mapWithPaths(grads, (_p, g, i) => pureCallback(rademacherLeaf(fn, lr, coef, offsets[i]!), [g, bits, count], g.shape, dtypeOf(g)));
  }
  // one pass per leaf: a·g + sd·z drawn, scaled and added in one kernel (z never stored); unitScale
  // (the plugin over a plain optimizer): the noise is added to the raw gradient as it is (a = 1).
  // A constant step size (validated once) gives constant scalars: no callbacks in the step.
  const fixed = constantRate.get(lr);
  const c = fixed === undefined ? undefined : coef(fixed);
  const a = unitScale ? 1 : c !== undefined ? c[0] : stepScalars(fn, lr, count, (eps) => coef(eps)[0]);
  const sd = c !== undefined ? c[1] : stepScalars(fn, lr, count, (eps) => coef(eps)[1]);
  // the leaves' keys foldIn(key, i) in one kernel
  const n = treeFlatten(grads)[0].length;
  const keys = n === 0 ? [] : foldInRange(key, n);
  return mapWithPaths(grads, (_p, g, i) => addScaledNormal(keys[i]!, g, a, sd, { rounds }));
}

/**
 * Scalars of step `count` computed by a callback on the count tensor (jit replays it at the runtime
 * count): `values(ε)` as a float64 scalar tensor. The step size is checked there.
 */
function stepScalars(fn: string, lr: (c: number) => number, count: Tensor, values: (eps: number) => number): Tensor {
  return pureCallback((o: DataArray, c: DataArray) => { o[0] = values(checkRate(fn, lr(c[0]!), c[0]!)); }, [count], [], "float64");
}

const dtypeOf = (t: Tensor): "float32" | "float64" => (t.dtype === "float32" ? "float32" : "float64");

/** Validate the shared options. @internal */
export function sgMcmcOptions(fn: string, o: SgMcmcOptions): { lr: (c: number) => number; n: number; T: number; root: PRNGKey; law: SgMcmcNoiseLaw; rounds: 13 | 20 } {
  const law = check.oneOf(fn, "noise", optionOr(o.noise, "gaussian"), ["gaussian", "rademacher"] as const);
  return {
    law,
    rounds: check.oneOf(fn, "threefryRounds", optionOr(o.threefryRounds, 20), [20, 13] as const),
    lr: schedule(fn, o.learningRate),
    n: check.integer(fn, "dataSize", o.dataSize, 1),
    T: check.positive(fn, "temperature", optionOr(o.temperature, 1)),
    root: prngKey(check.integer(fn, "seed", optionOr(o.seed, 0), 0, Number.MAX_SAFE_INTEGER)),
  };
}

/**
 * Stochastic gradient Langevin dynamics (Welling & Teh 2011) as a gradient transformation to use as
 * fit's optimizer: Δφ = −ε·g + N(0, 2εT/N), i.e. Langevin steps of size η = ε/N on U = N·(mean loss)
 * whose stationary law (as ε → 0) is p(φ | D)^(1/T). Collect samples with {@link posteriorSamples}.
 * @example fit({ model, data, loss: gaussianNllLoss(0.09), optimizer: sgld({ learningRate: 1e-3, dataSize: 15 }), plugins: [gaussianPrior({ variance: 10, dataSize: 15 }), posteriorSamples({ burnIn: 1000, thinning: 10 })], steps: 5000 })
 */
export function sgld(options: SgMcmcOptions): GradientTransformation<SgldState> {
  const fn = "sgld";
  check.options(fn, options, SG_MCMC_KEYS, { required: true });
  const { lr, n, T, root, law, rounds } = sgMcmcOptions(fn, options);
  return {
    init: () => ({ count: countTensor(0) }),
    hyperparams: (s) => {
      checkCountState(fn, "hyperparams", s, ["count"]);
      return { lr: lr(countValue(s.count)) };
    },
    update(grads, state, _params, _step, key) {
      checkCountState(fn, "update", state, ["count"]);
      if (grads === null || typeof grads !== "object") throw new BayesArgumentError(fn, "grads", `update: must be a tree of tensors (what grad returns), got ${describeValue(grads)}`);
      const count = countTensor(state.count);
      const k = stepKey(root, count, key);
      return [noisyGradients(fn, grads, k, count, lr, law, rounds, (eps) => [-eps, Math.sqrt((2 * eps * T) / n)]), { count: add(count, 1) }];
    },
  };
}

/** Options of {@link sghmc}. */
const SG_MCMC_KEYS: OptionKeys<SgMcmcOptions> = { learningRate: true, dataSize: true, temperature: true, seed: true, noise: true, threefryRounds: true };

export interface SghmcOptions extends SgMcmcOptions {
  /** Friction α in (0, 1] (= 1 − momentum; default 0.1). */
  readonly friction?: number;
}

/**
 * Stochastic gradient Hamiltonian Monte Carlo (Chen, Fox & Guestrin 2014, eq. 15) as a gradient
 * transformation: v ← (1 − α)v − ε·g + N(0, 2αεT/N), Δφ = v (the gradient-noise estimate β̂ is 0).
 * @example sghmc({ learningRate: 1e-3, dataSize: 15, friction: 0.1, temperature: 0.5 })
 */
export function sghmc(options: SghmcOptions): GradientTransformation<SghmcState> {
  const fn = "sghmc";
  check.options(fn, options, { ...SG_MCMC_KEYS, friction: true }, { required: true });
  const { lr, n, T, root, law, rounds } = sgMcmcOptions(fn, options);
  const alpha = check.number(fn, "friction", optionOr(options.friction, 0.1), { above: 0, max: 1 });
  return {
    init: (params) => ({ count: countTensor(0), velocity: treeZerosLike(params) }),
    hyperparams: (s) => {
      checkCountState(fn, "hyperparams", s, ["count", "velocity"]);
      return { lr: lr(countValue(s.count)) };
    },
    update(grads, state, _params, _step, key) {
      checkCountState(fn, "update", state, ["count", "velocity"]);
      if (grads === null || typeof grads !== "object") throw new BayesArgumentError(fn, "grads", `update: must be a tree of tensors (what grad returns), got ${describeValue(grads)}`);
      const count = countTensor(state.count);
      const k = stepKey(root, count, key);
      const noisy = noisyGradients(fn, grads, k, count, lr, law, rounds, (eps) => [-eps, Math.sqrt((2 * alpha * eps * T) / n)]);
      const v = treeMap((vi, ni) => add(mul(vi, 1 - alpha), ni), state.velocity, noisy);
      return [v, { count: add(count, 1), velocity: v }];
    },
  };
}

/** Options of {@link posteriorSamples}. */
export interface PosteriorSamplesOptions {
  /** Steps discarded before the first sample (default 0). */
  readonly burnIn?: number;
  /** Keep every `thinning`-th step after burn-in (default 1). */
  readonly thinning?: number;
  /** Stop collecting after this many samples (default unlimited). */
  readonly maxSamples?: number;
  /** Plugin name (default "posteriorSamples"); `fit(...).plugins[name]` holds the samples. */
  readonly name?: string;
}
const POSTERIOR_SAMPLES_KEYS: OptionKeys<PosteriorSamplesOptions> = { burnIn: true, thinning: true, maxSamples: true, name: true };

/** What `fit(...).plugins[name]` holds for {@link posteriorSamples}. */
export interface PosteriorSamplesResult {
  /** Parameter trees after steps burnIn + thinning, burnIn + 2·thinning, … */
  readonly samples: Tree[];
  /** The (1-based) step count at which each sample was taken. */
  readonly steps: number[];
}

/**
 * Collects the parameters along an SG-MCMC chain with burn-in and thinning; the samples form an
 * ensemble (see {@link samplesPredictive}). Returned by fit under the plugin's name; checkpointed.
 * @example posteriorSamples({ burnIn: 1000, thinning: 10 })
 */
export function posteriorSamples(options: PosteriorSamplesOptions = {}): Omit<Plugin<unknown>, "result"> & { result(): PosteriorSamplesResult } {
  const fn = "posteriorSamples";
  const name = check.plugin(fn, options, POSTERIOR_SAMPLES_KEYS, { required: false });
  const burnIn = check.integer(name, "burnIn", optionOr(options.burnIn, 0), 0);
  const thinning = check.integer(name, "thinning", optionOr(options.thinning, 1), 1);
  const maxSamples = options.maxSamples === undefined ? Infinity : check.integer(name, "maxSamples", options.maxSamples, 1);
  let samples: Tree[] = [], steps: number[] = [];
  return {
    name,
    beforeFit: (ctx) => {
      checkHookContext(name, "beforeFit", ctx, []);
      if (!ctx.resumed) { samples = []; steps = []; }
    },
    afterStep(ctx) {
      checkHookContext(name, "afterStep", ctx, ["step", "params"]);
      const done = ctx.step + 1;
      if (done > burnIn && (done - burnIn) % thinning === 0 && samples.length < maxSamples) {
        // a copy: the runner may reuse parameter buffers between steps
        samples.push(treeMap((t) => new Tensor(t.data.slice(), [...t.shape], t.dtype), ctx.params));
        steps.push(done);
      }
    },
    saveState: () => ({ samples, steps }),
    loadState: (s) => {
      const st = s as Partial<PosteriorSamplesResult> | null;
      if (st === null || typeof st !== "object" || !Array.isArray(st.samples) || !Array.isArray(st.steps) || st.samples.length !== st.steps.length) {
        throw new PluginError(name, "loadState", new TrainError(`not a state saved by posteriorSamples ({ samples, steps } of equal length), got ${describeValue(s)}`));
      }
      samples = [...st.samples];
      steps = [...st.steps];
    },
    result: () => ({ samples: [...samples], steps: [...steps] }),
  };
}

/** A transform's state argument: what its init returned (an object with `keys`). */
function checkCountState(fn: string, method: string, state: unknown, keys: readonly string[]): void {
  if (state === null || typeof state !== "object" || keys.some((k) => (state as Record<string, unknown>)[k] === undefined)) {
    throw new BayesArgumentError(fn, "state", `${method}: must be what init returned (an object with ${keys.join(", ")}), got ${describeValue(state)}`);
  }
}

/** Options of {@link sgMcmcNoise}. */
export interface SgMcmcNoiseOptions extends SgMcmcOptions, PosteriorSamplesOptions {
  /** Friction α of SGHMC (default 1 = SGLD); run the optimizer with momentum 1 − α (`sgd({ learningRate, momentum: 1 − α })`). */
  readonly friction?: number;
}

/**
 * SGLD / SGHMC as a plugin over a plain optimizer: adds N(0, 2αT/(N·ε)) to the raw gradients
 * (`enforce: "pre"`), so that `sgd({ learningRate: ε })` takes exactly {@link sgld}'s step (α = 1) and
 * `sgd({ learningRate: ε, momentum: 1 − α })` {@link sghmc}'s; `ε` must be the optimizer's step size.
 * It also collects samples with burn-in and thinning (`fit(...).plugins[name]`, as {@link posteriorSamples}).
 * @example fit({ ..., optimizer: sgd({ learningRate: 1e-3 }), plugins: [sgMcmcNoise({ learningRate: 1e-3, dataSize: 4000, burnIn: 500, thinning: 50 })] })
 */
export function sgMcmcNoise(options: SgMcmcNoiseOptions): Omit<Plugin<SgldState>, "result"> & { result(): PosteriorSamplesResult } {
  check.options("sgMcmcNoise", options, { ...SG_MCMC_KEYS, ...POSTERIOR_SAMPLES_KEYS, friction: true }, { required: true });
  const alpha = check.number("sgMcmcNoise", "friction", optionOr(options.friction, 1), { above: 0, max: 1 });
  const fn = check.name("sgMcmcNoise", options.name, alpha === 1 ? "sgld" : "sghmc");
  const { lr, n, T, root, law, rounds } = sgMcmcOptions(fn, options);
  const { burnIn, thinning, maxSamples } = options;
  const collector = posteriorSamples({
    name: fn, ...(burnIn === undefined ? {} : { burnIn }), ...(thinning === undefined ? {} : { thinning }), ...(maxSamples === undefined ? {} : { maxSamples }),
  });
  return {
    ...collector,
    enforce: "pre",
    transform: {
      init: () => ({ count: countTensor(0) }),
      update(grads, state, _params, _step, key) {
        const count = countTensor(state.count);
        const k = stepKey(root, count, key);
        return [noisyGradients(fn, grads, k, count, lr, law, rounds, (eps) => [1, Math.sqrt((2 * alpha * T) / (n * eps))], true), { count: add(count, 1) }];
      },
    },
  };
}
