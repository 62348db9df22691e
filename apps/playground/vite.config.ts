import { defaultClientConditions, defineConfig } from "vite";

// Workspace packages are resolved through their "source" export condition (src/index.ts), so the
// playground builds and runs without building the packages first.
const conditions = ["source", ...defaultClientConditions];

// Error classes keep their names in the minified build, so the page shows "ExperimentParamsError: …", not "Q: …".
const output = { keepNames: true };

export default defineConfig({
  base: "./",
  resolve: { conditions },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  worker: { format: "es", rolldownOptions: { output } },
  build: { target: "es2022", chunkSizeWarningLimit: 1024, emptyOutDir: true, rolldownOptions: { output } },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
});
