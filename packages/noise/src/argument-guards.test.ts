import { prngKey, tensor } from "@regularize/core-autodiff";
import { PluginError, site } from "@regularize/core-train";
import { describe, expect, it } from "vitest";
import { NoiseOptionError } from "./errors.js";
import { RandomStream, betaDropout, dropout, gaussianDropout } from "./index.js";

describe("argument guards", () => {
  it("the dropout family's site hook names the plugin and the argument", () => {
    const h = tensor([[1, 2]]);
    const s = site("hidden0", 1);
    const ctx = { mode: "train", active: true, key: prngKey(0), step: 0 };
    for (const p of [dropout({ rate: 0.5 }), gaussianDropout({ rate: 0.5 }), betaDropout({ rate: 0.5 })]) {
      expect(() => p.site!("x" as never, s, ctx as never)).toThrow(PluginError);
      expect(() => p.site!(h, null as never, ctx as never)).toThrow(/failed in site: site must be a Site/);
      expect(() => p.site!(h, s, undefined as never)).toThrow(/failed in site: ctx must be the context fit passes to site/);
      expect(p.site!(h, s, ctx as never).shape).toEqual([1, 2]);
    }
  });

  it("RandomStream refuses what is not a PRNGKey", () => {
    for (const bad of [10n, { rate: 2 }, null]) expect(() => new RandomStream(bad as never), String(bad)).toThrow(NoiseOptionError);
    expect(new RandomStream(prngKey(1)).uniform()).toBeGreaterThanOrEqual(0);
  });
});
