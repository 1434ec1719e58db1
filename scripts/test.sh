#!/usr/bin/env bash
# Install what the tests need, then run every check and the whole suite twice: on embedded PGlite and on a
# PostgreSQL server. This is the README's Test command and what CI runs (.ci/run). No input is ever asked for.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "Need root to run: $*" >&2
    exit 1
  fi
}

have_postgres_server() {
  local dir
  for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && return 0
  done
  return 1
}

if [ -z "${DATABASE_URL:-}" ] && ! have_postgres_server; then
  step "Installing Debian's PostgreSQL server (the suite's second run starts a throwaway instance of it)"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
fi

step 'Installing npm packages'
npm ci --no-audit --no-fund

step 'Type check, lint, format'
npm run typecheck
npm run lint
npm run format:check

step 'OpenAPI document and SDK types are current'
npm run openapi:check

step 'Build'
npm run build

step 'Test suite on embedded PGlite'
SWITCHYARD_TEST_DB=pglite npx vitest run

step 'Test suite on a PostgreSQL server'
SWITCHYARD_TEST_DB=postgres npx vitest run

step 'All checks passed'
