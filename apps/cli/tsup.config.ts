import { defineConfig } from "tsup";

export default defineConfig({
  // the worker entries are loaded by file name (entry-files.ts): piscina's pool, BullMQ's sandbox, the plot renderer
  entry: { cli: "src/cli.ts", "pool-worker": "src/sweep/pool-worker.ts", "queue-processor": "src/queue/processor.ts", "plot-worker": "src/plots/plot-worker.ts" },
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "es2022",
  banner: { js: "#!/usr/bin/env node" },
});
