import { defaultClientConditions, defineConfig } from "vite";

// Workspace packages are resolved through their "source" export condition (src/index.ts), so the
// playground builds and runs without building the packages first.
const conditions = ["source", ...defaultClientConditions];

// Error classes keep their names in the minified build, so the page shows "ExperimentParamsError: …", not "Q: …".
const output = { keepNames: true };

// Observable Plot and its d3 modules in one chunk, compiled eagerly while it streams in (V8's explicit
// compile hint): otherwise the first figure of a page pays for lazily compiling Plot on the main thread.
const PLOT_MODULES = /node_modules[\\/]\.pnpm[\\/](@observablehq\+plot|d3-[a-z-]+@|d3@|internmap|delaunator|robust-predicates|interval-tree1d|isoformat)/;
const pageOutput = {
  ...output,
  codeSplitting: { groups: [{ name: "observable-plot", test: PLOT_MODULES }] },
  postBanner: (chunk: { name: string }) => (chunk.name === "observable-plot" ? "//# allFunctionsCalledOnLoad\n" : ""),
};

export default defineConfig({
  base: "./",
  resolve: { conditions },
  oxc: { jsx: { runtime: "automatic", importSource: "preact", development: false } },
  worker: { format: "es", rolldownOptions: { output } },
  build: { target: "es2022", chunkSizeWarningLimit: 1024, emptyOutDir: true, rolldownOptions: { output: pageOutput } },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
});
