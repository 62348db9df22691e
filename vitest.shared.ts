import { defineConfig } from "vitest/config";

// Tests run on workspace sources (the "source" export condition), never on dist/.
// Property tests take their seed from FC_SEED when set, so a CI failure can be replayed.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    setupFiles: [new URL("./scripts/vitest-setup.ts", import.meta.url).pathname],
    reporters: ["default", "json"],
    outputFile: { json: ".test-results/vitest.json" },
    testTimeout: 60_000,
    pool: "threads",
  },
});
