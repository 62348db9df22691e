import { describe, expect, it } from "vitest";
import { PluginOptionError } from "@regularize/core-train";
import { pluginOptionTests } from "@regularize/core-train/testing";
import * as bayes from "./index.js";
import { FACTORIES, OTHER_FUNCTIONS } from "../test/plugin-factories.js";

describe("bayes' plugin factories", () => {
  pluginOptionTests("bayes", bayes, FACTORIES, OTHER_FUNCTIONS, { it }, { minTried: 200 });

  it("name the nearest valid option of a typo", () => {
    expect(() => bayes.gaussianPrior({ variance: 1, datasize: 10 } as never)).toThrow(/"datasize" is not an option of gaussianPrior \(did you mean "dataSize"\?\)/);
    for (const cls of [bayes.BayesOptionError, bayes.BayesArgumentError, bayes.BayesError, PluginOptionError]) {
      expect(() => bayes.swag({ startepoch: 1 } as never)).toThrow(cls);
    }
  });
});
