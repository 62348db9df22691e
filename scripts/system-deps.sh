#!/usr/bin/env bash
# System packages some tests need, from Debian apt when missing: chromium (the playground's browser
# tests) and redis-server (the CLI's distributed-sweep tests, which start their own on a loopback port).
# Installs only as root with apt-get; otherwise prints one line per missing binary, and those tests
# report themselves as skipped. Never fails the test command.
set -uo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${need[*]} via apt-get..." >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need[@]}" >/dev/null; }; then
    echo "system-deps: apt-get install ${need[*]} failed; the tests that need them will be skipped" >&2
  fi
else
  for p in "${need[@]}"; do
    echo "system-deps: $p is missing (run: sudo apt-get install -y $p); the tests that need it will be skipped" >&2
  done
fi
exit 0
