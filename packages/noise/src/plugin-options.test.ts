import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { pluginOptionTests } from "@regularize/core-train/testing";
import * as noise from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";


describe("noise's plugin factories", () => {
  pluginOptionTests("noise", noise, FACTORIES, OTHER_FUNCTIONS, { it }, { minTried: 250 });

  it("name the nearest valid option of a typo", () => {
    expect(() => noise.dropout({ rate: 0.5, sharedmask: true } as never)).toThrow(/option "sharedmask" is not an option of dropout \(did you mean "sharedMask"\?\)/);
    expect(() => noise.dropout({ rat: 0.5 } as never)).toThrow(noise.NoiseOptionError);
    expect(() => noise.dropout({ rat: 0.5 } as never)).toThrow(PluginOptionError);
  });
});
