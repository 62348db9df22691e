#!/usr/bin/env bash
# Make the pinned pnpm available under .tools/ (no global state, no corepack) and install deps.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION="$(node -p 'require("./package.json").packageManager.split("@")[1].split("+")[0]')"
if [ "$(.tools/bin/pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION into .tools/" >&2
  npm install --global --prefix "$PWD/.tools" --no-audit --no-fund --allow-scripts=pnpm "pnpm@$PNPM_VERSION" >&2
fi
export PATH="$PWD/.tools/bin:$PATH"
if [ -z "${REGULARIZE_BOOTSTRAP_NO_INSTALL:-}" ] && { [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; }; then
  pnpm install --frozen-lockfile >&2
fi
