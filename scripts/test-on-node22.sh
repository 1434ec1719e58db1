#!/usr/bin/env bash
# The README promises Node 20.19 or later; the suite ran on this machine's Node. The parts that depend most on the
# runtime (serve processes on the embedded database, the CLI, the core, the packed SDK) run again on Node 22,
# installed from the npm registry into a scratch directory. Part of the Test command (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

node22_dir="$(mktemp -d)"
trap 'rm -rf "$node22_dir"' EXIT
case "$(uname -m)" in aarch64 | arm64) node22_arch=arm64 ;; *) node22_arch=x64 ;; esac
npm install --prefix "$node22_dir" --no-save --no-audit --no-fund --loglevel=error "node-linux-$node22_arch@22"
node22_bin="$node22_dir/node_modules/node-linux-$node22_arch/bin"
"$node22_bin/node" --version
PATH="$node22_bin:$PATH" "$node22_bin/node" node_modules/vitest/vitest.mjs run \
  test/readme-walkthrough.test.ts test/process-lifecycle.test.ts src/core src/access/sessions sdk/package.test.ts
