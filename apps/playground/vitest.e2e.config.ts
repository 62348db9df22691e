import { defineConfig } from "vitest/config";

// Browser tests: build the site, serve it with `vite preview` and drive Debian's Chromium
// through playwright-core (never a downloaded browser). One file, run sequentially.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/e2e.json" },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: "forks",
  },
});
