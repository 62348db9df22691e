import { PluginError } from "./errors.js";
import { callPlugin, pluginFailure } from "./plugin-forward.js";
import type { FitContext, FitEvent, Plugin } from "./plugin.js";

/** Events whose hooks run in the synchronous hot loop. */
export type BatchEvent = "afterForward" | "afterLoss" | "beforeStep" | "afterStep" | "afterBatch";
/** Events whose hooks may return a promise. */
export type FitLevelEvent = "beforeFit" | "beforeEpoch" | "afterEpoch" | "afterFit";
type Hook = FitEvent | "penalty" | "objective";

const HOOKS: readonly Hook[] = [
  "beforeFit", "beforeEpoch", "beforeBatch", "afterForward", "afterLoss", "beforeStep", "afterStep", "afterBatch",
  "afterEpoch", "afterFit", "onError", "penalty", "objective",
];
// fastai's rule: these reach every plugin even after a cancel; the others stop at the first cancel
const ALWAYS: ReadonlySet<FitEvent> = new Set(["afterBatch", "afterEpoch", "afterFit"]);

/**
 * @internal The plugins of a run and the one way the runner calls them: `call` runs a hook and
 * turns whatever it throws into a PluginError naming the plugin and the hook; `dispatch` and
 * `dispatchAsync` fire an event through `call` in plugin order with fastai's cancel semantics.
 */
export class PluginHooks {
  /** Indices of the plugins having each hook, in plugin order. */
  readonly with: Readonly<Record<Hook, readonly number[]>>;
  /** Plugins with a transform, split by where it acts (raw gradients or the optimizer's updates). */
  readonly preTransforms: readonly number[];
  readonly postTransforms: readonly number[];

  constructor(readonly plugins: readonly Plugin[]) {
    const w = {} as Record<Hook, number[]>;
    for (const h of HOOKS) w[h] = plugins.flatMap((p, i) => (p[h] !== undefined ? [i] : []));
    this.with = w;
    this.preTransforms = plugins.flatMap((p, i) => (p.transform && p.enforce === "pre" ? [i] : []));
    this.postTransforms = plugins.flatMap((p, i) => (p.transform && p.enforce !== "pre" ? [i] : []));
  }

  /** Run plugin i's `hook` through `fn`; an error becomes a PluginError naming both. */
  call<T>(i: number, hook: string, fn: (p: Plugin) => T): T {
    const p = this.plugins[i]!;
    return callPlugin(p, hook, () => fn(p));
  }

  /** Fire a batch-level event (synchronous: a returned promise is an error). */
  dispatch(event: BatchEvent, ctxs: readonly FitContext[], cancelled: () => boolean): void {
    const always = ALWAYS.has(event);
    for (const i of this.with[event]) {
      const r: unknown = this.call(i, event, (p) => p[event]!(ctxs[i]!));
      if (isThenable(r)) throw asyncBatchHook(this.plugins[i]!.name, event);
      if (!always && cancelled()) return;
    }
  }

  /** Fire a fit- or epoch-level event, awaiting hooks that return a promise. */
  async dispatchAsync(event: FitLevelEvent, ctxs: readonly FitContext[], cancelled: () => boolean): Promise<void> {
    const always = ALWAYS.has(event);
    for (const i of this.with[event]) {
      const r: unknown = this.call(i, event, (p) => p[event]!(ctxs[i]!));
      if (isThenable(r)) {
        try {
          await r;
        } catch (e) {
          pluginFailure(e, this.plugins[i]!.name, event);
        }
      }
      if (!always && cancelled()) return;
    }
  }
}

/** @internal */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
}

/** @internal Batch-level hooks run in the synchronous hot loop; a promise returned there would be dropped silently. */
export function asyncBatchHook(plugin: string, hook: string): PluginError {
  return new PluginError(plugin, hook, new TypeError(`returned a promise; batch-level hooks must be synchronous (do async work in beforeEpoch/afterEpoch/beforeFit/afterFit)`));
}
