// Methods a package's classes declare `private` in TypeScript: present at runtime, absent from the
// published types, so not public API; the method fuzz skips them. Read from the packages' sources.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const packagesDir = fileURLToPath(new URL("../../../packages", import.meta.url));

/** Per class name: the TypeScript-private methods its declaration in the packages' src/ has. */
export function tsPrivateMethods(): ReadonlyMap<string, ReadonlySet<string>> {
  const names = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
        let cls = "";
        for (const m of readFileSync(p, "utf8").matchAll(/^(?:export\s+)?(?:abstract\s+)?class\s+([A-Za-z_$][\w$]*)|^\s+private\s+(?:static\s+)?(?:async\s+)?([A-Za-z_$][\w$]*)\s*[(<]/gm)) {
          if (m[1] !== undefined) cls = m[1];
          else if (cls !== "") names.set(cls, (names.get(cls) ?? new Set()).add(m[2]!));
        }
      }
    }
  };
  for (const pkg of readdirSync(packagesDir)) {
    try {
      walk(join(packagesDir, pkg, "src"));
    } catch {
      /* a package without src/ */
    }
  }
  return names;
}
