import { fileURLToPath } from "node:url";

// This module sits at src/ (sources, run through tsx) and is bundled into dist/cli.js: in both
// cases the worker entries are siblings, src/<dir>/<name>.ts or dist/<flat-name>.js.
const fromSources = import.meta.url.endsWith(".ts");

/** Path of a worker entry: `src` relative to src/ when running from sources, `dist` the built file. */
export function entryFile(src: string, dist: string): string {
  return fileURLToPath(new URL(fromSources ? `./${src}` : `./${dist}`, import.meta.url));
}

/** Whether the CLI runs from its TypeScript sources (tests, tsx), so workers need the tsx loader. */
export const runningFromSources = fromSources;
