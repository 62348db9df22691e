import { defineConfig } from "vitest/config";

// Runs on the packed tarballs (dist/), never on src/: no "source" condition here.
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
