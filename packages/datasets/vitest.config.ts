import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared";

// These tests keep no mutable module state between files, so one module graph per worker is
// safe; skipping per-file isolation cuts the run's CPU time by more than half on 2-core machines.
export default mergeConfig(shared, defineConfig({ test: { isolate: false } }));
