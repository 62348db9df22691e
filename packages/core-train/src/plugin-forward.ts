import { type PRNGKey, type Tensor, type Tree, foldIn, foldInString } from "@regularize/core-autodiff";
import { PluginError } from "./errors.js";
import type { Model } from "./model.js";
import type { ForwardContext, ForwardHookContext, Mode, Plugin, Site } from "./plugin.js";

/** @internal Re-throw an error from plugin code as a PluginError naming it (unless it already names one). */
export function pluginFailure(e: unknown, plugin: string, hook: string): never {
  if (e instanceof PluginError) throw e;
  throw new PluginError(plugin, hook, e);
}

/** @internal Call plugin p's hook through `fn`; an error becomes a PluginError naming both (the one wrapper of plugin calls). */
export function callPlugin<T>(p: Plugin, hook: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    return pluginFailure(e, p.name, hook);
  }
}

/**
 * @internal The forward pass of a model with the `site` and `forwardParams` hooks of plugins.
 * `keyOf(i)` is plugin i's base key for the current step/call; hook keys derive from it lazily
 * (site: foldIn(foldInString(base, "site"), site.index); forwardParams: foldInString(base, "forwardParams")).
 * `stepOf(i)` answers a hook reading `ctx.step` (the runner notes who reads it while recording).
 */
export class PluginForward {
  readonly ctx: ForwardContext;
  private readonly siteHooks: number[] = [];
  private readonly paramHooks: number[] = [];
  // foldInString(base, "site") per plugin, kept while its base key (one per step) is the same:
  // one derivation per step instead of one per site
  private readonly siteFrom: (PRNGKey | undefined)[] = [];
  private readonly siteKey: PRNGKey[] = [];

  constructor(
    private readonly model: Model<Tree>,
    private readonly plugins: readonly Plugin[],
    readonly mode: Mode,
    private readonly active: readonly boolean[],
    private readonly keyOf: (i: number) => PRNGKey,
    private readonly stepOf: (i: number) => number,
  ) {
    plugins.forEach((p, i) => {
      if (p.site) this.siteHooks.push(i);
      if (p.forwardParams) this.paramHooks.push(i);
    });
    const site = this.siteHooks.length === 0 ? (_s: Site, h: Tensor) => h : (s: Site, h: Tensor) => this.site(s, h);
    this.ctx = { mode, site };
  }

  private hookCtx(i: number, derive: (base: PRNGKey) => PRNGKey): ForwardHookContext {
    const { keyOf, stepOf } = this;
    let key: PRNGKey | undefined;
    return {
      mode: this.mode,
      active: this.active[i]!,
      get step() {
        return stepOf(i);
      },
      get key() {
        return (key ??= derive(keyOf(i)));
      },
    };
  }

  private site(s: Site, h: Tensor): Tensor {
    for (const i of this.siteHooks) {
      const p = this.plugins[i]!;
      h = callPlugin(p, `site(${s.name})`, () => p.site!(h, s, this.hookCtx(i, (b) => foldIn(this.siteBase(i, b), s.index))));
    }
    return h;
  }

  private siteBase(i: number, base: PRNGKey): PRNGKey {
    if (this.siteFrom[i] !== base) {
      this.siteFrom[i] = base;
      this.siteKey[i] = foldInString(base, "site");
    }
    return this.siteKey[i]!;
  }

  /** The model output for x with the plugins' forwardParams and site hooks applied. */
  forward(params: Tree, x: Tensor): Tensor {
    let p = params;
    for (const i of this.paramHooks) {
      const pl = this.plugins[i]!;
      p = callPlugin(pl, "forwardParams", () => pl.forwardParams!(p, this.hookCtx(i, (b) => foldInString(b, "forwardParams"))));
    }
    return this.model.apply(p, x, this.ctx);
  }
}
