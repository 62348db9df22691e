import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { pluginOptionTests } from "@regularize/core-train/testing";
import * as optim from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";


describe("optim's plugin, transform and schedule factories", () => {
  pluginOptionTests("optim", optim, FACTORIES, OTHER_FUNCTIONS, { it }, { minTried: 500 });

  it("name the nearest valid option of a typo, as an OptionError that is also an OptimError and a PluginOptionError", () => {
    expect(() => optim.sgd({ learningRate: 0.1, weightdecay: 1e-4 } as never)).toThrow(/option "weightdecay" is not an option of sgd \(did you mean "weightDecay"\?\)/);
    for (const cls of [optim.OptionError, optim.OptimError, PluginOptionError]) expect(() => optim.sgd({ lr: 0.1 } as never)).toThrow(cls);
    expect(new optim.UsageError("f", "m")).toBeInstanceOf(optim.OptimError);
    expect(new optim.UsageError("f", "m")).not.toBeInstanceOf(optim.OptionError);
    expect(new optim.OptionError("sgd", "learningRate", "bad").fn).toBe("sgd");
  });
});
