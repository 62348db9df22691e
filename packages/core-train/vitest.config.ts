import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

// The test files share no mutable module state, so one module graph per worker (no per-file
// isolation) saves re-importing the engine for each of them on a shared 2-core machine.
export default mergeConfig(shared, defineConfig({ test: { isolate: false } }));
