// Prints one plain closing line CI can read: "tests: N passed, N failed, N skipped".
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const files = [];
(function walk(d) {
  for (const n of readdirSync(d)) {
    if (n === "node_modules" || n === ".git" || n === ".tools") continue;
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (d.endsWith(".test-results") && n.endsWith(".json")) files.push(p);
  }
})(process.cwd());
let passed = 0, failed = 0, skipped = 0;
for (const f of files) {
  const r = JSON.parse(readFileSync(f, "utf8"));
  if (typeof r.numPassedTests === "number") {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  } else if (r.stats) {
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected;
    skipped += r.stats.skipped ?? 0;
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
