import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import { pluginFactoryNames, readmeExampleTests, tinyClassification } from "@regularize/core-train/testing";
import { FACTORIES } from "../test/plugin-factories.js";
import * as bayes from "./index.js";

// The README's "one example per plugin" table, each example run as written through fit().
readmeExampleTests(readFileSync(new URL("../README.md", import.meta.url), "utf8"), { ...bayes }, pluginFactoryNames(FACTORIES), { describe, it }, {
  defaultProblems: [tinyClassification()],
});
