#!/usr/bin/env bash
# Scaffold packages/<name> as @regularize/<name>: ./scripts/new-package.sh <name> "<description>" [dep ...]
set -euo pipefail
cd "$(dirname "$0")/.."
name="$1"; desc="$2"; shift 2
dir="packages/$name"
mkdir -p "$dir/src"
deps=""
for d in "$@"; do deps="$deps\"@regularize/$d\": \"workspace:*\","; done
deps="${deps%,}"
cat > "$dir/package.json" <<JSON
{
  "name": "@regularize/$name",
  "version": "0.0.0",
  "description": "$desc",
  "license": "MIT",
  "type": "module",
  "sideEffects": false,
  "files": ["dist", "README.md", "CHANGELOG.md"],
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.ts",
  "exports": {
    ".": {
      "source": "./src/index.ts",
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc -p tsconfig.json",
    "test": "vitest run"
  },
  "dependencies": { $deps },
  "engines": { "node": ">=20.19" },
  "publishConfig": { "access": "public" }
}
JSON
cat > "$dir/tsup.config.ts" <<'TS'
import { libraryConfig } from "../../tsup.shared.ts";

export default libraryConfig(["src/index.ts"]);
TS
cat > "$dir/tsconfig.json" <<'TS'
{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test", "*.ts"]
}
TS
cat > "$dir/vitest.config.ts" <<'TS'
export { default } from "../../vitest.shared.ts";
TS
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
node scripts/sync-publish-config.mjs >/dev/null
echo "scaffolded $dir"
