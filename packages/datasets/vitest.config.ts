import { readFileSync, readdirSync } from "node:fs";
import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";
import { FIXTURE_DIR, FIXTURES_PRESENT } from "./test/fixture-dir";

// A checkout without ../shared (relocated, or a package tarball's consumer) skips the files that
// read the reference fixtures instead of failing; fixtures-present.test.ts reports it as a skip.
const fixtureFiles = FIXTURES_PRESENT
  ? []
  : readdirSync(new URL("./src", import.meta.url))
      .filter((f) => f.endsWith(".test.ts") && readFileSync(new URL(`./src/${f}`, import.meta.url), "utf8").includes("../test/fixtures.js"))
      .map((f) => `src/${f}`);
if (fixtureFiles.length > 0) console.warn(`datasets: MNIST-1D fixtures not found at ${FIXTURE_DIR}: skipping ${fixtureFiles.join(", ")}`);

// These tests keep no mutable module state between files, so one module graph per worker is
// safe; skipping per-file isolation cuts the run's CPU time by more than half on 2-core machines.
export default mergeConfig(shared, defineConfig({ test: { isolate: false, exclude: ["**/node_modules/**", "**/dist/**", ...fixtureFiles] } }));
