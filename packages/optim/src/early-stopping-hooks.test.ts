import { PluginError } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { earlyStopping, entropySgd } from "./index.js";

describe("earlyStopping hooks: argument guards", () => {
  it("name the plugin and the hook for a bad ctx instead of a TypeError or silently doing nothing", () => {
    const p = earlyStopping({ patience: 2, metric: () => 0 });
    expect(() => p.beforeFit!(undefined as never)).toThrow(PluginError);
    expect(() => p.beforeFit!(2 ** 40 as never)).toThrow(/^plugin "earlyStopping" failed in beforeFit: ctx must be/);
    expect(() => p.afterStep!({ lr: -1 } as never)).toThrow(/failed in afterStep: ctx must be the context fit passes to afterStep \(an object with step, params\)/);
    expect(() => p.afterFit!("x" as never)).toThrow(/failed in afterFit/);
    expect(() => p.onError!(new Error("e"), 0.5 as never)).toThrow(/failed in onError/);
  });

  it("entropySgd's objective names the plugin for a bad ctx", () => {
    expect(() => entropySgd().objective!((() => 0) as never, undefined as never)).toThrow(/^plugin "entropySgd" failed in objective: ctx must be the context fit passes to objective \(an object with key\)/);
  });
});
