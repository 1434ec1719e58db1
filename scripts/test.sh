#!/usr/bin/env bash
# Install what the tests need, then run every check, the whole suite (on a PostgreSQL server, with serve processes on
# the embedded database and on the server) and the web console's tests in Chromium. This is the README's Test command and what CI runs (.ci/run). No input is ever asked for.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step prints how long it took, and a table of every step's seconds ends the output (on a failure too), so
# CI logs show where the time goes.
stage_names=()
stage_seconds=()
stage_name=''
stage_start=0

end_step() {
  [ -n "$stage_name" ] || return 0
  local took=$((SECONDS - stage_start))
  stage_names+=("$stage_name")
  stage_seconds+=("$took")
  printf '\033[2m-- %s: %d s\033[0m\n' "$stage_name" "$took"
  stage_name=''
}

step() {
  end_step
  printf '\n\033[1m== %s\033[0m\n' "$*"
  stage_name="$*"
  stage_start=$SECONDS
}

summary() {
  local status=$?
  local failed="$stage_name"
  end_step
  printf '\n\033[1m== Time per step\033[0m\n%-72s %7s\n' 'Step' 'Seconds'
  local i
  for i in "${!stage_names[@]}"; do printf '%-72s %7d\n' "${stage_names[$i]}" "${stage_seconds[$i]}"; done
  printf '%-72s %7d\n' 'Total' "$SECONDS"
  if [ "$status" -ne 0 ] && [ -n "$failed" ]; then printf 'Stopped by a failure in: %s\n' "$failed"; fi
}
trap summary EXIT

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

have_chromium() { command -v chromium >/dev/null || command -v chromium-browser >/dev/null; }

have_mariadb_server() { [ -x /usr/sbin/mariadbd ] && command -v mariadb-install-db >/dev/null; }

# Debian packages the suite needs: a PostgreSQL server the tests share (unless DATABASE_URL names one), a MariaDB
# server for the MySQL connector's tests (unless MARIADB_URL names one) and Chromium for the console's browser tests.
packages=()
if [ -z "${DATABASE_URL:-}" ] && ! have_postgres_server; then packages+=(postgresql); fi
if [ -z "${MARIADB_URL:-}" ] && ! have_mariadb_server; then packages+=(mariadb-server); fi
if [ -z "${CHROMIUM_PATH:-}" ] && ! have_chromium; then packages+=(chromium); fi
# Redis's conformance test starts a throwaway server of its own (test/helpers/redis-server.ts).
if ! command -v redis-server >/dev/null; then packages+=(redis-server); fi
if [ ${#packages[@]} -gt 0 ]; then
  step "Installing Debian packages: ${packages[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
fi

step 'Installing npm packages'
npm ci --no-audit --no-fund

# Lanes at once (two: one a CPU): each lane's commands run in order, and a lane's output is shown whole when it
# ends. Fails if any lane failed (after every one ended).
lanes() {
  local out pids=() lane failed=0
  out="$(mktemp -d)"
  for lane in "$@"; do
    bash -c "set -e; $lane" >"$out/${#pids[@]}" 2>&1 &
    pids+=($!)
  done
  local i=0
  for lane in "$@"; do
    if wait "${pids[$i]}"; then
      printf '\033[2m-- %s: passed\033[0m\n' "$lane"
    else
      failed=1
      printf '\033[2m-- %s: FAILED\033[0m\n' "$lane"
    fi
    cat "$out/$i"
    i=$((i + 1))
  done
  rm -rf "$out"
  [ "$failed" = 0 ]
}

# Types, then the build | lint, format, the OpenAPI document and SDK types current, the connector manifests current
# (verified within a year, no sunset past).
step 'Checks and the build, two at a time'
lanes 'npm run typecheck; npm run build' \
  'npm run lint; npm run format:check; npm run openapi:check; npm run manifests:check'

# The README walkthrough runs later, beside the console (below): it is one file, one command at a time.
walkthrough='test/readme-walkthrough.test.ts'

step 'Test suite'
npx vitest run --exclude 'test/console/**' --exclude "$walkthrough"

# The console's files one at a time: each drives Chromium against its own serve process (on the embedded database),
# and two at once on two CPUs take longer than one after the other (and leave the pages' short waits starved). One
# file leaves about a quarter of the two CPUs idle, which the Node 22 run (scripts/test-on-node22.sh) takes meanwhile,
# and after it the README walkthrough on this machine's Node: the Node 22 run ends in about half the console's time,
# and the walkthrough, mostly npm starting up, is lighter on the CPUs than the three workers before it. In the suite
# it cost a worker about 100 s of a CPU-bound step.
step "Web console in Chromium | on Node 22: serve, CLI, core and the packed SDK; then the README walkthrough"
lanes 'npx vitest run test/console --maxWorkers=1' "scripts/test-on-node22.sh; npx vitest run $walkthrough"

end_step
printf '\n\033[1m== All checks passed\033[0m\n'
