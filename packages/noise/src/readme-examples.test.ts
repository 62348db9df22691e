import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import * as autodiff from "@regularize/core-autodiff";
import { pluginFactoryNames, readmeExampleTests, tinyClassification } from "@regularize/core-train/testing";
import * as datasets from "@regularize/datasets";
import { FACTORIES } from "../test/plugin-factories.js";
import * as noise from "./index.js";

// The README's "one example per plugin" table, each example run as written through fit().
const plugins = pluginFactoryNames(FACTORIES);
readmeExampleTests(readFileSync(new URL("../README.md", import.meta.url), "utf8"), { ...autodiff, ...datasets, ...noise }, plugins, { describe, it }, {
  defaultProblems: [tinyClassification()],
});
