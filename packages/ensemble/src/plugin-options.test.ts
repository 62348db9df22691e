import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { pluginOptionTests } from "@regularize/core-train/testing";
import * as ensemble from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";


describe("ensemble's plugin, schedule and combiner factories", () => {
  pluginOptionTests("ensemble", ensemble, FACTORIES, OTHER_FUNCTIONS, { it }, { minTried: 150 });

  it("name the nearest valid option of a typo", () => {
    expect(() => ensemble.swa({ startEpoch: 1, everystep: 2 } as never)).toThrow(/option "everystep" is not an option of swa \(did you mean "everySteps"\?\)/);
    expect(() => ensemble.swa({ start: 1 } as never)).toThrow(ensemble.EnsembleOptionError);
    expect(() => ensemble.swa({ start: 1 } as never)).toThrow(PluginOptionError);
  });
});
