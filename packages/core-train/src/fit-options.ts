import { type PRNGKey, Tensor, type Tree, prngKey } from "@regularize/core-autodiff";
import { nonNegativeInt, positiveInt } from "./check.js";
import { FitOptionsError } from "./errors.js";
import type { History } from "./history.js";
import { type Loss, type LossName, resolveLoss } from "./losses.js";
import { type Model, isModel } from "./model.js";
import { nearestName } from "./plugin-options.js";
import { sortPlugins } from "./plugin-order.js";
import type { Dataset, Plugin } from "./plugin.js";
import type { GradientTransformation } from "./transform.js";
import type { TrainState } from "./train-state.js";

/** Progress reported to `onProgress`. */
export interface Progress {
  /** Steps completed. */
  readonly step: number;
  readonly epoch: number;
  /** The step budget when known. */
  readonly totalSteps: number | undefined;
  /** step / totalSteps when known. */
  readonly fraction: number | undefined;
  /** Objective value of the last step (NaN before the first). */
  readonly loss: number;
  /** Wall time since fit started. */
  readonly elapsedMs: number;
  /** Training speed over the steps since the previous report (NaN before the first step). */
  readonly stepsPerSecond: number;
}

/** Options of `fit`. */
export interface FitOptions<P extends Tree = Tree> {
  readonly model: Model<P>;
  /** Starting parameters (default: model.init(foldInString(key, "init"))). Not mutated. */
  readonly params?: P;
  /** Root PRNG key; every random stream of the run derives from it. */
  readonly key?: PRNGKey;
  /** Seed of the root key when `key` is absent (default 0). */
  readonly seed?: number;
  /** Training set: x [N, …], y [N, …]. */
  readonly data: Dataset;
  /** Validation set, evaluated (eval mode) at the end of every `evaluateEvery`-th epoch. */
  readonly validation?: Dataset;
  /** The data loss: a function or "sse" | "mse" | "crossEntropy" | "crossEntropySum". */
  readonly loss: Loss | LossName;
  /** Maps (transformed) gradients to updates added to the parameters, e.g. SGD returns −α·g. */
  readonly optimizer: GradientTransformation<unknown>;
  readonly plugins?: readonly Plugin[];
  /** Examples per batch (default: all, i.e. full-batch gradient descent; any value ≥ N is full batch). */
  readonly batchSize?: number;
  /** Stop when this many epochs are complete (counted from 0, also when resuming). */
  readonly epochs?: number;
  /** Stop when this many steps are complete (counted from 0, also when resuming). */
  readonly steps?: number;
  /** Reshuffle the training set every epoch from the run's key (default true); false = sequential batches. */
  readonly shuffle?: boolean;
  /** Drop the last short batch of an epoch (default false). */
  readonly dropLast?: boolean;
  /** Evaluate the validation set every this many epochs (default 1). */
  readonly evaluateEvery?: number;
  /** Also evaluate the whole training set (eval mode) at epoch ends: trainEvalLoss, trainAccuracy (default false). */
  readonly evaluateTrain?: boolean;
  /** Record a step row every this many steps (default 1). */
  readonly logEvery?: number;
  /** Checked between steps; an aborted fit returns with stopped "aborted" (after* hooks run). */
  readonly signal?: AbortSignal;
  /** Called every `progressEvery` steps and once at the end. */
  readonly onProgress?: (p: Progress) => void;
  /** Steps between progress reports (default: 1% of the budget when known, else 10). */
  readonly progressEvery?: number;
  /** Yield to the event loop when this much time has passed since the last yield (default 20 ms). */
  readonly yieldEveryMs?: number;
  /** Called with a resumable state every `checkpointEvery` steps (at step or epoch boundaries). */
  readonly onCheckpoint?: (state: TrainState) => void | Promise<void>;
  readonly checkpointEvery?: number;
  /** Resume exactly from a state returned by a previous fit (or deserializeState). */
  readonly initialState?: TrainState;
  /** Stop with NonFiniteLossError on NaN/Inf in the loss, gradients or updates (default true). */
  readonly checkFinite?: boolean;
  /**
   * Record the training step once with core-autodiff's `jit` and replay it (default true): the
   * forward pass, loss, penalties, plugins' forward wrappers, gradients, transforms and update,
   * with params, states, batch and PRNG key as runtime inputs. Bit-identical to `compile: false`.
   * A run whose step cannot be recorded runs eagerly and says why once through `onNotice`.
   */
  readonly compile?: boolean;
  /** Receives the one-time notice of a run that falls back to eager steps (default: console.warn). */
  readonly onNotice?: (message: string) => void;
  /**
   * Run each eager step in a `tidy` memory scope (default true; off when a plugin declares
   * `keepsTensors`). Compiled steps allocate only their outputs and need no scope.
   */
  readonly memoryScope?: boolean;
}

/** Why a fit ended. */
export type StopReason = "completed" | "cancelled" | "aborted";

/** What `fit` returns. */
export interface FitResult<P extends Tree = Tree> {
  /** Final parameters (after afterFit hooks, e.g. early stopping's restore). */
  readonly params: P;
  readonly history: History;
  /** Resumable state at the point the loop stopped (before the closing afterEpoch/afterFit hooks). */
  readonly state: TrainState;
  readonly stopped: StopReason;
  /** Whether the steps ran compiled (false: `compile: false`, or the fallback reason in `notices`). */
  readonly compiled: boolean;
  /** Notices of the run (the reason for an eager fallback). */
  readonly notices: readonly string[];
  /** Each plugin's `result()` (averages, snapshots, samples), by plugin name; plugins without one are absent. */
  readonly plugins: Readonly<Record<string, unknown>>;
}

/** @internal Options after validation. */
export interface ResolvedFitOptions<P extends Tree> {
  readonly model: Model<P>;
  readonly key: PRNGKey;
  readonly data: Dataset;
  readonly validation: Dataset | undefined;
  readonly n: number;
  readonly loss: Loss;
  readonly optimizer: GradientTransformation<unknown>;
  readonly plugins: readonly Plugin[];
  readonly batchSize: number;
  readonly epochs: number | undefined;
  readonly steps: number | undefined;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly evaluateEvery: number;
  readonly logEvery: number;
  readonly progressEvery: number | undefined;
  readonly yieldEveryMs: number;
  readonly checkpointEvery: number | undefined;
  readonly compile: boolean;
  readonly memoryScope: boolean;
}

function checkDataset(option: string, d: unknown): Dataset {
  if (d === null || typeof d !== "object") throw new FitOptionsError(option, `must be { x, y } with tensors`);
  const { x, y } = d as { x?: unknown; y?: unknown };
  if (!(x instanceof Tensor)) throw new FitOptionsError(`${option}.x`, `must be a Tensor`);
  if (!(y instanceof Tensor)) throw new FitOptionsError(`${option}.y`, `must be a Tensor`);
  if (x.ndim === 0 || y.ndim === 0) throw new FitOptionsError(option, `x and y need a leading example axis, got shapes [${x.shape}] and [${y.shape}]`);
  if (x.shape[0] !== y.shape[0]) throw new FitOptionsError(option, `x has ${x.shape[0]} examples but y has ${y.shape[0]}`);
  if (x.shape[0] === 0) throw new FitOptionsError(option, `is empty`);
  return d as Dataset;
}

function optionalBoolean(option: string, v: unknown): boolean | undefined {
  if (v !== undefined && typeof v !== "boolean") throw new FitOptionsError(option, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function optionalPositive(option: string, v: unknown): number | undefined {
  return v === undefined ? undefined : positiveInt(option, v);
}

/** Every option `fit` knows; the type check below keeps it in step with FitOptions. */
const FIT_OPTION_KEYS = [
  "model", "params", "key", "seed", "data", "validation", "loss", "optimizer", "plugins", "batchSize", "epochs", "steps",
  "shuffle", "dropLast", "evaluateEvery", "evaluateTrain", "logEvery", "signal", "onProgress", "progressEvery",
  "yieldEveryMs", "onCheckpoint", "checkpointEvery", "initialState", "checkFinite", "compile", "onNotice", "memoryScope",
] as const satisfies readonly (keyof FitOptions)[];
type UnlistedOption = Exclude<keyof FitOptions, (typeof FIT_OPTION_KEYS)[number]>;
const everyOptionListed: [UnlistedOption] extends [never] ? true : UnlistedOption = true;
void everyOptionListed;

/** A misspelled option would silently fall back to its default (`batchsize: 2` → full batch): refuse it. */
function rejectUnknownOptions(o: object): void {
  for (const k of Object.keys(o)) {
    if ((FIT_OPTION_KEYS as readonly string[]).includes(k)) continue;
    const near = nearestName(k, FIT_OPTION_KEYS);
    throw new FitOptionsError(k, `is not an option of fit${near === undefined ? "" : ` (did you mean "${near}"?)`}; the options are ${FIT_OPTION_KEYS.join(", ")}`);
  }
}

/** The validation set must look like the training set past the example axis (else it fails only after an epoch). */
function checkValidationShape(data: Dataset, validation: Dataset): void {
  for (const f of ["x", "y"] as const) {
    const want = data[f].shape.slice(1), got = validation[f].shape.slice(1);
    if (want.length !== got.length || want.some((d, i) => d !== got[i])) {
      throw new FitOptionsError(`validation.${f}`, `has examples of shape [${got.join(", ")}] but the training set's are [${want.join(", ")}] (shapes [${validation[f].shape.join(", ")}] vs [${data[f].shape.join(", ")}])`);
    }
    if (validation[f].dtype !== data[f].dtype) {
      throw new FitOptionsError(`validation.${f}`, `is ${validation[f].dtype} but the training set's ${f} is ${data[f].dtype}`);
    }
  }
}

/** @internal Validate every option before any work; throws FitOptionsError naming the argument. */
export function resolveFitOptions<P extends Tree>(o: FitOptions<P>): ResolvedFitOptions<P> {
  if (o === null || typeof o !== "object") throw new FitOptionsError("options", `fit needs an options object`);
  rejectUnknownOptions(o);
  if (!isModel(o.model)) throw new FitOptionsError("model", `must be a Model with init(key) and apply(params, x)`);
  const data = checkDataset("data", o.data);
  const validation = o.validation === undefined ? undefined : checkDataset("validation", o.validation);
  if (validation !== undefined) checkValidationShape(data, validation);
  const loss = resolveLoss(o.loss, "loss");
  const opt = o.optimizer as Partial<GradientTransformation> | undefined;
  if (!opt || typeof opt.init !== "function" || typeof opt.update !== "function") throw new FitOptionsError("optimizer", `must be a GradientTransformation with init(params) and update(updates, state, params, step)`);
  const plugins = sortPlugins(o.plugins ?? [], "plugins");
  const n = data.x.shape[0]!;
  const batchSize = o.batchSize === undefined ? n : positiveInt("batchSize", o.batchSize);
  const epochs = o.epochs === undefined ? undefined : nonNegativeInt("epochs", o.epochs);
  const steps = o.steps === undefined ? undefined : nonNegativeInt("steps", o.steps);
  if (epochs === undefined && steps === undefined) throw new FitOptionsError("epochs", `give epochs or steps (or both: the first reached stops the fit)`);
  if (o.key !== undefined && o.seed !== undefined) throw new FitOptionsError("seed", `give key or seed, not both`);
  if (o.seed !== undefined && (!Number.isSafeInteger(o.seed) || o.seed < 0)) throw new FitOptionsError("seed", `must be a non-negative safe integer, got ${o.seed}`);
  if (o.key !== undefined && (typeof o.key !== "object" || typeof o.key.k0 !== "number")) throw new FitOptionsError("key", `must be a PRNGKey (prngKey(seed))`);
  if (o.params !== undefined && o.initialState !== undefined) throw new FitOptionsError("params", `give params or initialState, not both (the state holds the parameters)`);
  if (o.signal !== undefined && (typeof o.signal !== "object" || typeof o.signal.aborted !== "boolean")) throw new FitOptionsError("signal", `must be an AbortSignal`);
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") throw new FitOptionsError("onProgress", `must be a function`);
  if (o.onCheckpoint !== undefined && typeof o.onCheckpoint !== "function") throw new FitOptionsError("onCheckpoint", `must be a function`);
  if (o.onNotice !== undefined && typeof o.onNotice !== "function") throw new FitOptionsError("onNotice", `must be a function`);
  const yieldEveryMs = o.yieldEveryMs ?? 20;
  if (!(yieldEveryMs >= 0)) throw new FitOptionsError("yieldEveryMs", `must be a number ≥ 0, got ${yieldEveryMs}`);
  const dropLast = o.dropLast ?? false;
  return {
    model: o.model,
    key: o.key ?? prngKey(o.seed ?? 0),
    data, validation, n, loss,
    optimizer: o.optimizer,
    plugins,
    batchSize, epochs, steps,
    shuffle: o.shuffle ?? true,
    dropLast,
    evaluateEvery: positiveInt("evaluateEvery", o.evaluateEvery ?? 1),
    logEvery: positiveInt("logEvery", o.logEvery ?? 1),
    progressEvery: optionalPositive("progressEvery", o.progressEvery),
    yieldEveryMs,
    checkpointEvery: optionalPositive("checkpointEvery", o.checkpointEvery),
    compile: optionalBoolean("compile", o.compile) ?? true,
    memoryScope: optionalBoolean("memoryScope", o.memoryScope) ?? true,
  };
}
