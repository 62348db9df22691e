import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { pluginOptionTests } from "@regularize/core-train/testing";
import * as penalties from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";


describe("penalties' plugin factories", () => {
  pluginOptionTests("penalties", penalties, FACTORIES, OTHER_FUNCTIONS, { it }, { minTried: 200 });

  it("name the nearest valid option of a typo", () => {
    expect(() => penalties.l2({ lamda: 1 } as never)).toThrow(/option "lamda" is not an option of l2 \(did you mean "lambda"\?\)/);
    expect(() => penalties.l2({ lamda: 1 } as never)).toThrow(penalties.PenaltyOptionError);
    expect(() => penalties.l2({ lamda: 1 } as never)).toThrow(PluginOptionError);
  });
});
