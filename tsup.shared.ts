import { defineConfig } from "tsup";

/** The build every publishable package shares: ESM + CJS + type declarations for the given entries. */
export function libraryConfig(entry: string[]): ReturnType<typeof defineConfig> {
  return defineConfig({ entry, format: ["esm", "cjs"], dts: true, clean: true, sourcemap: true, target: "es2022" });
}
