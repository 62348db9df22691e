import { accessSync, constants, renameSync, writeFileSync } from "node:fs";
import { mkdirp } from "../run-folder.ts";
import { join } from "node:path";
import { SweepPlanError } from "./plan.ts";

/** Create the sweep's folder and check it is writable, before any trial runs. */
export function prepareOutDir(dir: string): void {
  try {
    mkdirp(dir); // not mkdirSync(recursive): it never returns for a path under /proc on Node 20
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new SweepPlanError(`--out ${dir} is not writable: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Write a file atomically (write a temporary sibling, then rename over). */
export function writeAtomic(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  const tmp = `${p}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, p);
  return p;
}
