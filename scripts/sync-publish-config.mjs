// Keeps each publishable package's publishConfig in step with its exports: the "source" condition
// (tests and the playground run on src/) is stripped from what is published, since src/ is not
// shipped, and subpaths get typesVersions so node10 resolution finds their types.
// Usage: node scripts/sync-publish-config.mjs [--check]
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";

const check = process.argv.includes("--check");
const root = new URL("..", import.meta.url).pathname;
const stripSource = (v) =>
  typeof v === "object" && v !== null
    ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== "source").map(([k, x]) => [k, stripSource(x)]))
    : v;
let stale = [];
for (const dir of readdirSync(join(root, "packages"))) {
  const file = join(root, "packages", dir, "package.json");
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  if (pkg.private || !pkg.exports) continue;
  const exports = stripSource(pkg.exports);
  const subpaths = Object.keys(pkg.exports).filter((k) => k !== "." && k !== "./package.json");
  const typesVersions = subpaths.length
    ? { "*": Object.fromEntries(subpaths.map((k) => [k.slice(2), [pkg.exports[k].import?.types ?? pkg.exports[k].types]])) }
    : undefined;
  const next = { ...pkg, publishConfig: { access: "public", ...pkg.publishConfig, exports } };
  if (typesVersions) next.typesVersions = typesVersions;
  const text = JSON.stringify(next, null, 2) + "\n";
  if (text !== readFileSync(file, "utf8")) {
    stale.push(pkg.name);
    if (!check) writeFileSync(file, text);
  }
}
if (check && stale.length) {
  console.error(`publishConfig out of date in: ${stale.join(", ")} (run node scripts/sync-publish-config.mjs)`);
  process.exit(1);
}
console.log(check ? "publishConfig in sync" : `updated: ${stale.join(", ") || "(none)"}`);
