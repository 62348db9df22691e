import { describe, expect, it } from "vitest";
import { PluginError } from "./errors.js";
import { checkHookContext } from "./hook-context.js";

describe("checkHookContext", () => {
  it("names the plugin, the hook and the missing fields for a bad ctx", () => {
    for (const bad of [undefined, null, 3, "x", { step: 1 }]) {
      expect(() => checkHookContext("ema", "afterStep", bad, ["step", "params"]), String(bad)).toThrow(PluginError);
    }
    expect(() => checkHookContext("ema", "afterStep", undefined, ["step", "params"])).toThrow(/^plugin "ema" failed in afterStep: ctx must be the context fit passes to afterStep \(an object with step, params\), got undefined$/);
    expect(() => checkHookContext("ema", "afterStep", { step: 0, params: {} }, ["step", "params"])).not.toThrow();
    expect(() => checkHookContext({ axis: 1 } as never, "afterStep", {}, undefined as never)).toThrow(/^checkHookContext: plugin and hook must be strings/);
  });
});
