import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { pluginOptionTests } from "@regularize/core-train/testing";
import * as transfer from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";

describe("transfer' plugin factories", () => {
  pluginOptionTests("transfer", transfer, FACTORIES, OTHER_FUNCTIONS, { it }, { minTried: 150 });

  it("name the nearest valid option of a typo", () => {
    const multiTask = transfer.multiTask({ tasks: [{ name: "a", outputs: 2 }] });
    expect(() => transfer.pcgrad({ multitask: multiTask } as never)).toThrow(/pcgrad: multitask is not an option of pcgrad \(did you mean "multiTask"\?\)/);
    expect(() => transfer.pcgrad({ multitask: multiTask } as never)).toThrow(transfer.TransferError);
    expect(() => transfer.pcgrad({ multitask: multiTask } as never)).toThrow(PluginOptionError);
  });
});
