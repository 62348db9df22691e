// Counts the type-system escape hatches of issue 19 in every package's (and app's) non-test sources,
// with the TypeScript parser (not grep, so comments and strings do not count):
//   any        — the `any` keyword in a type position (AnyKeyword nodes);
//   asUnknownAs — `x as unknown as T` (an `as` expression whose operand is `as unknown`);
//   nonNull    — non-null assertions `x!` (NonNullExpression nodes).
// Non-test = every `src/**/*.ts(x)` file except `*.test.ts`, `*.test-d.ts`, `*.bench.ts` and `test/`.
// Usage: node scripts/count-escapes.mjs [--json]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const root = new URL("..", import.meta.url).pathname;

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name === "node_modules" || name === "dist" || name === "test" || name === "e2e") continue;
      yield* sources(path);
    } else if (/\.tsx?$/.test(name) && !/\.(test|test-d|bench)\.tsx?$/.test(name) && !name.endsWith(".d.ts")) {
      yield path;
    }
  }
}

function count(file) {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const c = { any: 0, asUnknownAs: 0, nonNull: 0 };
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) c.any++;
    else if (node.kind === ts.SyntaxKind.NonNullExpression) c.nonNull++;
    else if (
      ts.isAsExpression(node) &&
      ts.isAsExpression(skipParens(node.expression)) &&
      skipParens(node.expression).type.kind === ts.SyntaxKind.UnknownKeyword
    ) c.asUnknownAs++;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return c;
}
const skipParens = (n) => (ts.isParenthesizedExpression(n) ? skipParens(n.expression) : n);

const rows = [];
for (const group of ["packages", "apps"]) {
  for (const pkg of readdirSync(join(root, group))) {
    const src = join(root, group, pkg, "src");
    try { statSync(src); } catch { continue; }
    const total = { package: `${group}/${pkg}`, files: 0, any: 0, asUnknownAs: 0, nonNull: 0 };
    for (const file of sources(src)) {
      const c = count(file);
      total.files++;
      total.any += c.any; total.asUnknownAs += c.asUnknownAs; total.nonNull += c.nonNull;
    }
    rows.push(total);
  }
}
const sum = (key, filter = () => true) => rows.filter(filter).reduce((s, r) => s + r[key], 0);
const notCore = (r) => r.package !== "packages/core-autodiff";
if (process.argv.includes("--json")) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log("package                      files   any  as-unknown-as  non-null");
  for (const r of rows) console.log(`${r.package.padEnd(28)} ${String(r.files).padStart(5)} ${String(r.any).padStart(5)} ${String(r.asUnknownAs).padStart(14)} ${String(r.nonNull).padStart(9)}`);
  console.log(`${"total outside core-autodiff".padEnd(28)} ${String(sum("files", notCore)).padStart(5)} ${String(sum("any", notCore)).padStart(5)} ${String(sum("asUnknownAs", notCore)).padStart(14)} ${String(sum("nonNull", notCore)).padStart(9)}`);
}
