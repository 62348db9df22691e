import { defineConfig } from "tsup";

/** The build every publishable package shares: ESM + CJS + type declarations for the given entries. */
export function libraryConfig(entry: string[]): ReturnType<typeof defineConfig> {
  // shims: `import.meta.url` in the CJS build resolves to the file (ensemble locates its worker by it).
  return defineConfig({ entry, format: ["esm", "cjs"], dts: true, clean: true, sourcemap: true, target: "es2022", shims: true });
}
