import { readFileSync } from "node:fs";
import { describe, it } from "vitest";
import * as autodiff from "@regularize/core-autodiff";
import { type Model, mlp } from "@regularize/core-train";
import { pluginFactoryNames, readmeExampleTests, tinyClassification } from "@regularize/core-train/testing";
import { FACTORIES } from "../test/plugin-factories.js";
import * as penalties from "./index.js";

// The README's "one example per plugin" table, each example run as written through fit().
const plugins = pluginFactoryNames(FACTORIES);
const cls = tinyClassification();
const gated = { ...cls, model: penalties.withL0Gates(mlp({ widths: [4, 8, 8, 3] }), { units: { hidden0: 8, hidden1: 8 } }) as Model<autodiff.Tree> };
readmeExampleTests(readFileSync(new URL("../README.md", import.meta.url), "utf8"), { ...autodiff, ...penalties }, plugins, { describe, it }, {
  defaultProblems: [cls],
  problems: { l0Gates: [gated] },
});
