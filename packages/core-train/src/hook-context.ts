import { PluginError } from "./errors.js";
import { describeValue } from "./plugin-options.js";
import { TrainError } from "./train-error.js";

/**
 * Guard for a plugin hook called directly (fit always passes the right context): unless `ctx` is an
 * object holding every field of `fields`, throws a PluginError naming the plugin, the hook and the
 * argument, instead of a TypeError from deep inside the hook.
 * @example afterStep(ctx) { checkHookContext("ema", "afterStep", ctx, ["step", "params"]); … }
 */
export function checkHookContext(plugin: string, hook: string, ctx: unknown, fields: readonly string[]): void {
  if (typeof plugin !== "string" || typeof hook !== "string" || !Array.isArray(fields)) {
    throw new TrainError(`checkHookContext: plugin and hook must be strings and fields an array of field names, got ${describeValue(plugin)}, ${describeValue(hook)}, ${describeValue(fields)}`);
  }
  if (ctx === null || typeof ctx !== "object" || fields.some((f) => !(f in ctx))) {
    throw new PluginError(plugin, hook, new TrainError(`ctx must be the context fit passes to ${hook} (${fields.length > 0 ? `an object with ${fields.join(", ")}` : "an object"}), got ${describeValue(ctx)}`));
  }
}
